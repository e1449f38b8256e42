"""Digital Public Goods registry import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from govhub.catalogue.interchange.dpg import parse_dpg
from govhub.catalogue.interchange.facts import RecordRejected
from govhub.catalogue.interchange.importer import dpg_import
from govhub.catalogue.models import Solution, SolutionStatus

RECORD = {
    "name": "Open Forms",
    "description": "Forms for public services. " * 30,
    "website": "https://forms.example.no",
    "license": [{"spdx": "MIT", "licenseURL": "https://example.no/LICENSE"}, {"spdx": "Nope"}],
    "SDGs": [{"SDGNumber": 16, "evidenceText": "..."}, {"SDGNumber": 99}],
    "sectors": ["Government"],
    "type": ["software"],
    "repositories": [{"name": "main", "url": "https://github.com/example/forms"}],
    "organizations": [
        {"name": "Helper Org", "website": "https://helper.org", "org_type": "funder"},
        {
            "name": "Example Agency",
            "website": "https://agency.example.no",
            "org_type": "owner",
            "contact_name": "Kari",
            "contact_email": "kari@agency.example.no",
        },
    ],
    "stage": "DPG",
}


def parse(record: dict) -> tuple:
    return parse_dpg(json.dumps(record).encode(), file_name="open-forms.json")


def test_parse_maps_the_record():
    facts, problems = parse(RECORD)
    assert facts.source_id == "dpg:open-forms"
    assert facts.publisher.name == "Example Agency"
    assert facts.publisher.country == "NO"
    assert facts.licence == "MIT"
    assert facts.is_open_source
    assert facts.problem_domains == ["SDG 16: Peace, justice and strong institutions"]
    assert facts.categories == ["justice"]
    assert facts.repository_url == "https://github.com/example/forms"
    assert len(facts.texts["en"].summary) <= 500
    assert facts.contact_email == "kari@agency.example.no"
    assert "license[1].spdx: 'Nope' is not an SPDX licence identifier" in problems
    assert "SDGs[1].SDGNumber: 99 is not a goal (1–17)" in problems


def test_content_is_not_software():
    facts, _ = parse({**RECORD, "type": ["content"]})
    assert not facts.is_software


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({**RECORD, "name": ""}, "name: missing"),
        ({**RECORD, "description": ""}, "description: missing"),
        ({**RECORD, "organizations": []}, "organizations: missing"),
        (
            {
                **RECORD,
                "website": "https://forms.org",
                "organizations": [{"name": "X", "website": "https://x.org", "org_type": "owner"}],
            },
            "organizations[0]: the publisher's country cannot be told",
        ),
    ],
)
def test_rejections(record, problem):
    with pytest.raises(RecordRejected) as caught:
        parse(record)
    assert caught.value.problems[-1].startswith(problem)


def test_malformed_json_is_reported_and_skipped(reference_data, tmp_path):
    (tmp_path / "good.json").write_text(json.dumps(RECORD))
    (tmp_path / "bad.json").write_text("{not json")
    report = dpg_import(paths=[tmp_path])
    assert report.imported == 1
    assert report.rejected[0].file == "bad.json"
    assert report.rejected[0].problems[0].startswith("file: malformed JSON at line 1")
    solution = Solution.objects.get()
    assert solution.status == SolutionStatus.PUBLISHED
    assert solution.source == "dpg"
    assert solution.provider.kind == "authority"
    assert not solution.provider.is_claimed
    again = dpg_import(paths=[tmp_path])
    assert (again.imported, again.unchanged) == (0, 1)


@pytest.fixture
def nominees_dir() -> Path:
    path = Path(settings.SHARED_DATA_DIR) / "digital-public-goods" / "nominees"
    if not path.is_dir() or not any(path.glob("*.json")):
        pytest.skip(f"DPG nominees not found at {path}")
    return path


@pytest.mark.shared_data
def test_every_shared_dpg_record(reference_data, nominees_dir):
    report = dpg_import(paths=[nominees_dir.parent])  # the registry's schema file is skipped
    assert len(report.results) == 228
    # Most registry publishers have generic (.org, .com) domains and no location: their
    # country cannot be told, and the catalogue needs one for the organisation.
    assert report.imported == 52
    assert len(report.rejected) == 176
    assert all(r.problems for r in report.rejected)
    assert Solution.objects.filter(source="dpg").count() == 52
    assert Solution.objects.filter(source="dpg", is_software=False).exists()


def test_an_assumed_country_is_recorded(reference_data, tmp_path):
    record = {
        **RECORD,
        "website": "https://forms.org",
        "organizations": [
            {"name": "X Foundation", "website": "https://x.org", "org_type": "owner"}
        ],
    }
    (tmp_path / "x.json").write_text(json.dumps(record))
    assert len(dpg_import(paths=[tmp_path]).rejected) == 1
    report = dpg_import(paths=[tmp_path], assume_country="ch")
    assert report.imported == 1
    assert report.results[0].problems[-1].endswith("filed under the assumed country CH")
    provider = Solution.objects.get().provider
    assert provider.country.alpha2 == "CH"
    assert provider.external_ids["country_assumed"] == "CH"
