"""Real organisations for the demo, read from TED notices (schema R2.0.9) in shared/.

Only what the demo needs: the contracting body of each notice and the winning contractors of
award notices (the full import is ``govhub.opportunities``); this module reads names, national
IDs, countries, NUTS codes and buyer classifications. TED's codes are translated with the
importer's own tables, so the demo and the import classify a buyer alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from govhub.opportunities.ted import (
    CA_ACTIVITY_TO_MAIN_ACTIVITY,
    CA_TYPE_TO_BUYER_LEGAL_TYPE,
    TED_COUNTRY_TO_ISO,
)

# NUTS codes start with TED's country codes (EL, UK), not ISO's.
ISO_TO_NUTS_COUNTRY = {iso: ted for ted, iso in TED_COUNTRY_TO_ISO.items()}


@dataclass(frozen=True)
class TedParty:
    name: str
    country_alpha2: str
    nuts_code: str
    national_id: str
    email: str
    website: str
    buyer_legal_type: str = ""  # authorities only
    main_activity: str = ""  # authorities only
    is_sme: bool | None = None  # contractors only
    source: str = ""  # notice file name, e.g. 000002-2019.xml


def _text(node: etree._Element | None, name: str) -> str:
    if node is None:
        return ""
    found = node.find(f"{{*}}{name}")
    if found is None:
        found = node.find(name)
    return (found.text or "").strip() if found is not None and found.text else ""


def _attr(node: etree._Element | None, name: str, attr: str = "VALUE") -> str:
    if node is None:
        return ""
    for child in node.iter():
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.get(attr) or "").strip()
    return ""


def _party(address: etree._Element, source: str) -> TedParty | None:
    name = _text(address, "OFFICIALNAME")
    country = _attr(address, "COUNTRY")
    if not name or not country:
        return None
    return TedParty(
        name=" ".join(name.split()),
        country_alpha2=TED_COUNTRY_TO_ISO.get(country, country),
        nuts_code=_attr(address, "NUTS", "CODE"),
        national_id=_text(address, "NATIONALID"),
        email=_text(address, "E_MAIL"),
        website=_text(address, "URL_GENERAL"),
        source=source,
    )


def _by_localname(root: etree._Element, name: str) -> Iterator[etree._Element]:
    for node in root.iter():
        if isinstance(node.tag, str) and etree.QName(node).localname == name:
            yield node


def parties_in_notice(path: Path) -> tuple[list[TedParty], list[TedParty]]:
    """(contracting bodies, winning contractors) named in one TED XML notice."""
    root = etree.parse(
        str(path), etree.XMLParser(resolve_entities=False, no_network=True)
    ).getroot()
    # A notice carries its form in several languages; the original comes first.
    form = next(iter(_by_localname(root, "FORM_SECTION")), None)
    if form is None:
        return [], []
    body = next((child for child in form if isinstance(child.tag, str)), None)
    if body is None:
        return [], []
    buyers: list[TedParty] = []
    for contracting_body in _by_localname(body, "CONTRACTING_BODY"):
        ca_type = _attr(contracting_body, "CA_TYPE")
        activity = _attr(contracting_body, "CA_ACTIVITY")
        for address in _by_localname(contracting_body, "ADDRESS_CONTRACTING_BODY"):
            party = _party(address, path.name)
            if party:
                buyers.append(
                    TedParty(
                        **{
                            **party.__dict__,
                            "buyer_legal_type": CA_TYPE_TO_BUYER_LEGAL_TYPE.get(ca_type, ""),
                            "main_activity": CA_ACTIVITY_TO_MAIN_ACTIVITY.get(activity, ""),
                        }
                    )
                )
        break
    contractors: list[TedParty] = []
    for contractor in _by_localname(body, "CONTRACTOR"):
        contractor_address = next(_by_localname(contractor, "ADDRESS_CONTRACTOR"), None)
        if contractor_address is None:
            continue
        party = _party(contractor_address, path.name)
        if party is None:
            continue
        sme = next(
            (
                etree.QName(c).localname == "SME"
                for c in contractor
                if isinstance(c.tag, str) and etree.QName(c).localname in {"SME", "NO_SME"}
            ),
            None,
        )
        contractors.append(TedParty(**{**party.__dict__, "is_sme": sme}))
    return buyers, contractors


def sample_parties(
    notices_dir: Path, *, countries: tuple[str, ...], per_country: int = 2
) -> tuple[list[TedParty], list[TedParty]]:
    """A deterministic sample: per country, the first authorities and SME contractors found.

    Files are read in name order, so every demo install gets the same organisations.
    Authorities need a legal type and a NUTS code; contractors declared SMEs come first.
    """
    buyers: dict[str, list[TedParty]] = {c: [] for c in countries}
    contractors: dict[str, list[TedParty]] = {c: [] for c in countries}
    seen: set[tuple[str, str]] = set()
    for path in sorted(notices_dir.glob("*.xml")):
        try:
            notice_buyers, notice_contractors = parties_in_notice(path)
        except etree.XMLSyntaxError:
            continue
        for party in notice_buyers:
            key = (party.country_alpha2, party.name.casefold())
            slot = buyers.get(party.country_alpha2)
            if slot is None or key in seen or len(slot) >= per_country:
                continue
            if party.buyer_legal_type and party.nuts_code:
                seen.add(key)
                slot.append(party)
        for party in notice_contractors:
            key = (party.country_alpha2, party.name.casefold())
            slot = contractors.get(party.country_alpha2)
            # A national ID keeps out natural persons, whom the demo should not show.
            if slot is None or key in seen or party.is_sme is None or not party.national_id:
                continue
            nuts_country = ISO_TO_NUTS_COUNTRY.get(party.country_alpha2, party.country_alpha2)
            if party.nuts_code and not party.nuts_code.startswith(nuts_country):
                continue  # the notice contradicts itself: skip rather than guess
            seen.add(key)
            slot.append(party)
        if all(len(found) >= per_country for found in buyers.values()) and all(
            sum(1 for p in found if p.is_sme) >= per_country for found in contractors.values()
        ):
            break
    suppliers = {
        c: sorted(found, key=lambda p: not p.is_sme)[:per_country]
        for c, found in contractors.items()
    }
    return (
        [p for c in countries for p in buyers[c]],
        [p for c in countries for p in suppliers[c]],
    )


@dataclass(frozen=True)
class TedNotice:
    """What the demo reuses of a contract notice: its buyer, subject and classification."""

    source: str
    form: str  # F01, F02, F03…
    title: str
    description: str
    cpv_codes: tuple[str, ...]  # 8 digits, main first
    estimated_value: str
    currency: str
    buyer: TedParty


def _clean(text: str) -> str:
    return " ".join(text.split())


def _text_of(node: etree._Element | None, separator: str) -> str:
    if node is None:
        return ""
    return _clean(separator.join(str(part) for part in node.itertext()))


def notice_summary(path: Path) -> TedNotice | None:
    root = etree.parse(
        str(path), etree.XMLParser(resolve_entities=False, no_network=True)
    ).getroot()
    form_section = next(iter(_by_localname(root, "FORM_SECTION")), None)
    if form_section is None:
        return None
    body = next((child for child in form_section if isinstance(child.tag, str)), None)
    if body is None:
        return None
    form = (body.get("FORM") or etree.QName(body).localname.split("_")[0]).upper()
    buyers, _contractors = parties_in_notice(path)
    obj = next(_by_localname(body, "OBJECT_CONTRACT"), None)
    if obj is None or not buyers:
        return None
    title_node = next(_by_localname(obj, "TITLE"), None)
    descr_node = next(_by_localname(obj, "SHORT_DESCR"), None)
    codes = [
        node.get("CODE", "")
        for node in _by_localname(obj, "CPV_CODE")
        if (node.get("CODE") or "").isdigit()
    ]
    value_node = next(_by_localname(obj, "VAL_ESTIMATED_TOTAL"), None)
    return TedNotice(
        source=path.name,
        form=form,
        title=_text_of(title_node, ""),
        description=_text_of(descr_node, " "),
        cpv_codes=tuple(dict.fromkeys(codes)),
        estimated_value=(value_node.text or "").strip() if value_node is not None else "",
        currency=(value_node.get("CURRENCY") or "EUR") if value_node is not None else "EUR",
        buyer=buyers[0],
    )


INNOVATION_DIVISIONS = ("72", "73")  # IT services; research and development


def innovation_notices(notices_dir: Path, *, count: int) -> list[TedNotice]:
    """The first ``count`` prior-information or contract notices (F01/F02) for IT or R&D
    services, from authorities in different countries that TED classifies, in file order."""
    found: list[TedNotice] = []
    countries: set[str] = set()
    for path in sorted(notices_dir.glob("*.xml")):
        try:
            notice = notice_summary(path)
        except etree.XMLSyntaxError:
            continue
        if notice is None or notice.form not in {"F01", "F02"} or not notice.cpv_codes:
            continue
        buyer = notice.buyer
        if not notice.cpv_codes[0].startswith(INNOVATION_DIVISIONS):
            continue
        if buyer.buyer_legal_type in {"", "eu-ins-bod-ag"} or not buyer.nuts_code:
            continue
        if buyer.country_alpha2 in countries or not notice.description:
            continue
        countries.add(buyer.country_alpha2)
        found.append(notice)
        if len(found) >= count:
            break
    return found


_MAIN_CPV = re.compile(rb"<CPV_MAIN>\s*<CPV_CODE CODE=\"(\d{8})\"")


def innovation_suppliers(
    notices_dir: Path, *, count: int
) -> list[tuple[TedParty, tuple[str, ...]]]:
    """SMEs that won contracts (award notices), IT or R&D first, with the CPV codes they won."""
    innovative: list[tuple[TedParty, tuple[str, ...]]] = []
    others: list[tuple[TedParty, tuple[str, ...]]] = []
    seen: set[str] = set()
    for path in sorted(notices_dir.glob("*.xml")):
        raw = path.read_bytes()
        main = _MAIN_CPV.search(raw)
        # A cheap look before parsing: only award notices name winners.
        if main is None or b"<AWARD_CONTRACT" not in raw:
            continue
        bucket = innovative if main.group(1).decode().startswith(INNOVATION_DIVISIONS) else others
        if bucket is others and len(others) >= count:
            continue
        try:
            _buyers, contractors = parties_in_notice(path)
        except etree.XMLSyntaxError:
            continue
        codes = tuple(
            dict.fromkeys(c.decode() for c in re.findall(rb'CPV_CODE CODE="(\d{8})"', raw))
        )
        for party in contractors:
            nuts_country = ISO_TO_NUTS_COUNTRY.get(party.country_alpha2, party.country_alpha2)
            if not party.is_sme or not party.national_id or party.name.casefold() in seen:
                continue
            if party.nuts_code and not party.nuts_code.startswith(nuts_country):
                continue
            seen.add(party.name.casefold())
            bucket.append((party, codes))
        if len(innovative) >= count:
            break
    return (innovative + others)[:count]
