"""``govhub import-publiccode PATH…``: publiccode.yml files into the catalogue (idempotent)."""

from __future__ import annotations

from govhub.catalogue.interchange.importer import publiccode_import

from ._interchange import ImportCommand


class Command(ImportCommand):
    help = "Import publiccode.yml files (or the .yml files under directories); idempotent."
    importer = staticmethod(publiccode_import)
