"""Importing TED notices as external opportunities and awards.

Imported notices, and the organisations named in them, are public records published on TED,
not procurement data of this platform: no user acts on them here. So the import writes in
bulk and records ONE summary audit event per run (what was created, updated, skipped),
not one per row. Files are parsed one by one and written in batches, each batch in one
transaction; a malformed file is reported and skipped without stopping the run, and a batch
the database refuses is retried file by file so that only the offending file is skipped.
"""

from .corrigenda import corrigendum_apply
from .files import ted_files
from .importer import BATCH_SIZE, TedImporter
from .organisations import (
    NewOrganisation,
    OrganisationIndex,
    normalise_name,
    normalise_national_id,
    unclaimed_organisations_create,
)
from .report import ImportReport
from .rows import BRUSSELS
from .run import ted_import

__all__ = [
    "BATCH_SIZE",
    "BRUSSELS",
    "ImportReport",
    "NewOrganisation",
    "OrganisationIndex",
    "TedImporter",
    "corrigendum_apply",
    "normalise_name",
    "normalise_national_id",
    "ted_files",
    "ted_import",
    "unclaimed_organisations_create",
]
