"""Amounts, dates and countries as TED writes them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

# TED writes the United Kingdom and Greece with their EU-internal codes.
TED_COUNTRY_TO_ISO = {"UK": "GB", "EL": "GR"}


def parse_decimal(text: str) -> Decimal | None:
    text = re.sub(r"[\s\u00a0]", "", text or "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal("1e17") else None


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_BASIC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_date(text: str) -> dt.date | None:
    text = (text or "").strip()
    if not text:  # most awards and notices leave a date out
        return None
    # The two shapes TED writes, without strptime (which was a tenth of the parse); what
    # they do not match, or match as an impossible date, goes through strptime below.
    match = _ISO_DATE.fullmatch(text[:10]) if "-" in text else _BASIC_DATE.fullmatch(text[:8])
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text[:10] if "-" in text else text[:8], fmt).date()
        except ValueError:
            continue
    return None


def parse_datetime(date_text: str, time_text: str) -> dt.datetime | None:
    day = parse_date(date_text)
    if day is None:
        return None
    match = re.match(r"(\d{1,2})[:.h](\d{2})", (time_text or "").strip())
    hour, minute = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if hour > 23 or minute > 59:
        hour, minute = 0, 0
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def iso_country(code: str) -> str:
    code = (code or "").strip().upper()
    return TED_COUNTRY_TO_ISO.get(code, code)
