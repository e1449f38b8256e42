"""``govhub import-dpg PATH…``: Digital Public Goods registry records into the catalogue."""

from __future__ import annotations

from govhub.catalogue.interchange.importer import dpg_import

from ._interchange import ImportCommand


class Command(ImportCommand):
    help = "Import Digital Public Goods registry nominee records (.json); idempotent."
    importer = staticmethod(dpg_import)
