"""Tolerant reading of real OCDS publications: shapes, OCDS 1.0 → 1.1, missing fields.

Pure functions on parsed JSON. The 1.0 → 1.1 upgrade follows the OCDS upgrade guide: the
full organisation objects that 1.0 put in ``buyer``, ``tender.procuringEntity``,
``tender.tenderers`` and ``awards[].suppliers`` move to ``parties`` (with their roles) and
are replaced by organisation references (``id`` and ``name``); a single ``amendment``
becomes ``amendments``; a string ``tag`` becomes a list.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

REFERENCE_KEYS = frozenset({"id", "name"})


def sha256_of(data: Any) -> str:
    body = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80]


def _organisation_id(org: dict[str, Any]) -> str:
    if org.get("id") not in (None, ""):
        return str(org["id"])
    identifier = org.get("identifier")
    if isinstance(identifier, dict) and identifier.get("id") not in (None, ""):
        scheme = identifier.get("scheme") or ""
        return f"{scheme}-{identifier['id']}" if scheme else str(identifier["id"])
    name = str(org.get("name") or "")
    if name:
        return f"name-{_slug(name) or hashlib.sha256(name.encode()).hexdigest()[:12]}"
    return "org-" + sha256_of(org)[:12]


@dataclass
class Upgrade:
    release: dict[str, Any]
    changed: bool = False
    notes: list[str] = field(default_factory=list)


def upgrade_release(release: dict[str, Any]) -> Upgrade:
    """A copy of ``release`` in the 1.1 shape; ``changed`` when anything had to move."""
    data = copy.deepcopy(release)
    result = Upgrade(data)
    parties: dict[str, dict[str, Any]] = {}
    for existing in data.get("parties") or []:
        if isinstance(existing, dict):
            parties[str(existing.get("id") or _organisation_id(existing))] = existing

    def reference(org: Any, role: str) -> Any:
        if not isinstance(org, dict):
            return org
        oid = _organisation_id(org)
        details = set(org) - REFERENCE_KEYS
        party = parties.get(oid)
        if party is None and details:  # 1.0: the organisation's details are here
            party = {k: v for k, v in org.items() if k != "id"}
            party["id"] = oid
            parties[oid] = party
        if party is not None:
            roles = party.setdefault("roles", [])
            if isinstance(roles, list) and role not in roles:
                roles.append(role)
        if details or "id" not in org:
            result.changed = True
        return {"id": oid, **({"name": org["name"]} if org.get("name") else {})}

    if isinstance(data.get("tag"), str):
        data["tag"] = [data["tag"]]
        result.changed = True
    if "buyer" in data:
        data["buyer"] = reference(data["buyer"], "buyer")
    tender = data.get("tender")
    if isinstance(tender, dict):
        if "procuringEntity" in tender:
            tender["procuringEntity"] = reference(tender["procuringEntity"], "procuringEntity")
        if isinstance(tender.get("tenderers"), list):
            tender["tenderers"] = [reference(o, "tenderer") for o in tender["tenderers"]]
        _amendments(tender, result)
    for award in data.get("awards") or []:
        if isinstance(award, dict):
            if isinstance(award.get("suppliers"), list):
                award["suppliers"] = [reference(o, "supplier") for o in award["suppliers"]]
            _amendments(award, result)
    for contract in data.get("contracts") or []:
        if isinstance(contract, dict):
            _amendments(contract, result)
    if parties:
        data["parties"] = list(parties.values())
    if result.changed:
        result.notes.append("upgraded from OCDS 1.0 shapes (organisations moved to parties)")
    return result


def _amendments(obj: dict[str, Any], result: Upgrade) -> None:
    if isinstance(obj.get("amendment"), dict) and "amendments" not in obj:
        obj["amendments"] = [obj.pop("amendment")]
        result.changed = True


# Shapes --------------------------------------------------------------------------------


def shape_of(doc: Any) -> str:
    """release-package, record-package, record, release, release-list, or unknown."""
    if isinstance(doc, list):
        return "release-list"
    if not isinstance(doc, dict):
        return "unknown"
    if isinstance(doc.get("records"), list):
        return "record-package"
    if isinstance(doc.get("releases"), list):
        if "compiledRelease" in doc or "versionedRelease" in doc or "ocid" in doc:
            return "record"
        return "release-package"
    if "ocid" in doc or "tag" in doc or "tender" in doc:
        return "release"
    return "unknown"


def is_linked_release(item: dict[str, Any]) -> bool:
    """A record's entry that only points to a release (url, date, tag) without its content."""
    return "url" in item and not (set(item) - {"url", "date", "tag"})
