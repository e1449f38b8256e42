"""One notice's form read section by section (buyer, lots, awards, changes, titles)."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from lxml import etree

from .elements import _attr, _children, _find, _text, xml_parser
from .notice import TedAward, TedLot, TedNotice, TedParty
from .values import iso_country, parse_date, parse_datetime, parse_decimal

# TED R2.0.9 CA_TYPE → eForms buyer-legal-type (BT-11) and CA_ACTIVITY → main-activity
# (BT-10) exactly as the Publications Office's own TED-XML-to-eForms converter maps them
# (OP-TED/ted-xml-data-converter, xslt/other-mappings.xml), so a buyer is classified as TED
# itself converts it: a national agency is a central government authority (cga) there.
CA_TYPE_TO_BUYER_LEGAL_TYPE = {
    "BODY_PUBLIC": "body-pl",
    "EU_INSTITUTION": "eu-ins-bod-ag",
    "MINISTRY": "cga",
    "NATIONAL_AGENCY": "cga",
    "REGIONAL_AGENCY": "body-pl-ra",
    "REGIONAL_AUTHORITY": "ra",
}
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


class TedFormatError(ValueError):
    """The file is XML but not a TED notice we can read (the message says why)."""


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
