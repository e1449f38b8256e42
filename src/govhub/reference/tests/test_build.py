"""The converter, on the real files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from govhub.reference import build

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def built(request) -> build.BuildResult:
    source = request.getfixturevalue("shared_data_dir")
    return build.build(source)


@pytest.fixture(scope="module")
def shared_data_dir() -> Path:
    from django.conf import settings

    path = Path(settings.SHARED_DATA_DIR)
    if not (path / "cpv").is_dir() or not (path / "eforms" / "codelists").is_dir():
        pytest.skip(f"shared data not found at {path} (set GOVHUB_SHARED_DATA)")
    return path


def test_cpv_has_every_code_with_english_and_romanian_labels(built):
    rows = built.datasets["cpv.json.gz"]["rows"]
    assert len(rows) == 9454
    assert all(labels.get("en") and labels.get("ro") for _, _, _, labels in rows)


def test_every_cpv_parent_exists_and_is_a_prefix_ancestor(built):
    rows = {
        code: (parent, level) for code, parent, level, _ in built.datasets["cpv.json.gz"]["rows"]
    }
    for code, (parent, level) in rows.items():
        digits = code[:8]
        if level == 2:
            assert parent is None, code
            continue
        assert parent in rows, code
        parent_level = rows[parent][1]
        assert parent_level < level
        assert parent[:parent_level] == digits[:parent_level], (code, parent)
        assert parent[parent_level:8] == "0" * (8 - parent_level)


def test_cpv_levels_follow_the_digits(built):
    rows = {code: level for code, _, level, _ in built.datasets["cpv.json.gz"]["rows"]}
    assert rows["45000000-7"] == 2
    assert rows["45200000-9"] == 3
    assert rows["45210000-2"] == 4
    assert rows["45215000-7"] == 5
    assert rows["45215140-0"] == 7


def test_every_nuts_region_has_a_valid_parent(built):
    rows = {
        code: (level, parent) for code, level, parent, _ in built.datasets["nuts.json.gz"]["rows"]
    }
    for code, (level, parent) in rows.items():
        assert level == len(code) - 2
        if level == 0:
            assert parent is None
        else:
            assert parent == code[:-1], code
            assert rows[parent][0] == level - 1
    assert not [n for n in built.notes if "not found" in n]


def test_nuts_keeps_every_level3_code_of_the_codelists(built, shared_data_dir):
    codes: set[str] = set()
    for path in (shared_data_dir / "eforms" / "codelists").glob("nuts_*.gc"):
        if path.stat().st_size:
            for value in etree.parse(str(path)).iterfind(".//SimpleCodeList/Row/Value"):
                if value.get("ColumnRef") == "code":
                    codes.add(value.findtext("SimpleValue") or "")
    rows = {code: level for code, level, _, _ in built.datasets["nuts.json.gz"]["rows"]}
    assert codes == {code for code, level in rows.items() if level == 3}
    assert set(rows.values()) == {0, 1, 2, 3}


def test_nuts_countries_are_named_in_every_language(built):
    rows = {code: labels for code, _, _, labels in built.datasets["nuts.json.gz"]["rows"]}
    assert rows["EL"]["en"] == "Greece"
    assert rows["EL"]["fr"] == "Grèce"
    assert rows["DE"]["fr"] == "Allemagne"
    assert rows["FR101"]["en"] == "Paris"


def _genericode_rows(path: Path) -> int:
    return len(etree.parse(str(path)).findall(".//SimpleCodeList/Row"))


def test_every_codelist_has_all_its_rows(built, shared_data_dir):
    lists = built.datasets["codelists.json.gz"]["lists"]
    directory = shared_data_dir / "eforms" / "codelists"
    expected = {
        path.stem: _genericode_rows(path)
        for path in directory.glob("*.gc")
        if path.stat().st_size and not path.stem.startswith(("nuts_", "country"))
    }
    assert expected.keys() <= lists.keys()
    assert {name: len(lists[name]["entries"]) for name in expected} == expected
    for required in ("language", "currency", "eu-programme", "gpp-criteria", "buyer-legal-type"):
        assert required in lists


def test_codelist_labels_are_keyed_by_iso_639_1(built):
    gpp = {
        code: labels
        for code, labels, _ in built.datasets["codelists.json.gz"]["lists"]["gpp-criteria"][
            "entries"
        ]
    }
    assert gpp["eu"]["en"] == "EU Green Public Procurement criteria"
    assert gpp["eu"]["fr"].startswith("Critères")
    assert set(gpp["eu"]) <= set(build.LANGUAGES.values())


def test_countries_have_alpha2_and_eu_membership(built, shared_data_dir):
    rows = {
        code: (alpha2, is_eu)
        for code, alpha2, is_eu, _ in built.datasets["countries.json.gz"]["rows"]
    }
    assert len(rows) == _genericode_rows(shared_data_dir / "eforms" / "codelists" / "country.gc")
    assert sum(is_eu for _, is_eu in rows.values()) == 27
    assert rows["GRC"] == ("GR", True)
    assert rows["NOR"] == ("NO", False)
    assert all(alpha2 for alpha2, _ in rows.values())


def test_packaged_files_are_what_the_converter_makes(built):
    """The committed data/ cannot drift from shared/: rebuild with `govhub build-reference`."""
    for name, dataset in built.datasets.items():
        assert build.read(name) == dataset, f"{name} differs: run govhub build-reference"
    assert (build.DATA_DIR / "README.md").read_text("utf-8") == built.readme


def test_packaged_files_stay_small():
    total = sum((build.DATA_DIR / name).stat().st_size for name in build.FILES)
    assert total < 3 * 1024 * 1024
