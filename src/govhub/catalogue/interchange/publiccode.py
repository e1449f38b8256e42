"""Reading publiccode.yml files (versions 0.1 to 1.0, as really published) into catalogue facts.

Tolerance: the keys publishers really misspell are read with a problem noted
(``intendedaudience``, ``localization``, ``landingUrl``/``landingPage``, an upper-case country
section ``IT``, a description without a language level, ``0.4`` vs ``0.4.0``…). Every problem is
one ``field path: problem`` line. A file is rejected only when a mandatory fact is missing:
its name, a description in some language, or a publisher (legal.mainCopyrightOwner,
legal.repoOwner, organisation.name, or the repository's owner) whose country can be told.

Publisher country rule, first that gives one: intendedAudience.countries (the first), the
country section of the file (``it:`` → IT, ``nl:`` → NL…), the country-code TLD of
organisation.uri, landingURL or url, then the language of the first description
(``it`` → IT, ``nl`` → NL, ``de`` → DE, ``fr`` → FR, ``sv`` → SE…).

Other mappings: developmentStatus → TRL (see ``mapping``); it.conforme flags that are true →
standards; it.piattaforme flags that are true and dependsOn (open, proprietary, hardware) →
integrations; maintenance.contacts[0] → contact; localisation.availableLanguages →
supported languages; features, platforms and softwareType → keywords and the kept record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import yaml

from .facts import CountryUnknown, Publisher, RecordRejected, SolutionFacts, Text
from .mapping import (
    DEVELOPMENT_STATUS_TRL,
    LANGUAGE_COUNTRY,
    PUBLICCODE_CATEGORIES,
    PUBLICCODE_SCOPES,
    email_country,
    language_code,
    licence_normalise,
    repository_key,
    url_country,
)

KNOWN_VERSIONS = {"0.1", "0.2", "0.2.0", "0.3", "0.3.0", "0.4", "0.4.0", "0.5", "0.5.0", "0.6"}
KNOWN_VERSIONS |= {"0.6.0", "0.7", "0.7.0", "0.7.1", "0.8", "0.8.0", "1.0", "1.0.0"}
KNOWN_KEYS = {
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "logo",
    "monochromeLogo",
    "inputTypes",
    "outputTypes",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
    "organisation",
    "organization",
}
# Country sections (country extensions) and the country they stand for.
COUNTRY_SECTIONS = {"it": "IT", "nl": "NL", "de": "DE", "fr": "FR", "tw": "TW", "se": "SE"}
SHORT_DESCRIPTION_MAX = 150
NO_COUNTRY = (
    "the publisher's country cannot be told "
    "(no intendedAudience.countries, country section, country domain or language)"
)
SUMMARY_MAX = 500
NAME_MAX = 200

IT_STANDARDS = {
    "lineeGuidaDesign": "AgID design guidelines (Linee guida di design)",
    "modelloInteroperabilita": "AgID interoperability model (ModI)",
    "misureMinimeSicurezza": "AgID minimum ICT security measures",
    "gdpr": "GDPR (Regulation (EU) 2016/679)",
}
IT_PLATFORMS = {
    "spid": "SPID",
    "cie": "CIE",
    "anpr": "ANPR",
    "pagopa": "pagoPA",
    "io": "App IO",
    "pdnd": "PDND",
}
# "© 2018 Comune di X", "Copyright (c) 2019-2021 X" → "Comune di X", "X".
_COPYRIGHT_PREFIX = re.compile(
    r"^(?:(?:©|\(c\)|copyright)\s*)*(?:\d{4}(?:\s*-\s*\d{4})?\s*,?\s*)?", re.IGNORECASE
)
# Paths, URLs and e-mail addresses put where a name belongs ("legal/authorsFile").
_NOT_A_NAME = re.compile(r"^(\S*/\S*|\S+@\S+|https?:\S*)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def json_safe(value: Any) -> Any:
    """The YAML document as JSON (dates become ISO strings, keys strings)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def load_yaml(data: bytes) -> dict[str, Any]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RecordRejected([f"file: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from exc
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RecordRejected([f"file: malformed YAML{where}: {problem}"]) from exc
    if not isinstance(document, dict):
        raise RecordRejected(["file: not a publiccode.yml mapping"])
    return document


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _url(value: Any, path: str, problems: list[str]) -> str:
    text = _str(value)
    if not text:
        return ""
    if not re.match(r"^https?://", text, re.I):
        if re.match(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", text, re.I):
            problems.append(f"{path}: '{text}' has no scheme, read as https://{text}")
            text = "https://" + text
        else:
            problems.append(f"{path}: '{text[:80]}' is not an http(s) URL")
            return ""
    try:
        if not urlsplit(text).hostname:
            raise ValueError(text)
    except ValueError:
        problems.append(f"{path}: '{text[:80]}' is not a valid URL")
        return ""
    if len(text) > 200 or " " in text:
        problems.append(f"{path}: URL too long or contains spaces")
        return ""
    return text


def _get(
    doc: Mapping[str, Any], key: str, problems: list[str], *variants: str, prefix: str = ""
) -> Any:
    """``doc[key]``, or a misspelt variant of it (noted as a problem)."""
    if key in doc:
        return doc[key]
    for variant in variants:
        if variant in doc:
            problems.append(f"{prefix}{variant}: read as {prefix}{key} (misspelt key)")
            return doc[variant]
    return None


def _as_list(value: Any, path: str, problems: list[str]) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None]
    if isinstance(value, str | int | float):
        problems.append(f"{path}: a single value where a list is expected")
        return [value]
    problems.append(f"{path}: not a list")
    return []


def _texts(
    doc: Mapping[str, Any], name: str, fallback_language: str, problems: list[str]
) -> tuple[dict[str, Text], dict[str, list[str]], list[str]]:
    """Per-language texts, features, and the generic names."""
    raw = doc.get("description")
    fields = {"shortDescription", "longDescription", "localisedName", "features", "genericName"}
    if raw is None and any(k in doc for k in ("shortDescription", "longDescription")):
        problems.append(
            f"description: missing; top-level description fields read as "
            f"description.{fallback_language}"
        )
        raw = {fallback_language: {k: doc.get(k) for k in fields if k in doc}}
    if not isinstance(raw, dict) or not raw:
        raise RecordRejected([*problems, "description: missing (a description is mandatory)"])
    if fields & set(raw):
        problems.append(
            f"description: has no language level; read as description.{fallback_language}"
        )
        raw = {fallback_language: raw}
    texts: dict[str, Text] = {}
    features: dict[str, list[str]] = {}
    generic: list[str] = []
    for key, body in raw.items():
        path = f"description.{key}"
        lang = language_code(key)
        if not lang:
            problems.append(f"{path}: '{key}' is not a language code (ignored)")
            continue
        if str(key) != lang:
            problems.append(f"{path}: language code read as '{lang}'")
        if lang in texts:
            problems.append(f"{path}: second description in '{lang}' (ignored)")
            continue
        if isinstance(body, str) and body.strip():
            problems.append(f"{path}: a text, not a mapping; read as its longDescription")
            body = {"longDescription": body}
        if not isinstance(body, dict):
            problems.append(f"{path}: not a mapping (ignored)")
            continue
        short = " ".join(_str(body.get("shortDescription")).split())
        long = _str(body.get("longDescription"))
        if not short and not long:
            problems.append(f"{path}: neither shortDescription nor longDescription (ignored)")
            continue
        if not short:
            problems.append(f"{path}.shortDescription: missing; taken from longDescription")
            short = " ".join(long.split())
            short = short[:SHORT_DESCRIPTION_MAX].rsplit(" ", 1)[0] if len(short) > 150 else short
        elif len(short) > SHORT_DESCRIPTION_MAX:
            problems.append(
                f"{path}.shortDescription: longer than {SHORT_DESCRIPTION_MAX} characters "
                f"({len(short)})"
            )
        if len(short) > SUMMARY_MAX:
            problems.append(f"{path}.shortDescription: cut to {SUMMARY_MAX} characters")
            short = short[: SUMMARY_MAX - 1].rstrip() + "…"
        if not long:
            problems.append(f"{path}.longDescription: missing")
        localised = _str(body.get("localisedName")) or name
        texts[lang] = Text(name=localised[:NAME_MAX], summary=short, description=long)
        feats = [_str(f) for f in _as_list(body.get("features"), f"{path}.features", problems)]
        features[lang] = [f for f in feats if f]
        if _str(body.get("genericName")):
            generic.append(_str(body.get("genericName")))
    if not texts:
        raise RecordRejected([*problems, "description: no usable description in any language"])
    return texts, features, generic


def _publisher(
    doc: Mapping[str, Any], url: str, problems: list[str]
) -> tuple[str, str, dict[str, str]]:
    """(name, website, external ids) of the publisher."""
    raw_legal = doc.get("legal")
    legal: dict[str, Any] = raw_legal if isinstance(raw_legal, dict) else {}
    raw_org = _get(doc, "organisation", [], "organization")
    organisation: dict[str, Any] = raw_org if isinstance(raw_org, dict) else {}
    it = doc.get("it") or doc.get("IT")
    ipa = ""
    if isinstance(it, dict) and isinstance(it.get("riuso"), dict):
        ipa = _str(it["riuso"].get("codiceIPA"))
    ids: dict[str, str] = {}
    if ipa:
        ids["it_ipa"] = ipa
    website = _url(organisation.get("uri") or organisation.get("url"), "organisation.uri", problems)
    for path, value in (
        ("legal.mainCopyrightOwner", legal.get("mainCopyrightOwner")),
        ("legal.repoOwner", legal.get("repoOwner")),
        ("organisation.name", organisation.get("name")),
    ):
        raw = " ".join(_str(value).split())
        name = _COPYRIGHT_PREFIX.sub("", raw).strip(" ,")
        if raw and (not name or _NOT_A_NAME.match(name)):
            problems.append(f"{path}: '{raw[:80]}' is not a name (ignored)")
            continue
        if name:
            ids["publiccode_owner"] = name
            return name[:300], website, ids
    owner = ""
    if url:
        parts = [p for p in urlsplit(url).path.split("/") if p]
        owner = parts[0] if parts else ""
    if owner:
        problems.append(
            f"legal.repoOwner: missing; publisher taken from the repository owner '{owner}'"
        )
        ids["repository_owner"] = owner
        return owner[:300], website, ids
    raise RecordRejected(
        [*problems, "legal.repoOwner: missing (no publisher: mainCopyrightOwner, repoOwner)"]
    )


def _emails(doc: Mapping[str, Any]) -> list[str]:
    """Contact and contractor email addresses, in the file's order."""
    found: list[str] = []
    maintenance = doc.get("maintenance")
    if not isinstance(maintenance, dict):
        return found
    for key in ("contacts", "contractors"):
        people = maintenance.get(key)
        for person in people if isinstance(people, list) else []:
            if isinstance(person, dict):
                found.append(_str(person.get("email")))
                if _str(person.get("website")):
                    found.append("x@" + (urlsplit(_str(person.get("website"))).hostname or ""))
    return [e for e in found if "@" in e]


def parse_publiccode(data: bytes, *, file_name: str) -> tuple[SolutionFacts, list[str]]:
    """The facts of one publiccode.yml file and its problems; raises ``RecordRejected``."""
    doc = load_yaml(data)
    problems: list[str] = []

    version = _str(doc.get("publiccodeYmlVersion"))
    if not version:
        problems.append("publiccodeYmlVersion: missing")
    elif version not in KNOWN_VERSIONS:
        problems.append(f"publiccodeYmlVersion: '{version}' is not a published version")

    for key in doc:
        key_text = str(key)
        if key_text in KNOWN_KEYS or key_text.startswith("x-"):
            continue
        if key_text.lower() in COUNTRY_SECTIONS and key_text == key_text.lower():
            continue
        if key_text in ("intendedaudience", "localization", "landingUrl", "landingPage"):
            continue  # read below, with their own problem
        if key_text in ("IT", "shortDescription", "longDescription", "features", "latestRelease"):
            continue
        problems.append(f"{key_text}: not a publiccode.yml key (ignored)")

    name = " ".join(_str(doc.get("name")).split())
    if not name:
        raise RecordRejected([*problems, "name: missing (the name is mandatory)"])
    if len(name) > NAME_MAX:
        problems.append(f"name: cut to {NAME_MAX} characters")
        name = name[:NAME_MAX]

    url = _url(doc.get("url"), "url", problems)
    if not _str(doc.get("url")):
        problems.append("url: missing")
    website = _url(
        _get(doc, "landingURL", problems, "landingUrl", "landingPage"), "landingURL", problems
    )

    localisation = _get(doc, "localisation", problems, "localization")
    localisation = localisation if isinstance(localisation, dict) else {}
    languages_raw = _get(
        localisation, "availableLanguages", [], "availableLanguage", prefix="localisation."
    )
    languages: list[str] = []
    for value in _as_list(languages_raw, "localisation.availableLanguages", problems):
        code = language_code(value)
        if not code:
            problems.append(f"localisation.availableLanguages: '{value}' is not a language code")
        elif code not in languages:
            languages.append(code)

    fallback_language = languages[0] if languages else "en"
    texts, features, generic = _texts(doc, name, fallback_language, problems)
    language = next(iter(texts))

    legal = doc.get("legal")
    if not isinstance(legal, dict):
        problems.append("legal: missing")
        legal = {}
    licence, open_source, licence_problem = licence_normalise(_str(legal.get("license")))
    if licence_problem:
        problems.append(f"legal.license: {licence_problem}")

    audience = _get(doc, "intendedAudience", problems, "intendedaudience")
    audience = audience if isinstance(audience, dict) else {}
    countries: list[str] = []
    for value in _as_list(audience.get("countries"), "intendedAudience.countries", problems):
        code = _str(value).upper()
        if not re.match(r"^[A-Z]{2}$", code):
            problems.append(f"intendedAudience.countries: '{value}' is not an ISO country code")
        elif code not in countries:
            countries.append(code)
    scopes = [_str(s) for s in _as_list(audience.get("scope"), "intendedAudience.scope", problems)]
    scopes = [s for s in scopes if s]

    publisher_name, publisher_site, ids = _publisher(doc, url, problems)
    country = countries[0] if countries else ""
    if not country:
        for key in doc:
            section = str(key)
            if section.lower() in COUNTRY_SECTIONS and isinstance(doc[key], dict):
                if section != section.lower():
                    problems.append(f"{section}: country section read as '{section.lower()}'")
                country = COUNTRY_SECTIONS[section.lower()]
                break
    if not country:
        for candidate in (publisher_site, website, url):
            country = url_country(candidate)
            if country:
                break
    if not country:
        for email in _emails(doc):
            country = email_country(email)
            if country:
                break
    if not country:
        country = LANGUAGE_COUNTRY.get(language, "")
    if not country:
        others = {LANGUAGE_COUNTRY.get(code, "") for code in languages if code != "en"}
        if len(others) == 1:
            country = others.pop()

    categories: list[str] = []
    keywords: list[str] = []
    for value in _as_list(doc.get("categories"), "categories", problems):
        text = _str(value)
        mapped = PUBLICCODE_CATEGORIES.get(text.lower())
        if text and text not in keywords:
            keywords.append(text)
        if mapped is None:
            problems.append(f"categories: '{text}' has no catalogue category (kept as keyword)")
        elif mapped not in categories:
            categories.append(mapped)
    for scope in scopes:
        mapped = PUBLICCODE_SCOPES.get(scope.lower())
        if mapped is None:
            problems.append(f"intendedAudience.scope: '{scope}' has no catalogue category")
        elif mapped not in categories:
            categories.append(mapped)
    if not categories:
        categories.append("other")

    status = _str(doc.get("developmentStatus"))
    trl: int | None = None
    if status:
        key = status.lower()
        if key == "production":
            problems.append(f"developmentStatus: '{status}' read as 'stable'")
            key = "stable"
        trl = DEVELOPMENT_STATUS_TRL.get(key)
        if trl is None:
            problems.append(f"developmentStatus: '{status}' is not a development status")
        elif key == "obsolete":
            problems.append("developmentStatus: obsolete (imported with TRL 9)")
    else:
        problems.append("developmentStatus: missing")

    software_type = _str(doc.get("softwareType"))
    if not software_type:
        problems.append("softwareType: missing")
    platforms = [_str(p) for p in _as_list(doc.get("platforms"), "platforms", problems)]

    version_text = _str(doc.get("softwareVersion"))
    release = doc.get("latestRelease")
    if not version_text and isinstance(release, dict) and _str(release.get("version")):
        problems.append("latestRelease: read as softwareVersion (not a publiccode.yml key)")
        version_text = _str(release.get("version"))
    if len(version_text) > 50:
        problems.append("softwareVersion: cut to 50 characters")
        version_text = version_text[:50]

    integrations: list[str] = []
    depends = doc.get("dependsOn")
    if isinstance(depends, dict):
        for kind in ("open", "proprietary", "hardware"):
            for item in _as_list(depends.get(kind), f"dependsOn.{kind}", problems):
                dep = _str(item.get("name")) if isinstance(item, dict) else _str(item)
                if dep and dep not in integrations:
                    integrations.append(dep)
    elif depends is not None:
        problems.append("dependsOn: not a mapping")

    standards: list[str] = []
    it = doc.get("it") if isinstance(doc.get("it"), dict) else doc.get("IT")
    if isinstance(it, dict):
        conforme = it.get("conforme") or it.get("conformance")
        if isinstance(conforme, dict):
            standards += [
                IT_STANDARDS[k] for k, v in conforme.items() if v is True and k in IT_STANDARDS
            ]
        platforms_it = it.get("piattaforme")
        if isinstance(platforms_it, dict):
            for key, flag in platforms_it.items():
                label = IT_PLATFORMS.get(str(key).lower())
                if flag is True and label and label not in integrations:
                    integrations.append(label)

    contact_name = contact_email = ""
    maintenance = doc.get("maintenance")
    if isinstance(maintenance, dict):
        contacts = _as_list(maintenance.get("contacts"), "maintenance.contacts", problems)
        if contacts and isinstance(contacts[0], dict):
            contact_name = _str(contacts[0].get("name"))[:200]
            email = _str(contacts[0].get("email"))
            if email and _EMAIL.match(email):
                contact_email = email[:254]
            elif email:
                problems.append(f"maintenance.contacts[0].email: '{email}' is not an email address")
        elif str(maintenance.get("type")) in ("internal", "community") and not contacts:
            problems.append("maintenance.contacts: missing")
    else:
        problems.append("maintenance: missing")

    release_date = doc.get("releaseDate")
    facts = SolutionFacts(
        source_id=repository_key(url) if url else f"file:{file_name}",
        source_url=url,
        language=language,
        texts=texts,
        publisher=Publisher(
            name=publisher_name, country=country, website=publisher_site, external_ids=ids
        ),
        categories=categories,
        problem_domains=scopes,
        keywords=keywords,
        licence=licence,
        is_open_source=open_source,
        delivery_model="open_source",
        is_software=True,
        repository_url=url,
        website=website,
        software_version=version_text,
        trl=trl,
        supported_countries=countries,
        supported_languages=languages,
        standards=standards,
        integrations=integrations,
        contact_name=contact_name,
        contact_email=contact_email,
        extra={
            "features": features,
            "generic_names": generic,
            "software_type": software_type,
            "platforms": [p for p in platforms if p],
            "development_status": status,
            "release_date": json_safe(release_date) if release_date else "",
            "publiccode_version": version,
            # The file as published, for provenance and for re-mapping without the file.
            "document": json_safe(doc),
        },
    )
    if not country:
        raise CountryUnknown([*problems, f"legal.mainCopyrightOwner: {NO_COUNTRY}"], facts)
    return facts, problems
