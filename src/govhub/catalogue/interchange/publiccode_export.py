"""publiccode.yml (schema 0.4) for a published software entry.

Built to round-trip through ``parse_publiccode``: categories are written as publiccode
categories (or scopes) that map back to the same catalogue categories; the TRL as the
development status of its band; descriptions per language; the publisher as
legal.mainCopyrightOwner with intendedAudience.countries; integrations as dependsOn.open.
"""

from __future__ import annotations

from typing import Any

import yaml

from govhub.catalogue.models import Solution

from .adms import entry_uri
from .mapping import CATEGORY_TO_PUBLICCODE, CATEGORY_TO_SCOPE, trl_to_development_status
from .publiccode import IT_PLATFORMS, IT_STANDARDS


def publiccode_document(solution: Solution) -> dict[str, Any]:
    extra = (solution.source_data or {}).get("extra") or {}
    features: dict[str, list[str]] = extra.get("features") or {}
    texts = [(solution.language, solution.name, solution.summary, solution.description)]
    texts += [(t.language, t.name, t.summary, t.description) for t in solution.translations.all()]
    description: dict[str, dict[str, Any]] = {}
    for language, name, summary, long in texts:
        body: dict[str, Any] = {"shortDescription": summary, "longDescription": long or summary}
        if name != solution.name:
            body["localisedName"] = name
        if features.get(language):
            body["features"] = list(features[language])
        description[language] = body

    categories: list[str] = []
    scopes = [str(s) for s in solution.problem_domains if isinstance(s, str)]
    for link in solution.categories.all():
        if link.category in CATEGORY_TO_PUBLICCODE:
            categories.append(CATEGORY_TO_PUBLICCODE[link.category])
        elif link.category in CATEGORY_TO_SCOPE and CATEGORY_TO_SCOPE[link.category] not in scopes:
            scopes.append(CATEGORY_TO_SCOPE[link.category])

    countries = [c.alpha2.lower() for c in solution.supported_countries.all() if c.alpha2]
    standard_keys = {label: key for key, label in IT_STANDARDS.items()}
    platform_keys = {label: key for key, label in IT_PLATFORMS.items()}
    depends = [i for i in solution.integrations if isinstance(i, str) and i not in platform_keys]
    document: dict[str, Any] = {
        "publiccodeYmlVersion": "0.4",
        "name": solution.name,
        "url": solution.repository_url or str(entry_uri(solution)),
    }
    if solution.website:
        document["landingURL"] = solution.website
    if solution.software_version:
        document["softwareVersion"] = solution.software_version
    document["platforms"] = list(extra.get("platforms") or ["web"])
    if categories:
        document["categories"] = categories
    document["developmentStatus"] = (
        extra.get("development_status")
        if extra.get("development_status") in ("obsolete",)
        else trl_to_development_status(solution.trl)
    )
    document["softwareType"] = extra.get("software_type") or "standalone/other"
    audience: dict[str, Any] = {}
    if countries:
        audience["countries"] = countries
    if scopes:
        audience["scope"] = scopes
    if audience:
        document["intendedAudience"] = audience
    document["description"] = description
    legal = {"mainCopyrightOwner": solution.provider.name, "repoOwner": solution.provider.name}
    if solution.licence:
        legal = {"license": solution.licence, **legal}
    document["legal"] = legal
    maintenance: dict[str, Any] = {"type": "internal" if solution.contact_name else "none"}
    if solution.contact_name:
        contact: dict[str, str] = {"name": solution.contact_name}
        if solution.contact_email:
            contact["email"] = solution.contact_email
        maintenance["contacts"] = [contact]
    document["maintenance"] = maintenance
    localisation: dict[str, Any] = {"localisationReady": len(solution.supported_languages) > 1}
    if solution.supported_languages:
        localisation["availableLanguages"] = list(solution.supported_languages)
    document["localisation"] = localisation
    if depends:
        document["dependsOn"] = {"open": [{"name": d} for d in depends]}
    # The Italian country section carries what only it can say.
    conforme = {standard_keys[s]: True for s in solution.standards if s in standard_keys}
    piattaforme = {platform_keys[i]: True for i in solution.integrations if i in platform_keys}
    if conforme or piattaforme or solution.provider.country.alpha2 == "IT":
        section: dict[str, Any] = {"countryExtensionVersion": "0.2"}
        if conforme:
            section["conforme"] = conforme
        if piattaforme:
            section["piattaforme"] = piattaforme
        ipa = (solution.provider.external_ids or {}).get("it_ipa")
        if ipa:
            section["riuso"] = {"codiceIPA": ipa}
        document["it"] = section
    return document


def publiccode_yaml(solution: Solution) -> str:
    return yaml.safe_dump(
        publiccode_document(solution), allow_unicode=True, sort_keys=False, width=100
    )
