"""Reading TED XML notices (schema R2.0.9 and its S01/S02/R2.0.8 variants) into plain data.

No database here: :func:`parse_notice` turns one file's bytes into a :class:`TedNotice`, which
the importer in ``services`` writes. Elements are found by local name (``{*}``) because the
files in the wild use four different namespaces for the same schema.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Container
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import cast

from lxml import etree

# TED R2.0.9 CA_TYPE → eForms buyer-legal-type
CA_TYPE_TO_BUYER_LEGAL_TYPE = {
    "BODY_PUBLIC": "body-pl",
    "EU_INSTITUTION": "eu-ins-bod-ag",
    "MINISTRY": "cga",
    "NATIONAL_AGENCY": "body-pl-cga",
    "REGIONAL_AGENCY": "body-pl-ra",
    "REGIONAL_AUTHORITY": "ra",
}
# TED R2.0.9 CA_ACTIVITY → eForms main-activity
CA_ACTIVITY_TO_MAIN_ACTIVITY = {
    "GENERAL_PUBLIC_SERVICES": "gen-pub",
    "HEALTH": "health",
    "EDUCATION": "education",
    "DEFENCE": "defence",
    "HOUSING_AND_COMMUNITY_AMENITIES": "hc-am",
    "ECONOMIC_AND_FINANCIAL_AFFAIRS": "econ-aff",
    "SOCIAL_PROTECTION": "soc-pro",
    "ENVIRONMENT": "env-pro",
    "RECREATION_CULTURE_AND_RELIGION": "rcr",
    "PUBLIC_ORDER_AND_SAFETY": "pub-os",
}
# TED writes the United Kingdom and Greece with their EU-internal codes.
TED_COUNTRY_TO_ISO = {"UK": "GB", "EL": "GR"}


class TedFormatError(ValueError):
    """The file is XML but not a TED notice we can read (the message says why)."""


def xml_parser() -> etree.XMLParser:
    # Never fetch DTDs or expand entities from untrusted files (XXE, billion laughs).
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


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


def clean(text: str) -> str:
    return " ".join(text.split())


def _find(node: etree._Element | None, path: str) -> etree._Element | None:
    """``node.find(path)`` for child steps ("{*}A/{*}B"), walked with lxml's C iterators:
    ElementPath's wildcard matching runs in Python and was most of the import's parse time."""
    for step in path.split("/"):
        if node is None:
            return None
        node = next(node.iterchildren(step), None)
    return node


def _children(node: etree._Element | None, path: str) -> list[etree._Element]:
    """The children matching the path's last step, under the first match of the others."""
    *parents, last = path.split("/")
    parent = _find(node, "/".join(parents)) if parents else node
    return list(parent.iterchildren(last)) if parent is not None else []


def _text(node: etree._Element | None, path: str = "") -> str:
    """The node's (or a descendant's) text, paragraphs joined, whitespace collapsed."""
    if node is None:
        return ""
    if path:
        node = _find(node, path)
        if node is None:
            return ""
    children = len(node)
    if not children:  # a leaf, as most are: no paragraphs or inline markup to walk
        return " ".join((node.text or "").split())
    if children == 1:  # one plain paragraph (every title): what the general case gives
        child = node[0]
        tag = child.tag
        if not len(child) and isinstance(tag, str) and (tag == "P" or tag.endswith("}P")):
            return " ".join((child.text or "").split())
    paragraphs = list(node.iterchildren("{*}P"))
    if paragraphs:
        texts = (clean(x.text or "") if not len(x) else clean(_all_text(x)) for x in paragraphs)
        return "\n\n".join(text for text in texts if text)
    return clean(_all_text(node))


def _all_text(node: etree._Element) -> str:
    # What ``"".join(node.itertext())`` gives (no comments, no processing instructions, not
    # the node's own tail), serialised in C instead of one Python string per text part.
    return etree.tostring(node, method="text", encoding="unicode", with_tail=False)


def _attr(node: etree._Element | None, path: str, attr: str) -> str:
    found = _find(node, path)
    return (found.get(attr) or "").strip() if found is not None else ""


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


def _cpv(node: etree._Element | None) -> list[str]:
    if node is None:
        return []
    codes = (c.get("CODE", "").strip() for c in node.iter("{*}CPV_CODE"))
    return list(dict.fromkeys(c[:8] for c in codes if c[:8].isdigit() and len(c) >= 8))


def _by_local_name(node: etree._Element) -> dict[str, etree._Element]:
    """The node's first child of each local name, in one walk over its children (an address
    is read field by field: one lookup each cost more than this)."""
    found: dict[str, etree._Element] = {}
    for child in node.iterchildren(etree.Element):  # elements only, no comments
        tag = child.tag  # "{namespace}NAME"
        found.setdefault(tag[tag.rfind("}") + 1 :], child)
    return found


def _party(address: etree._Element | None) -> TedParty | None:
    if address is None:
        return None
    fields = _by_local_name(address)
    name = _text(fields.get("OFFICIALNAME"))
    if not name:
        return None
    country, nuts = fields.get("COUNTRY"), fields.get("NUTS")
    return TedParty(
        name=name,
        national_id=_text(fields.get("NATIONALID")),
        address=_text(fields.get("ADDRESS")),
        town=_text(fields.get("TOWN")),
        postal_code=_text(fields.get("POSTAL_CODE")),
        country=iso_country((country.get("VALUE") or "").strip() if country is not None else ""),
        nuts_code=(nuts.get("CODE") or "").strip() if nuts is not None else "",
        email=_text(fields.get("E_MAIL")),
        website=_text(fields.get("URL_GENERAL")),
    )


def original_form(root: etree._Element, language: str) -> etree._Element | None:
    """The form in the notice's original language (translations come first in some files)."""
    section = _find(root, "{*}FORM_SECTION")
    if section is None:
        return None
    forms = [child for child in section if isinstance(child.tag, str)]
    originals = [f for f in forms if f.get("CATEGORY") == "ORIGINAL"] or forms
    same_language = [f for f in originals if (f.get("LG") or "").upper() == language.upper()]
    chosen = same_language or originals
    return chosen[0] if chosen else None


def _buyer(form: etree._Element) -> TedParty | None:
    body = _find(form, "{*}CONTRACTING_BODY")
    if body is None:
        return None
    party = _party(_find(body, "{*}ADDRESS_CONTRACTING_BODY"))
    if party is not None:
        party.buyer_legal_type = CA_TYPE_TO_BUYER_LEGAL_TYPE.get(
            _attr(body, "{*}CA_TYPE", "VALUE"), ""
        )
        party.main_activity = CA_ACTIVITY_TO_MAIN_ACTIVITY.get(
            _attr(body, "{*}CA_ACTIVITY", "VALUE"), ""
        )
    return party


def _value(node: etree._Element | None, *paths: str) -> tuple[Decimal | None, str]:
    if node is None:
        return None, ""
    for path in paths:
        found = _find(node, path)
        if found is not None:
            value = parse_decimal(found.text or "")
            if value is not None:
                return value, (found.get("CURRENCY") or "").strip()[:3]
    return None, ""


def _lots(objects: list[etree._Element]) -> list[TedLot]:
    lots = []
    for descr in (d for obj in objects for d in obj.iterchildren("{*}OBJECT_DESCR")):
        value, currency = _value(descr, "{*}VAL_OBJECT")
        lots.append(
            TedLot(
                number=_text(descr, "{*}LOT_NO") or descr.get("ITEM", ""),
                title=_text(descr, "{*}TITLE"),
                cpv_codes=list(
                    dict.fromkeys(
                        c for e in descr.iterchildren("{*}CPV_ADDITIONAL") for c in _cpv(e)
                    )
                ),
                nuts_codes=[
                    n.get("CODE", "") for n in descr.iterchildren("{*}NUTS") if n.get("CODE")
                ],
                estimated_value=value,
                currency=currency,
            )
        )
    return lots


def _awards(form: etree._Element) -> list[TedAward]:
    awards = []
    for award in form.iterchildren("{*}AWARD_CONTRACT"):
        awarded = _find(award, "{*}AWARDED_CONTRACT")
        winners: list[TedParty] = []
        if awarded is not None:
            for contractor in awarded.iter("{*}CONTRACTOR"):
                party = _party(_find(contractor, "{*}ADDRESS_CONTRACTOR"))
                if party is None:
                    continue
                if _find(contractor, "{*}SME") is not None:
                    party.is_sme = True
                elif _find(contractor, "{*}NO_SME") is not None:
                    party.is_sme = False
                winners.append(party)
        value, currency = _value(
            awarded, "{*}VALUES/{*}VAL_TOTAL", "{*}VAL_TOTAL", "{*}VALUES/{*}VAL_ESTIMATED_TOTAL"
        )
        received = _text(awarded, "{*}TENDERS/{*}NB_TENDERS_RECEIVED") or _text(
            awarded, "{*}NB_TENDERS_RECEIVED"
        )
        awards.append(
            TedAward(
                lot_number=_text(award, "{*}LOT_NO"),
                contract_number=_text(award, "{*}CONTRACT_NO")[:300],
                title=_text(award, "{*}TITLE"),
                is_awarded=awarded is not None,
                award_date=parse_date(_text(awarded, "{*}DATE_CONCLUSION_CONTRACT")),
                value=value,
                currency=currency,
                tenders_received=int(received) if received.isdigit() else None,
                winners=winners,
            )
        )
    return awards


def _changes(form: etree._Element) -> list[dict[str, object]]:
    changes: list[dict[str, object]] = []
    for change in _children(form, "{*}CHANGES/{*}CHANGE"):
        where = _find(change, "{*}WHERE")
        old, new = _find(change, "{*}OLD_VALUE"), _find(change, "{*}NEW_VALUE")
        changes.append(
            {
                "section": _text(where, "{*}SECTION").rstrip(").").strip(),
                "lot": _text(where, "{*}LOT_NO"),
                "label": _text(where, "{*}LABEL"),
                "old_text": _text(old, "{*}TEXT"),
                "new_text": _text(new, "{*}TEXT"),
                "old_cpv": _cpv(old),
                "new_cpv": _cpv(new),
                "new_date": _text(new, "{*}DATE"),
                "new_time": _text(new, "{*}TIME"),
            }
        )
    return changes


# Each language's ML_TI_DOC and its (first) TI_TEXT, by local name as everywhere here.
_TITLE_TEXTS = etree.XPath("*[local-name()='ML_TI_DOC']/*[local-name()='TI_TEXT'][1]")


def _titles(ml_titles: etree._Element | None) -> dict[str, str]:
    """{language: official title}; one XPath call instead of a lookup per language."""
    titles: dict[str, str] = {}
    if ml_titles is None:
        return titles
    for title in cast(list[etree._Element], _TITLE_TEXTS(ml_titles)):
        doc = title.getparent()
        text, lang = _text(title), doc.get("LG") if doc is not None else None
        if text and lang:
            titles[lang.lower()] = text
    return titles


def parse_notice(data: bytes) -> TedNotice:
    """One TED notice from its file's bytes; raises XMLSyntaxError or TedFormatError."""
    root = etree.fromstring(data, xml_parser())
    if root.getroottree().docinfo.internalDTD is not None:
        # Entities are never expanded anyway; TED exports carry no DOCTYPE, so refuse it.
        raise TedFormatError("a DOCTYPE declaration (TED exports have none)")
    coded = _find(root, "{*}CODED_DATA_SECTION")
    if coded is None or etree.QName(root).localname != "TED_EXPORT":
        raise TedFormatError("not a TED export (no TED_EXPORT/CODED_DATA_SECTION)")
    notice_data = _find(coded, "{*}NOTICE_DATA")
    oj_number = _text(notice_data, "{*}NO_DOC_OJS")
    if notice_data is None or not oj_number:
        raise TedFormatError("no OJ S number (NOTICE_DATA/NO_DOC_OJS)")
    language = _text(notice_data, "{*}LG_ORIG").upper()[:2]
    form = original_form(root, language)
    if form is None:
        raise TedFormatError("no form in FORM_SECTION")
    titles = _titles(_find(root, "{*}TRANSLATION_SECTION/{*}ML_TITLES"))
    # Prior information notices may announce several procurements (OBJECT_CONTRACT ITEM=n):
    # the first gives the notice its title and main CPV; the lots of all are kept.
    objects = list(form.iterchildren("{*}OBJECT_CONTRACT"))
    obj = objects[0] if objects else None
    codif = _find(coded, "{*}CODIF_DATA")
    cpv_main = _cpv(_find(obj, "{*}CPV_MAIN")) if obj is not None else []
    if not cpv_main:
        cpv_main = _cpv_original(notice_data)
    additional: list[str] = []
    for each in objects:
        for descr in each.iterchildren("{*}OBJECT_DESCR"):
            for extra in descr.iterchildren("{*}CPV_ADDITIONAL"):
                additional.extend(_cpv(extra))
    additional = [c for c in dict.fromkeys(additional) if c not in cpv_main[:1]]
    nuts = [
        n.get("CODE", "") for n in notice_data.iterchildren("{*}PERFORMANCE_NUTS") if n.get("CODE")
    ] or [n.get("CODE", "") for n in notice_data.iterchildren("{*}ORIGINAL_NUTS") if n.get("CODE")]
    estimated, currency = _value(obj, "{*}VAL_ESTIMATED_TOTAL")
    total, total_currency = _value(obj, "{*}VAL_TOTAL")
    procedure = _find(form, "{*}PROCEDURE")
    deadline = parse_datetime(
        _text(procedure, "{*}DATE_RECEIPT_TENDERS"), _text(procedure, "{*}TIME_RECEIPT_TENDERS")
    )
    uris = {
        (u.get("LG") or "").upper(): (u.text or "").strip()
        for u in _children(notice_data, "{*}URI_LIST/{*}URI_DOC")
    }
    form_code = form.get("FORM") or etree.QName(form).localname.split("_")[0]
    complementary = _find(form, "{*}COMPLEMENTARY_INFO")
    corrects = ""
    if form_code == "F14":
        corrects = _text(complementary, "{*}NOTICE_NUMBER_OJ") or _text(
            notice_data, "{*}REF_NOTICE/{*}NO_DOC_OJS"
        )
    return TedNotice(
        oj_number=oj_number[:32],
        form=form_code[:8],
        notice_type=_text(codif, "{*}TD_DOCUMENT_TYPE")[:200],
        publication_date=parse_date(_text(coded, "{*}REF_OJS/{*}DATE_PUB")),
        original_language=language.lower(),
        title=_text(obj, "{*}TITLE") if obj is not None else titles.get(language.lower(), ""),
        titles=titles,
        short_description=_text(obj, "{*}SHORT_DESCR") if obj is not None else "",
        cpv_main=cpv_main[0] if cpv_main else "",
        cpv_additional=additional,
        nuts_codes=list(dict.fromkeys(nuts)),
        country=iso_country(_attr(notice_data, "{*}ISO_COUNTRY", "VALUE"))[:2],
        estimated_value=estimated,
        total_value=total,
        currency=(currency or total_currency)[:3],
        tender_deadline=deadline,
        buyer=_buyer(form),
        procedure_type=_text(codif, "{*}PR_PROC")[:200],
        contract_nature=_text(codif, "{*}NC_CONTRACT_NATURE")[:100],
        url=(uris.get("EN") or next(iter(uris.values()), ""))[:300],
        corrects_oj_number=corrects[:32],
        changes=_changes(form) if form_code == "F14" else [],
        lots=_lots(objects),
        awards=_awards(form),
    )


def _cpv_original(notice_data: etree._Element | None) -> list[str]:
    if notice_data is None:
        return []
    return [
        c.get("CODE", "")[:8]
        for c in notice_data.iterchildren("{*}ORIGINAL_CPV")
        if c.get("CODE", "")[:8].isdigit()
    ]


@dataclass
class ReadResult:
    """One file read, hashed and (unless already known) parsed; what the importer needs."""

    path: Path
    digest: str = ""
    notice: TedNotice | None = None
    error: str = ""  # why the file is skipped
    known: bool = False  # same bytes as a notice already imported
    seconds: float = 0.0  # spent parsing


def read_notice_file(path: Path, known: Container[str] = ()) -> ReadResult:
    """Read, hash and parse one file. No database: runs in worker processes too."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult(path, error=f"cannot read: {exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    if digest in known:
        return ReadResult(path, digest, known=True)
    started = time.perf_counter()
    try:
        notice = parse_notice(data)
    except etree.XMLSyntaxError as exc:
        return ReadResult(path, digest, error=f"malformed XML: {exc}")
    except TedFormatError as exc:
        return ReadResult(path, digest, error=str(exc))
    return ReadResult(path, digest, notice, seconds=time.perf_counter() - started)


# Worker processes get the digests already imported once, when they start.
_known_in_worker: frozenset[str] = frozenset()


def init_worker(known: frozenset[str]) -> None:
    global _known_in_worker
    _known_in_worker = known


def read_in_worker(path: Path) -> ReadResult:
    return read_notice_file(path, _known_in_worker)
