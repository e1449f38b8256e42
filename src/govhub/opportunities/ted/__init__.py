"""Reading TED XML notices (schema R2.0.9 and its S01/S02/R2.0.8 variants) into plain data.

No database here: :func:`parse_notice` turns one file's bytes into a :class:`TedNotice`, which
the importer in ``services`` writes. Elements are found by local name (``{*}``) because the
files in the wild use four different namespaces for the same schema.
"""

from .elements import clean, xml_parser
from .files import ReadResult, init_worker, read_in_worker, read_notice_file
from .notice import TedAward, TedLot, TedNotice, TedParty
from .parse import (
    CA_ACTIVITY_TO_MAIN_ACTIVITY,
    CA_TYPE_TO_BUYER_LEGAL_TYPE,
    TedFormatError,
    original_form,
    parse_notice,
)
from .values import TED_COUNTRY_TO_ISO, iso_country, parse_date, parse_datetime, parse_decimal

__all__ = [
    "CA_ACTIVITY_TO_MAIN_ACTIVITY",
    "CA_TYPE_TO_BUYER_LEGAL_TYPE",
    "TED_COUNTRY_TO_ISO",
    "ReadResult",
    "TedAward",
    "TedFormatError",
    "TedLot",
    "TedNotice",
    "TedParty",
    "clean",
    "init_worker",
    "iso_country",
    "original_form",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_notice",
    "read_in_worker",
    "read_notice_file",
    "xml_parser",
]
