"""Reading Digital Public Goods registry nominee records (JSON) into catalogue facts.

Mapping: name, description (English: the registry writes in English) → summary (cut at a
sentence within 500 characters) and long description; website; repositories[0] → repository
(the others kept as integrations' sources in the record); license[].spdx → licence (several
joined with ``OR``, the registry's meaning: the good is available under each); SDGs → problem
domains ("SDG 3: Good health and well-being") and catalogue categories; type → software or
not (``software`` and ``aimodel`` are software; ``content``, ``data``, ``standard`` are not);
stage → kept (``DPG`` means vetted); organizations (the ``owner`` first) → the publisher and
contact; location.deploymentCountries / developmentCountries → supported countries (matched by
ISO code or English name; unknown names reported).

Publisher country rule: the country-code TLD of the organisation's website, then of the
contact email, then of the other organisations' websites and emails, then of the good's
website or repository, then the first development country given as an ISO code.
A record whose publisher's country cannot be told is rejected with that reason, unless
the import is given a country to assume (``--assume-country``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from .facts import CountryUnknown, Publisher, RecordRejected, SolutionFacts, Text
from .mapping import (
    SDG_CATEGORIES,
    SDG_NAMES,
    email_country,
    licence_normalise,
    repository_key,
    url_country,
)

SOFTWARE_TYPES = {"software", "aimodel"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _str(value: Any) -> str:
    return str(value).strip() if isinstance(value, str | int | float) else ""


def _url(value: Any, path: str, problems: list[str]) -> str:
    text = _str(value)
    if not text:
        return ""
    if not re.match(r"^https?://\S+$", text, re.I) or len(text) > 200:
        problems.append(f"{path}: '{text[:80]}' is not an http(s) URL")
        return ""
    return text


def _summary(description: str) -> str:
    text = " ".join(description.split())
    if len(text) <= 500:
        return text
    cut = text[:499]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 100 else cut.rsplit(" ", 1)[0] + "…"


def _countries(location: Any) -> list[str]:
    """Country names or codes as the record gives them (matched to countries on import)."""
    found: list[str] = []
    if not isinstance(location, dict):
        return found
    for key in ("deploymentCountries", "developmentCountries"):
        for name in location.get(key) or []:
            text = _str(name)
            if text and text not in found:
                found.append(text)
    return found


def parse_dpg(data: bytes, *, file_name: str) -> tuple[SolutionFacts, list[str]]:
    """The facts of one nominee record and its problems; raises ``RecordRejected``."""
    try:
        record = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise RecordRejected([f"file: not UTF-8 text ({exc.reason})"]) from exc
    except json.JSONDecodeError as exc:
        raise RecordRejected(
            [f"file: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc
    if not isinstance(record, dict):
        raise RecordRejected(["file: not a JSON object"])
    problems: list[str] = []

    name = " ".join(_str(record.get("name")).split())[:200]
    if not name:
        raise RecordRejected(["name: missing (the name is mandatory)"])
    description = _str(record.get("description"))
    if not description:
        raise RecordRejected(["description: missing (a description is mandatory)"])
    website = _url(record.get("website"), "website", problems)

    repositories: list[str] = []
    for index, repo in enumerate(record.get("repositories") or []):
        url = _url(
            repo.get("url") if isinstance(repo, dict) else repo,
            f"repositories[{index}].url",
            problems,
        )
        if url:
            repositories.append(url)
    if not repositories and record.get("repositories") is None:
        problems.append("repositories: missing")

    licences: list[str] = []
    open_source = False
    for index, item in enumerate(record.get("license") or []):
        raw = item.get("spdx") if isinstance(item, dict) else item
        licence, is_open, problem = licence_normalise(_str(raw))
        if problem:
            problems.append(f"license[{index}].spdx: {problem}")
        elif licence not in licences:
            licences.append(licence)
            open_source = open_source or is_open
    if not record.get("license"):
        problems.append("license: missing")

    domains: list[str] = []
    categories: list[str] = []
    for index, sdg in enumerate(record.get("SDGs") or []):
        number = sdg.get("SDGNumber") if isinstance(sdg, dict) else sdg
        try:
            goal = int(str(number))
        except (TypeError, ValueError):
            problems.append(f"SDGs[{index}].SDGNumber: '{number}' is not a goal number")
            continue
        if goal not in SDG_NAMES:
            problems.append(f"SDGs[{index}].SDGNumber: {goal} is not a goal (1–17)")
            continue
        domains.append(f"SDG {goal}: {SDG_NAMES[goal]}")
        if SDG_CATEGORIES[goal] not in categories:
            categories.append(SDG_CATEGORIES[goal])
    if not categories:
        categories.append("other")

    types = [_str(t).lower() for t in record.get("type") or [] if _str(t)]
    is_software = bool(SOFTWARE_TYPES & set(types)) or not types
    stage = _str(record.get("stage"))

    organisations = [o for o in record.get("organizations") or [] if isinstance(o, dict)]
    organisations.sort(key=lambda o: 0 if _str(o.get("org_type")) == "owner" else 1)
    if not organisations or not _str(organisations[0].get("name")):
        raise RecordRejected([*problems, "organizations: missing (no publisher)"])
    owner = organisations[0]
    owner_name = " ".join(_str(owner.get("name")).split())[:300]
    owner_site = _url(owner.get("website"), "organizations[0].website", problems)
    contact_email = _str(owner.get("contact_email"))
    if contact_email and not _EMAIL.match(contact_email):
        problems.append(
            f"organizations[0].contact_email: '{contact_email}' is not an email address"
        )
        contact_email = ""

    countries = _countries(record.get("location"))
    country = (
        url_country(owner_site)
        or email_country(contact_email)
        or next(
            (
                url_country(_str(o.get("website"))) or email_country(_str(o.get("contact_email")))
                for o in organisations[1:]
                if url_country(_str(o.get("website")))
                or email_country(_str(o.get("contact_email")))
            ),
            "",
        )
        or url_country(website)
        or next((url_country(r) for r in repositories if url_country(r)), "")
        or next((c.upper() for c in countries if re.match(r"^[A-Za-z]{2}$", c)), "")
    )

    key = repository_key(repositories[0]) if repositories else ""
    facts = SolutionFacts(
        source_id=f"dpg:{file_name.rsplit('.', 1)[0]}",
        source_url=website or (repositories[0] if repositories else ""),
        language="en",
        texts={"en": Text(name=name, summary=_summary(description), description=description)},
        publisher=Publisher(
            name=owner_name,
            country=country,
            website=owner_site,
            email=contact_email,
            external_ids={"dpg_organisation": owner_name},
        ),
        categories=categories,
        problem_domains=domains,
        keywords=[_str(s) for s in record.get("sectors") or [] if _str(s)],
        licence=" OR ".join(licences),
        is_open_source=open_source,
        delivery_model="open_source" if open_source and is_software else "",
        is_software=is_software,
        repository_url=repositories[0] if repositories else "",
        website=website,
        supported_countries=countries,
        contact_name=_str(owner.get("contact_name"))[:200],
        contact_email=contact_email[:254],
        extra={
            "types": types,
            "stage": stage,
            "repositories": repositories,
            "repository_key": key,
            "aliases": [a for a in (_str(x) for x in record.get("aliases") or []) if a],
            "record": record,
        },
    )
    if not country:
        raise CountryUnknown(
            [
                *problems,
                "organizations[0]: the publisher's country cannot be told "
                "(no country domain, no location)",
            ],
            facts,
        )
    return facts, problems
