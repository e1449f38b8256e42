"""Validation against the shipped OCDS 1.1 schemas (JSON Schema draft-04), offline.

The package schemas refer to the release schema by its canonical URL; a local registry
resolves those ``$ref``s to the copies in ``schema/`` so nothing is ever fetched.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
RELEASE_SCHEMA_PATH = SCHEMA_DIR / "release-schema.json"
SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)
KINDS = {
    "release": "release-schema.json",
    "release-package": "release-package-schema.json",
    "record-package": "record-package-schema.json",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def _registry() -> Registry[Any]:
    resources = []
    for name in SCHEMA_FILES:
        schema = load_schema(name)
        resource: Resource[Any] = DRAFT4.create_resource(schema)
        resources.append((schema["id"], resource))
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft4Validator:
    """``kind``: release, release-package or record-package."""
    schema = load_schema(KINDS[kind])
    return Draft4Validator(schema, registry=_registry(), format_checker=FormatChecker())


def validation_errors(data: Any, kind: str) -> list[str]:
    """Readable messages (``path: message``), empty when ``data`` is valid."""
    errors = sorted(validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path))
    return ["/".join(str(p) for p in e.absolute_path) + ": " + e.message for e in errors]


def is_valid(data: Any, kind: str) -> bool:
    return not validation_errors(data, kind)
