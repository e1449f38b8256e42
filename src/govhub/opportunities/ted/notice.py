"""A TED notice as plain data: what the readers give and the importer writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class TedParty:
    name: str
    national_id: str = ""
    address: str = ""
    town: str = ""
    postal_code: str = ""
    country: str = ""  # ISO alpha-2 (GB, GR)
    nuts_code: str = ""
    email: str = ""
    website: str = ""
    is_sme: bool | None = None  # contractors only
    buyer_legal_type: str = ""  # authorities only (eForms code)
    main_activity: str = ""  # authorities only (eForms code)


@dataclass
class TedLot:
    number: str
    title: str
    cpv_codes: list[str]
    nuts_codes: list[str]
    estimated_value: Decimal | None
    currency: str


@dataclass
class TedAward:
    lot_number: str
    contract_number: str
    title: str
    is_awarded: bool
    award_date: dt.date | None
    value: Decimal | None
    currency: str
    tenders_received: int | None
    winners: list[TedParty]


@dataclass
class TedNotice:
    oj_number: str
    form: str
    notice_type: str
    publication_date: dt.date | None
    original_language: str
    title: str
    titles: dict[str, str]
    short_description: str
    cpv_main: str
    cpv_additional: list[str]
    nuts_codes: list[str]
    country: str
    estimated_value: Decimal | None
    total_value: Decimal | None
    currency: str
    tender_deadline: dt.datetime | None  # naive: TED gives the buyer's local time
    buyer: TedParty | None
    procedure_type: str
    contract_nature: str
    url: str
    corrects_oj_number: str = ""
    changes: list[dict[str, object]] = field(default_factory=list)
    lots: list[TedLot] = field(default_factory=list)
    awards: list[TedAward] = field(default_factory=list)
