"""Packages of published challenges: per challenge, paginated lists, and the bulk files.

Bulk files (``releases.json``: one release package of every public challenge;
``records.json``: one record package) are built into the default storage by
``build_bulk_files()``, which the ``build_ocds_bulk_files`` task runs in the background;
the download views build them on demand when they are missing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from govhub.challenges.models import Challenge

from . import builders
from .selectors import publishable_challenges

BULK_DIR = "opendata/ocds"
BULK_FILES = {
    "releases.json": "release package of all public challenges (OCDS 1.1)",
    "records.json": "record package of all public challenges (OCDS 1.1)",
}


def challenge_releases(
    challenge: Challenge, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    return builders.releases(challenge, now=now or timezone.now())


def release_package_of(
    challenges: Iterable[Challenge], *, uri: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    release_list = [r for c in challenges for r in challenge_releases(c, now)]
    return builders.release_package(release_list, uri=uri, published=now)


def record_package_of(
    challenges: Iterable[Challenge], *, uri: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    now = now or timezone.now()
    records = []
    for challenge in challenges:
        release_list = challenge_releases(challenge, now)
        if release_list:
            records.append(builders.record(release_list))
    return builders.record_package(records, uri=uri, published=now)


@dataclass(frozen=True)
class BulkFile:
    name: str  # releases.json
    storage_name: str  # opendata/ocds/releases.json in the default storage
    url_name: str  # ocds:bulk-releases
    description: str
    media_type: str
    size: int
    sha256: str
    modified: str
    count: int  # challenges in the file

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def site_url(path: str) -> str:
    return str(getattr(settings, "GOVHUB_SITE_URL", "")).rstrip("/") + path


def build_bulk_files(now: dt.datetime | None = None) -> list[BulkFile]:
    """Write the release and record packages of every public challenge; returns their facts."""
    now = now or timezone.now()
    challenges = list(publishable_challenges())
    built = []
    for name, url_name, make in (
        ("releases.json", "ocds:bulk-releases", release_package_of),
        ("records.json", "ocds:bulk-records", record_package_of),
    ):
        package = make(challenges, uri=site_url(reverse(url_name)), now=now)
        body = json.dumps(package, ensure_ascii=False, separators=(",", ":")).encode()
        storage_name = f"{BULK_DIR}/{name}"
        if default_storage.exists(storage_name):
            default_storage.delete(storage_name)
        default_storage.save(storage_name, ContentFile(body))
        built.append(
            BulkFile(
                name=name,
                storage_name=storage_name,
                url_name=url_name,
                description=BULK_FILES[name],
                media_type="application/json",
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
                modified=builders.iso(now) or "",
                count=len(challenges),
            )
        )
    return built
