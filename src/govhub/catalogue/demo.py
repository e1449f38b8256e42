"""Demo content of the catalogue: real publiccode.yml files and digital public goods from
../shared/data when present (else three example entries written for GovHub), then adoptions
with reviews by the demo authorities, and an interoperability assessment of the demo
company's own entry. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count

from govhub.catalogue.interchange.importer import (
    CatalogueImporter,
    dpg_import,
    publiccode_import,
)
from govhub.catalogue.interchange.publiccode import parse_publiccode
from govhub.catalogue.models import Adoption, Solution, SolutionSource, SolutionStatus
from govhub.core.errors import DomainError
from govhub.organisations.models import Membership

EXAMPLES = {
    "demo-permits.yml": """\
publiccodeYmlVersion: "0.4"
name: Open Permits
url: https://code.govhub.example.eu/open-permits
softwareVersion: "1.4.0"
platforms: [web]
categories: [digital-citizenship, workflow-management]
developmentStatus: stable
softwareType: standalone/web
intendedAudience:
  countries: [be, fr]
  scope: [local-authorities]
description:
  en:
    shortDescription: Online applications for building and event permits, with case handling.
    longDescription: >-
      Residents and businesses apply online; officers handle each case in a shared
      workflow with deadlines, public consultation and signed decisions.
    features: [online forms, case workflow, public consultation]
  fr:
    localisedName: Permis ouverts
    shortDescription: Demandes de permis d'urbanisme et d'événements en ligne.
    longDescription: >-
      Les habitants et les entreprises déposent leur demande en ligne ; les agents
      instruisent chaque dossier dans un circuit partagé.
legal:
  license: EUPL-1.2
  mainCopyrightOwner: Ville de Démo
maintenance:
  type: internal
  contacts:
    - name: Service numérique
      email: numerique@ville-demo.example.be
localisation:
  localisationReady: true
  availableLanguages: [en, fr, nl]
""",
    "demo-meters.yml": """\
publiccodeYmlVersion: "0.4"
name: Energy Meter Dashboard
url: https://code.govhub.example.eu/energy-meters
softwareVersion: "0.9"
platforms: [web, linux]
categories: [data-visualization]
developmentStatus: beta
softwareType: standalone/web
intendedAudience:
  countries: [lt]
  scope: [energy, environment]
description:
  en:
    shortDescription: Energy use of public buildings from smart meters, with savings targets.
    longDescription: >-
      Reads smart meters of schools, offices and pools, shows consumption against targets
      and flags anomalies to facility managers.
legal:
  license: MIT
  mainCopyrightOwner: Demo Energy Agency
maintenance:
  type: internal
  contacts:
    - name: Data team
      email: data@energy-demo.example.lt
localisation:
  localisationReady: false
  availableLanguages: [en, lt]
""",
    "demo-library.yml": """\
publiccodeYmlVersion: "0.4"
name: Municipal Library Loans
url: https://code.govhub.example.eu/library-loans
platforms: [web]
categories: [integrated-library-system]
developmentStatus: development
softwareType: standalone/web
intendedAudience:
  countries: [it]
description:
  it:
    shortDescription: Prestiti e prenotazioni delle biblioteche comunali.
    longDescription: >-
      Catalogo, prestiti, prenotazioni e promemoria per le biblioteche di un comune
      o di un consorzio.
legal:
  license: AGPL-3.0-or-later
  mainCopyrightOwner: Comune di Demo
maintenance:
  type: community
  contacts:
    - name: Biblioteca civica
      email: biblioteca@comune-demo.example.it
localisation:
  localisationReady: false
  availableLanguages: [it]
""",
}

REVIEWS = [
    (5, "Reliable and easy to roll out", "Staff were trained in a day; citizens use it daily."),
    (4, "Good value", "Works well; we funded two small improvements for everyone."),
]


def _members(flag: str) -> list[Membership]:
    return list(
        Membership.objects.filter(**{flag: True}, organisation__is_claimed=True)
        .select_related("organisation", "user")
        .order_by("organisation__created_at", "pk")
    )


def _import(lines: list[str]) -> None:
    data = Path(settings.SHARED_DATA_DIR)
    publiccode_dir = data / "publiccode"
    dpg_dir = data / "digital-public-goods" / "nominees"
    if publiccode_dir.is_dir():
        report = publiccode_import(paths=[publiccode_dir])
        lines.append(
            f"Catalogue: publiccode.yml files from {publiccode_dir}: {report.imported} imported, "
            f"{report.unchanged + report.updated} already there, {len(report.rejected)} rejected"
        )
    if dpg_dir.is_dir():
        report = dpg_import(paths=[dpg_dir])
        lines.append(
            f"Catalogue: digital public goods from {dpg_dir}: {report.imported} imported, "
            f"{report.unchanged + report.updated} already there, {len(report.rejected)} rejected"
        )
    if not publiccode_dir.is_dir() and not dpg_dir.is_dir():
        importer = CatalogueImporter(SolutionSource.PUBLICCODE, parse_publiccode)
        for name, text in EXAMPLES.items():
            importer.import_bytes(text.encode(), file_name=name)
        lines.append(
            f"Catalogue: {importer.report.imported} example entries (no ../shared/data found)"
        )


def _adoptions(lines: list[str]) -> list[Adoption]:
    from govhub.catalogue.services.adoption import adoption_record, review_create

    adopters = [m for m in _members("is_buyer") if m.organisation.is_verified][:2]
    if not adopters:
        lines.append("Catalogue: no verified demo authority with a buyer; no adoptions")
        return []
    if Adoption.objects.filter(authority__in=[m.organisation for m in adopters]).exists():
        lines.append("Catalogue: 0 adoptions by demo authorities (already recorded)")
        return []
    # The entries most worth showing: published, with a translation, mature first.
    candidates = list(
        Solution.objects.filter(status=SolutionStatus.PUBLISHED)
        .exclude(source="")
        .annotate(n=Count("translations"))
        .order_by("-n", "-trl", "name")[:3]
    )
    made: list[Adoption] = []
    for index, solution in enumerate(candidates):
        membership = adopters[index % len(adopters)]
        if Adoption.objects.filter(solution=solution, authority=membership.organisation).exists():
            continue
        try:
            adoption = adoption_record(
                actor=membership.user,
                solution=solution,
                authority=membership.organisation,
                since=dt.date.today() - dt.timedelta(days=400 - 90 * index),
                scale="organisation" if index == 0 else "department",
                users_count=250 // (index + 1),
                outcome="Applications are handled in days instead of weeks.",
                cost_band="under_10k",
                lessons_learnt="Plan the data migration early.",
            )
        except DomainError as error:
            lines.append(f"Catalogue: adoption of {solution.name} refused: {error}")
            continue
        made.append(adoption)
        if index < len(REVIEWS):
            rating, title, body = REVIEWS[index]
            try:
                review_create(
                    actor=membership.user, adoption=adoption, rating=rating, title=title, body=body
                )
            except DomainError as error:
                lines.append(f"Catalogue: review of {solution.name} refused: {error}")
    lines.append(f"Catalogue: {len(made)} adoptions by demo authorities")
    return made


def _company_entry(lines: list[str]) -> Solution | None:
    """The demo SME's own entry, assessed for interoperability by its admin."""
    from govhub.assessments.questions import SINGLE, questionnaire
    from govhub.assessments.services import assessment_complete, assessment_save_answers

    suppliers = [m for m in _members("is_admin") if m.organisation.kind == "company"]
    if not suppliers:
        return None
    membership = suppliers[0]
    # Its publiccode.yml, read like any other: the publisher's name and country make the
    # importer file it under the demo company itself.
    importer = CatalogueImporter(SolutionSource.PUBLICCODE, parse_publiccode)
    org = membership.organisation
    text = EXAMPLES["demo-meters.yml"].replace("Demo Energy Agency", org.name)
    text = text.replace("countries: [lt]", f"countries: [{org.country.alpha2.lower()}]")
    text = text.replace("energy-meters", "energy-meters-sme")
    importer.import_bytes(text.encode(), file_name="demo-sme-entry.yml")
    solution = Solution.objects.filter(
        source=SolutionSource.PUBLICCODE,
        source_id="code.govhub.example.eu/energy-meters-sme",
        provider=org,
    ).first()
    if solution is None:
        return None
    if solution.interoperability_level:
        return solution
    definition = questionnaire("interoperability")
    try:
        for section in definition.sections:
            answers: dict[str, Any] = {}
            for question in section.questions:
                first = question.options[0].key
                value: Any = first if question.kind == SINGLE else [first]
                answers[question.key] = {"value": value, "evidence": "Documented in the manual."}
            assessment_save_answers(
                actor=membership.user,
                solution=solution,
                kind="interoperability",
                section=section.key,
                answers=answers,
            )
        assessment_complete(actor=membership.user, solution=solution, kind="interoperability")
    except DomainError as error:
        lines.append(f"Catalogue: assessment of {solution.name} refused: {error}")
        return solution
    solution.refresh_from_db()
    lines.append(
        f"Catalogue: {solution.name} by {membership.organisation.name}, interoperability "
        f"assessed: {solution.get_interoperability_level_display()}"
    )
    return solution


def build_demo() -> list[str]:
    lines: list[str] = []
    _import(lines)
    _adoptions(lines)
    _company_entry(lines)
    published = Solution.objects.filter(status=SolutionStatus.PUBLISHED).count()
    lines.append(f"Catalogue: {published} published entries")
    return lines
