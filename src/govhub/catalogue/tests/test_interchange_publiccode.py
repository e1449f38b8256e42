"""publiccode.yml import: parsing, per-field problems, the written entries, idempotence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from govhub.catalogue.interchange.facts import RecordRejected
from govhub.catalogue.interchange.importer import publiccode_import
from govhub.catalogue.interchange.mapping import (
    CATEGORY_TO_PUBLICCODE,
    CATEGORY_TO_SCOPE,
    PUBLICCODE_CATEGORIES,
    PUBLICCODE_SCOPES,
    url_country,
)
from govhub.catalogue.interchange.publiccode import parse_publiccode
from govhub.catalogue.models import ModerationStep, Solution, SolutionStatus
from govhub.core.models import AuditEvent
from govhub.organisations.models import Organisation

GOOD = """\
publiccodeYmlVersion: "0.4"
name: Segnalazioni
url: https://github.com/comune-esempio/segnalazioni.git
landingURL: https://segnalazioni.example.it
softwareVersion: "2.1.0"
releaseDate: 2024-03-01
platforms: [web]
categories: [digital-citizenship, space-exploration]
developmentStatus: beta
softwareType: standalone/web
intendedAudience:
  countries: [it]
  scope: [environment]
description:
  it:
    shortDescription: Segnalazioni dei cittadini al comune.
    longDescription: Un'applicazione web per raccogliere e gestire le segnalazioni.
    features: [mappa, notifiche]
  en:
    localisedName: Reports
    shortDescription: Citizens' reports to the municipality.
    longDescription: A web application to collect and handle reports.
legal:
  license: agpl-3.0-or-later
  mainCopyrightOwner: Comune di Esempio
  repoOwner: Comune di Esempio
maintenance:
  type: internal
  contacts:
    - name: Ufficio SIT
      email: sit@comune.esempio.it
localisation:
  localisationReady: true
  availableLanguages: [it, en]
dependsOn:
  open:
    - name: PostgreSQL
      versionMin: "12"
it:
  countryExtensionVersion: "0.2"
  conforme:
    gdpr: true
    lineeGuidaDesign: false
  piattaforme:
    spid: true
    pagopa: false
  riuso:
    codiceIPA: c_x000
"""


def parse(text: str, name: str = "publiccode.yml"):
    return parse_publiccode(text.encode(), file_name=name)


def test_parse_maps_every_fact():
    facts, problems = parse(GOOD)
    assert facts.source_id == "github.com/comune-esempio/segnalazioni"
    assert facts.language == "it"
    assert facts.texts["it"].summary == "Segnalazioni dei cittadini al comune."
    assert facts.texts["en"].name == "Reports"
    assert facts.licence == "AGPL-3.0-or-later"
    assert facts.is_open_source
    assert facts.delivery_model == "open_source"
    assert facts.trl == 7
    assert set(facts.categories) == {"citizen_services", "environment"}
    assert facts.problem_domains == ["environment"]
    assert facts.supported_countries == ["IT"]
    assert facts.supported_languages == ["it", "en"]
    assert facts.integrations == ["PostgreSQL", "SPID"]
    assert facts.standards == ["GDPR (Regulation (EU) 2016/679)"]
    assert (facts.contact_name, facts.contact_email) == ("Ufficio SIT", "sit@comune.esempio.it")
    assert facts.publisher.name == "Comune di Esempio"
    assert facts.publisher.country == "IT"
    assert facts.publisher.external_ids["it_ipa"] == "c_x000"
    assert facts.website == "https://segnalazioni.example.it"
    assert facts.software_version == "2.1.0"
    assert problems == [
        "categories: 'space-exploration' has no catalogue category (kept as keyword)"
    ]
    assert facts.keywords == ["digital-citizenship", "space-exploration"]


def test_per_field_problems_are_precise_and_do_not_reject():
    text = GOOD.replace(
        "shortDescription: Segnalazioni dei cittadini al comune.",
        "shortDescription: " + "x" * 160,
    ).replace("  license: agpl-3.0-or-later\n", "")
    text = text.replace("intendedAudience:", "intendedaudience:")
    text = text.replace("developmentStatus: beta", "developmentStatus: Production")
    facts, problems = parse(text)
    assert "description.it.shortDescription: longer than 150 characters (160)" in problems
    assert "legal.license: missing" in problems
    assert "intendedaudience: read as intendedAudience (misspelt key)" in problems
    assert "developmentStatus: 'Production' read as 'stable'" in problems
    assert facts.licence == ""
    assert not facts.is_open_source
    assert facts.trl == 9
    assert facts.supported_countries == ["IT"]


def test_unknown_licence_and_language_deviation_reported():
    text = GOOD.replace("agpl-3.0-or-later", "XXXXXXXXX").replace(
        "  it:\n    short", "  it-IT:\n    short"
    )
    facts, problems = parse(text)
    assert "legal.license: 'XXXXXXXXX' is not an SPDX licence identifier" in problems
    assert "description.it-IT: language code read as 'it'" in problems
    assert facts.language == "it"


def test_deprecated_spdx_id_is_read_as_only():
    facts, _ = parse(GOOD.replace("agpl-3.0-or-later", "GPL-3.0"))
    assert facts.licence == "GPL-3.0-only"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: [unclosed\n", "file: malformed YAML"),
        ("- a list\n", "file: not a publiccode.yml mapping"),
        (GOOD.replace("name: Segnalazioni\n", ""), "name: missing"),
        (GOOD.split("description:")[0] + "legal:\n  license: MIT\n", "description: missing"),
    ],
)
def test_rejections_say_why(text, problem):
    with pytest.raises(RecordRejected) as caught:
        parse(text)
    assert any(p.startswith(problem) for p in caught.value.problems)


def test_publisher_country_rule():
    # No countries, no country section, no country domain: the description's language.
    text = GOOD.replace("  countries: [it]\n", "").split("it:\n  countryExtensionVersion")[0]
    text = text.replace("segnalazioni.example.it", "segnalazioni.example.org")
    text = text.replace("sit@comune.esempio.it", "sit@example.org")
    facts, _ = parse(text)
    assert facts.publisher.country == "IT"
    # Neither: rejected with the reason.
    english = text.replace("  it:\n    short", "  en-GB:\n    short").replace(
        "availableLanguages: [it, en]", "availableLanguages: [en]"
    )
    english = english.replace("  en:\n    localisedName", "  fr:\n    localisedName")
    english = english.replace("  fr:\n", "  en:\n")
    with pytest.raises(RecordRejected) as caught:
        parse(english)
    assert "country cannot be told" in caught.value.problems[-1]


def test_url_country_ignores_generic_domains():
    assert url_country("https://www.comune.milano.it/x") == "IT"
    assert url_country("https://example.github.io") == ""
    assert url_country("https://foo.io") == ""
    assert url_country("https://gov.uk") == "GB"


def test_category_tables_round_trip():
    for category, value in CATEGORY_TO_PUBLICCODE.items():
        assert PUBLICCODE_CATEGORIES[value] == category
    for category, value in CATEGORY_TO_SCOPE.items():
        assert PUBLICCODE_SCOPES[value] == category


# ---- writing ---------------------------------------------------------------------------


@pytest.fixture
def records(tmp_path: Path) -> Path:
    (tmp_path / "good.yml").write_text(GOOD)
    (tmp_path / "broken.yml").write_text("name: [unclosed\n")
    (tmp_path / "nameless.yaml").write_text(GOOD.replace("name: Segnalazioni\n", ""))
    (tmp_path / "notes.txt").write_text("not read")
    return tmp_path


def test_import_writes_published_entries_and_reports_the_rest(reference_data, records):
    report = publiccode_import(paths=[records])
    assert (report.imported, report.updated, report.unchanged) == (1, 0, 0)
    assert sorted(r.file for r in report.rejected) == ["broken.yml", "nameless.yaml"]
    assert all(r.problems for r in report.rejected)
    solution = Solution.objects.get()
    assert solution.status == SolutionStatus.PUBLISHED
    assert solution.published_at
    assert solution.source == "publiccode"
    assert solution.repository_url == "https://github.com/comune-esempio/segnalazioni.git"
    assert solution.translations.get().language == "en"
    assert set(solution.categories.values_list("category", flat=True)) == {
        "citizen_services",
        "environment",
    }
    assert [c.alpha2 for c in solution.supported_countries.all()] == ["IT"]
    step = ModerationStep.objects.get(solution=solution)
    assert step.actor is None
    assert step.to_status == SolutionStatus.PUBLISHED
    assert "publiccode.yml" in step.reason
    assert "good.yml" in step.reason
    provider = solution.provider
    assert not provider.is_claimed
    assert provider.source == "publiccode"
    assert provider.kind == "authority"
    assert provider.country.alpha2 == "IT"
    assert AuditEvent.objects.filter(action="catalogue.publiccode_import").count() == 1


def test_reimport_is_idempotent_and_updates_changes(reference_data, records):
    publiccode_import(paths=[records])
    again = publiccode_import(paths=[records])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    assert Solution.objects.count() == 1
    assert Organisation.objects.count() == 1
    assert AuditEvent.objects.filter(action="catalogue.publiccode_import").count() == 1

    (records / "good.yml").write_text(GOOD.replace('"2.1.0"', '"2.2.0"'))
    changed = publiccode_import(paths=[records])
    assert (changed.imported, changed.updated) == (0, 1)
    solution = Solution.objects.get()
    assert solution.software_version == "2.2.0"
    assert solution.translations.count() == 1
    assert ModerationStep.objects.count() == 1  # no second publication


def test_reimport_keeps_a_moderators_decision(reference_data, records):
    publiccode_import(paths=[records])
    Solution.objects.update(status=SolutionStatus.ARCHIVED)
    (records / "good.yml").write_text(GOOD.replace('"2.1.0"', '"3.0"'))
    publiccode_import(paths=[records])
    assert Solution.objects.get().status == SolutionStatus.ARCHIVED


def test_same_publisher_is_reused(reference_data, tmp_path):
    (tmp_path / "a.yml").write_text(GOOD)
    other = GOOD.replace("segnalazioni.git", "protocollo").replace("name: Segnalazioni", "name: P")
    (tmp_path / "b.yml").write_text(other.replace("codiceIPA: c_x000", "codiceIPA: C_X000"))
    report = publiccode_import(paths=[tmp_path])
    assert report.imported == 2
    assert report.organisations_created == 1


def test_duplicate_repository_in_one_run_is_reported(reference_data, tmp_path):
    (tmp_path / "a.yml").write_text(GOOD)
    (tmp_path / "b.yml").write_text(GOOD.replace("segnalazioni.git", "Segnalazioni/"))
    report = publiccode_import(paths=[tmp_path])
    assert report.imported == 1
    assert "duplicate" in report.rejected[0].problems[-1]


def test_command_reports_per_file(reference_data, records, capsys):
    call_command("import_publiccode", str(records), "--quiet")
    out = capsys.readouterr().out
    assert "REJECTED broken.yml" in out
    assert "  - file: malformed YAML" in out
    assert "Imported: 1; updated: 0; unchanged: 0; rejected: 2" in out


# ---- every real file -------------------------------------------------------------------


@pytest.fixture
def publiccode_dir() -> Path:
    path = Path(settings.SHARED_DATA_DIR) / "publiccode"
    if not path.is_dir() or not any(path.glob("*.yml")):
        pytest.skip(f"publiccode.yml files not found at {path}")
    return path


@pytest.mark.shared_data
def test_every_shared_publiccode_file(reference_data, publiccode_dir):
    files = sorted(publiccode_dir.glob("*.yml"))
    assert len(files) == 191
    report = publiccode_import(paths=[publiccode_dir])
    assert len(report.results) == 191
    # 16 rejected: 7 without any description text, 9 whose publisher's country cannot be
    # told (English-only files of US, Swedish, Dutch, French and Spanish publishers).
    assert report.imported == 175
    assert len(report.rejected) == 16
    assert all(r.problems for r in report.rejected)
    reasons = {r.problems[-1].split(":")[0] for r in report.rejected}
    assert reasons <= {"description", "legal.mainCopyrightOwner"}
    assert Solution.objects.filter(status=SolutionStatus.PUBLISHED).count() == 175
    # The six files without a licence are imported, with the problem reported.
    no_licence = [r for r in report.results if "legal.license: missing" in r.problems]
    assert len(no_licence) >= 6
    # Every problem names the field it is about: "field.path: what is wrong".
    shape = re.compile(r"^[A-Za-z][\w.\-\[\]]*: \S")
    for result in report.results:
        for problem in result.problems:
            assert shape.match(problem), (result.file, problem)
    again = publiccode_import(paths=[publiccode_dir])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 175)


def test_publisher_names_are_cleaned():
    facts, _ = parse(
        GOOD.replace(
            "mainCopyrightOwner: Comune di Esempio", "mainCopyrightOwner: © 2018 Comune di Esempio"
        )
    )
    assert facts.publisher.name == "Comune di Esempio"
    text = GOOD.replace(
        "mainCopyrightOwner: Comune di Esempio", "mainCopyrightOwner: legal/authorsFile"
    )
    facts, problems = parse(text)
    assert "legal.mainCopyrightOwner: 'legal/authorsFile' is not a name (ignored)" in problems
    assert facts.publisher.name == "Comune di Esempio"  # from legal.repoOwner


@pytest.mark.parametrize(
    ("name", "ipa", "kind"),
    [
        ("Comune di Esempio", "", "authority"),
        ("Landeshauptstadt München", "", "authority"),
        ("CST Sistemi Sud S.r.l.", "c_x", "company"),
        ("Università della Calabria", "", "research"),
        ("ARPA-SIM", "arpa", "authority"),
        ("4Science", "", "company"),
    ],
)
def test_organisation_kind(name, ipa, kind):
    from govhub.catalogue.interchange.facts import Publisher
    from govhub.catalogue.interchange.importer import organisation_kind

    ids = {"it_ipa": ipa} if ipa else {}
    assert organisation_kind(Publisher(name=name, external_ids=ids), source="publiccode") == kind
