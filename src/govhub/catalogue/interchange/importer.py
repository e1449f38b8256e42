"""Writing imported records (publiccode.yml files, DPG nominees) into the catalogue.

Imported entries are public records their publishers already publish, so they are published
at once, each with one moderation step "Imported from <source> (<file>)" by no user; a
moderator can then send one back (needs update) or archive it like any entry, and a
re-import does not republish it. Publishers become unclaimed organisations (``is_claimed``
False, ``source`` "publiccode" or "dpg", ``external_ids``), reused when the same publisher is
met again: the same Italian IPA code, the same name in the same country (any source).
A publisher whose country cannot be told is rejected unless the run is given a country to
assume (``assume_country``): the organisation then records it in
``external_ids["country_assumed"]`` and the file's report says so.

Idempotence: an entry's key is (source, source_id): the repository URL's host and path for
publiccode.yml (the file name when there is no URL), the record's file name for DPG. A
re-import of an unchanged record changes nothing (``unchanged``); a changed one updates the
entry's facts, keeping its status and history. Each file is its own transaction: a bad file
is reported and skipped without stopping the run; the run records one summary audit event.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from govhub.catalogue.models import (
    ModerationStep,
    Solution,
    SolutionCategoryLink,
    SolutionSource,
    SolutionStatus,
    SolutionTranslation,
)
from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed
from govhub.opportunities.services import normalise_name
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import Country, CpvCode

from .dpg import parse_dpg
from .facts import CountryUnknown, Publisher, RecordRejected, SolutionFacts
from .publiccode import parse_publiccode

# Bump when the mapping changes, so that a re-import rewrites entries read by an older one.
MAPPER_VERSION = 2

Parser = Callable[..., tuple[SolutionFacts, list[str]]]

_AUTHORITY = re.compile(
    r"\b(comune|regione|provincia|citt[aà] metropolitana|minister[oi]|ministry|ministerie|"
    r"gemeente|provincie|\w*stadt|city of|landkreis|bund|bundes\w*|kommun|kommune|municipal|"
    r"municipality|statistics|"
    r"ville de|r[eé]publique|gouvernement|government|agenzia|agency|agence|direction|"
    r"département|departement|dipartimento|department|azienda sanitaria|asl|arpa|istat|inps|"
    r"agid|rijksoverheid|rijks|overheid|amt|beh[oö]rde|verwaltung|senat|region|county|council|"
    r"prefecture|parliament|parlamento|camera dei|senato|digitalisation agency)\b",
    re.IGNORECASE,
)
_RESEARCH = re.compile(
    r"\b(universit\w*|research|ricerca|istituto|institut\w*|cnr|infn|inaf|academ\w*|"
    r"politecnico|hochschule|school)\b",
    re.IGNORECASE,
)
_COMPANY = re.compile(
    r"\b(s\.?r\.?l|s\.?p\.?a|gmbh|b\.?v|ltd|limited|inc|llc|s\.?a\.?s?|ag|pvt|corp\w*|"
    r"company|srl|spa|oy|ab|as)\b\.?",
    re.IGNORECASE,
)


def organisation_kind(publisher: Publisher, *, source: str) -> str:
    """Company, authority or research organisation when its name says so; an authority when
    the file gives an Italian IPA code; else a company (publiccode.yml) or a civil-society
    organisation (DPG registry)."""
    name = publisher.name
    if _COMPANY.search(name):
        return OrganisationKind.COMPANY
    if _AUTHORITY.search(name):
        return OrganisationKind.AUTHORITY
    if _RESEARCH.search(name):
        return OrganisationKind.RESEARCH
    if "it_ipa" in publisher.external_ids:
        # The Italian administration that released the software (its IPA code).
        return OrganisationKind.AUTHORITY
    return (
        OrganisationKind.CIVIL_SOCIETY if source == SolutionSource.DPG else OrganisationKind.COMPANY
    )


@dataclass
class FileResult:
    file: str
    outcome: str  # imported, updated, unchanged, rejected
    problems: list[str] = field(default_factory=list)
    entry: str = ""  # the entry's public id


@dataclass
class ImportReport:
    source: str
    results: list[FileResult] = field(default_factory=list)
    organisations_created: int = 0

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def imported(self) -> int:
        return self.count("imported")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def rejected(self) -> list[FileResult]:
        return [r for r in self.results if r.outcome == "rejected"]

    @property
    def changed(self) -> bool:
        return bool(self.imported or self.updated or self.organisations_created)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "files_read": len(self.results),
            "imported": self.imported,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"file": r.file, "problems": r.problems} for r in self.rejected],
            "organisations_created": self.organisations_created,
        }


def _hash(facts: SolutionFacts) -> str:
    payload = json.dumps([MAPPER_VERSION, facts.as_dict()], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


class CatalogueImporter:
    """One import run; lookups are loaded once."""

    def __init__(self, source: str, parser: Parser, *, assume_country: str = "") -> None:
        self.source = source
        self.assume_country = assume_country.upper()
        self.parser = parser
        self.report = ImportReport(source=source)
        self.countries: dict[str, int] = {}
        self.country_names: dict[str, int] = {}
        for pk, alpha2, code, labels in Country.objects.values_list(
            "pk", "alpha2", "code", "labels"
        ):
            if alpha2:
                self.countries[alpha2.upper()] = pk
            self.country_names[code.casefold()] = pk
            english = (labels or {}).get("en") if isinstance(labels, dict) else None
            if english:
                self.country_names[str(english).casefold()] = pk
        self.by_name: dict[tuple[int, str], int] = {}
        self.by_ipa: dict[str, int] = {}
        for pk, country_id, name, ids in Organisation.objects.values_list(
            "pk", "country_id", "name", "external_ids"
        ):
            self._index(pk, country_id, name, ids)
        self.existing = {
            source_id: (pk, (data or {}).get("facts_hash", ""))
            for pk, source_id, data in Solution.objects.filter(source=source).values_list(
                "pk", "source_id", "source_data"
            )
        }
        self.seen: dict[str, str] = {}
        # Software entries are filed under CPV 48000000 (software packages and information
        # systems), the division every public buyer searches for software in.
        self.software_cpv = (
            CpvCode.objects.filter(digits="48000000").values_list("pk", flat=True).first()
        )

    def _index(self, pk: int, country_id: int, name: str, ids: Any) -> None:
        self.by_name.setdefault((country_id, normalise_name(name)), pk)
        if isinstance(ids, dict) and ids.get("it_ipa"):
            self.by_ipa.setdefault(str(ids["it_ipa"]).casefold(), pk)

    def import_file(self, path: Path) -> FileResult:
        try:
            data = path.read_bytes()
        except OSError as exc:
            result = FileResult(path.name, "rejected", [f"file: cannot read ({exc.strerror})"])
            self.report.results.append(result)
            return result
        return self.import_bytes(data, file_name=path.name)

    def import_bytes(self, data: bytes, *, file_name: str) -> FileResult:
        try:
            facts, problems = self.parser(data, file_name=file_name)
        except CountryUnknown as exc:
            if not self.assume_country:
                result = FileResult(file_name, "rejected", exc.problems)
                self.report.results.append(result)
                return result
            facts, problems = exc.facts, exc.problems[:-1]
            problems.append(
                f"{exc.problems[-1]}; filed under the assumed country {self.assume_country}"
            )
            facts.publisher.country = self.assume_country
            facts.publisher.external_ids["country_assumed"] = self.assume_country
        except RecordRejected as exc:
            result = FileResult(file_name, "rejected", exc.problems)
            self.report.results.append(result)
            return result
        if facts.publisher.country not in self.countries:
            problems.append(f"publisher: country '{facts.publisher.country}' is not known")
            result = FileResult(file_name, "rejected", problems)
            self.report.results.append(result)
            return result
        if facts.source_id in self.seen:
            problems.append(
                f"url: the same entry as {self.seen[facts.source_id]} (duplicate, skipped)"
            )
            result = FileResult(file_name, "rejected", problems)
            self.report.results.append(result)
            return result
        self.seen[facts.source_id] = file_name
        digest = _hash(facts)
        known = self.existing.get(facts.source_id)
        if known and known[1] == digest:
            result = FileResult(file_name, "unchanged", problems)
            self.report.results.append(result)
            return result
        with transaction.atomic():
            solution, created, new_org = self._write(facts, problems, file_name, digest, known)
        if new_org is not None:
            self._index(new_org.pk, new_org.country_id, new_org.name, new_org.external_ids)
            self.report.organisations_created += 1
        self.existing[facts.source_id] = (solution.pk, digest)
        result = FileResult(
            file_name, "imported" if created else "updated", problems, str(solution.public_id)
        )
        self.report.results.append(result)
        return result

    def _organisation(self, publisher: Publisher) -> tuple[int, Organisation | None]:
        country_id = self.countries[publisher.country]
        ipa = publisher.external_ids.get("it_ipa", "").casefold()
        if ipa and ipa in self.by_ipa:
            return self.by_ipa[ipa], None
        pk = self.by_name.get((country_id, normalise_name(publisher.name)))
        if pk is not None:
            return pk, None
        org = Organisation.objects.create(
            kind=organisation_kind(publisher, source=self.source),
            name=publisher.name[:300],
            country_id=country_id,
            website=publisher.website[:200],
            email=publisher.email[:254],
            is_claimed=False,
            source=self.source,
            external_ids=publisher.external_ids,
        )
        return org.pk, org

    def _write(
        self,
        facts: SolutionFacts,
        problems: list[str],
        file_name: str,
        digest: str,
        known: tuple[int, str] | None,
    ) -> tuple[Solution, bool, Organisation | None]:
        provider_id, new_org = self._organisation(facts.publisher)
        main = facts.texts[facts.language]
        values: dict[str, Any] = {
            "provider_id": provider_id,
            "language": facts.language,
            "name": main.name,
            "summary": main.summary,
            "description": main.description,
            "problem_domains": facts.problem_domains,
            "licence": facts.licence,
            "is_open_source": facts.is_open_source,
            "delivery_model": facts.delivery_model,
            "trl": facts.trl,
            "supported_languages": facts.supported_languages,
            "standards": facts.standards,
            "integrations": facts.integrations,
            "website": facts.website,
            "repository_url": facts.repository_url,
            "is_software": facts.is_software,
            "software_version": facts.software_version,
            "contact_name": facts.contact_name,
            "contact_email": facts.contact_email,
            # Facts the records do say: open-source software is free of charge to obtain;
            # nobody has assessed its accessibility here.
            "pricing_model": "free" if facts.is_open_source else "",
            "accessibility_conformance": "not_assessed",
            "source_url": facts.source_url[:500],
            "source_data": {
                "file": file_name,
                "facts_hash": digest,
                "problems": problems,
                "keywords": facts.keywords,
                "extra": facts.extra,
            },
        }
        now = timezone.now()
        created = known is None
        if created:
            solution = Solution.objects.create(
                source=self.source,
                source_id=facts.source_id[:500],
                status=SolutionStatus.PUBLISHED,
                published_at=now,
                status_reason=self._reason(file_name),
                **values,
            )
            ModerationStep.objects.create(
                solution=solution,
                actor=None,
                from_status=SolutionStatus.DRAFT,
                to_status=SolutionStatus.PUBLISHED,
                reason=self._reason(file_name),
            )
        else:
            assert known is not None
            solution = Solution.objects.select_for_update().get(pk=known[0])
            for name, value in values.items():
                setattr(solution, name, value)
            solution.version += 1
            solution.save()
            solution.translations.all().delete()
            solution.categories.all().delete()
        SolutionTranslation.objects.bulk_create(
            SolutionTranslation(
                solution=solution,
                language=lang,
                name=text.name,
                summary=text.summary,
                description=text.description,
            )
            for lang, text in facts.texts.items()
            if lang != facts.language
        )
        SolutionCategoryLink.objects.bulk_create(
            SolutionCategoryLink(solution=solution, category=c) for c in facts.categories
        )
        country_ids = [self.countries[c] for c in facts.supported_countries if c in self.countries]
        for name in facts.supported_countries:
            if name.upper() not in self.countries:
                pk = self.country_names.get(name.casefold())
                if pk is None:
                    problems.append(f"supported countries: '{name}' is not a known country")
                else:
                    country_ids.append(pk)
        solution.supported_countries.set(country_ids)
        if facts.is_software and self.software_cpv is not None:
            solution.cpv_codes.set([self.software_cpv])
        return solution, created, new_org

    def _reason(self, file_name: str) -> str:
        label = SolutionSource(self.source).label
        return f"{label} ({file_name})"


def record_files(paths: Iterable[Path | str], suffixes: tuple[str, ...]) -> list[Path]:
    """The files named, and those with one of ``suffixes`` under the directories named."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in suffixes
                    and not p.name.endswith("-schema.json")  # the DPG registry's own schema
                )
            )
        else:
            found.append(path)
    return found


def _run(
    *,
    source: str,
    parser: Parser,
    suffixes: tuple[str, ...],
    actor: Any,
    paths: Iterable[Path | str],
    progress: Any,
    assume_country: str = "",
) -> ImportReport:
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Only an administrator can import catalogue records.")
    files = record_files(paths, suffixes)
    importer = CatalogueImporter(source, parser, assume_country=assume_country)
    iterator: Iterator[Path] | Iterable[Path] = progress(files) if progress else files
    for path in iterator:
        importer.import_file(path)
    report = importer.report
    if report.changed:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=f"catalogue.{source}_import",
                object_type="catalogue.importrun",
                object_id=str(uuid.uuid4()),
                object_label=f"{SolutionSource(source).label}: {len(report.results)} files",
                after=report.as_dict(),
            )
    return report


def publiccode_import(
    *,
    actor: Any = None,
    paths: Iterable[Path | str],
    progress: Any = None,
    assume_country: str = "",
) -> ImportReport:
    """Import publiccode.yml files (and the ``.yml``/``.yaml`` files under directories)."""
    return _run(
        source=SolutionSource.PUBLICCODE,
        parser=parse_publiccode,
        suffixes=(".yml", ".yaml"),
        actor=actor,
        paths=paths,
        progress=progress,
        assume_country=assume_country,
    )


def dpg_import(
    *,
    actor: Any = None,
    paths: Iterable[Path | str],
    progress: Any = None,
    assume_country: str = "",
) -> ImportReport:
    """Import Digital Public Goods registry nominee records (``.json``)."""
    return _run(
        source=SolutionSource.DPG,
        parser=parse_dpg,
        suffixes=(".json",),
        actor=actor,
        paths=paths,
        progress=progress,
        assume_country=assume_country,
    )
