"""Where proposal attachments live: a private storage that nothing serves directly.

Sealed files must never sit under MEDIA_ROOT, where a web server or a guessed URL could
hand them out before the deadline; only the proposals views, through the selectors' seal,
read them. Operators may configure ``STORAGES["proposals"]`` (for example a private S3
bucket); otherwise files go to ``<VAR_DIR>/private/proposals`` on the local disk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.functional import LazyObject, empty

STORAGE_ALIAS = "proposals"


class ProposalStorage(LazyObject):
    def _setup(self) -> None:
        if STORAGE_ALIAS in settings.STORAGES:
            self._wrapped = storages[STORAGE_ALIAS]
        else:
            location = Path(settings.VAR_DIR) / "private"
            self._wrapped = FileSystemStorage(location=location / "proposals")


_LAZY = ProposalStorage()
PROPOSAL_STORAGE = cast(Storage, _LAZY)


def proposal_storage() -> Storage:
    """The field's storage (a callable, so migrations record the reference, not a path)."""
    return PROPOSAL_STORAGE


def swap_backend(backend: Storage | None) -> Storage | None:
    """Put ``backend`` behind the storage (``None``: set it up again from the settings);
    returns the one it replaces. Tests use it to write to a temporary directory."""
    previous: Any = _LAZY._wrapped
    replacement: Any = empty if backend is None else backend
    _LAZY._wrapped = replacement
    return None if previous is empty else cast(Storage, previous)
