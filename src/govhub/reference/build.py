"""Convert the public source files (shared/data) into the compact files shipped in ``data/``.

Run by ``govhub build-reference``; the output is committed so that GovHub runs without
shared/. Needs lxml and pycountry (development dependencies), imported only here.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

# The 24 official EU languages as eForms names its label columns (ISO 639-2/B) → ISO 639-1.
LANGUAGES = {
    "bul": "bg",
    "ces": "cs",
    "dan": "da",
    "deu": "de",
    "ell": "el",
    "eng": "en",
    "est": "et",
    "fin": "fi",
    "fra": "fr",
    "gle": "ga",
    "hrv": "hr",
    "hun": "hu",
    "ita": "it",
    "lav": "lv",
    "lit": "lt",
    "mlt": "mt",
    "nld": "nl",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "slk": "sk",
    "slv": "sl",
    "spa": "es",
    "swe": "sv",
}

# eForms country codes that ISO 3166-1 (and so pycountry) does not assign.
_ALPHA2_EXCEPTIONS = {"XKX": "XK", "CPT": "CP"}

# Lists that have a model of their own; every other .gc file becomes CodelistEntry rows.
_MODELLED = {"country", "country_eu-country"}

CPV_SOURCE = {
    "source": "openprocurement/standards (cpv/cpv-2008-en.json, cpv/cpv-2008-ro.json)",
    "version": "CPV 2008 (Commission Regulation (EC) No 213/2008)",
    "licence": "Apache-2.0 (repository); CPV © European Union",
}
CPV_SUPPLEMENTARY_SOURCE = {
    "source": "openprocurement/standards (cpv/cpv-supplementary-en.json)",
    "version": "CPV 2008 supplementary vocabulary",
    "licence": "Apache-2.0 (repository); CPV © European Union",
}
EFORMS_SOURCE = "OP-TED/eForms-SDK 1.15.1, codelists/{file}"
EFORMS_LICENCE = "CC BY 4.0; © European Union, Publications Office"

FILES = ("cpv.json.gz", "nuts.json.gz", "countries.json.gz", "codelists.json.gz")


@dataclass
class BuildResult:
    datasets: dict[str, dict[str, Any]]
    readme: str
    notes: list[str] = field(default_factory=list)


@dataclass
class _Codelist:
    name: str
    version: str
    rows: list[dict[str, str]]


def _read_genericode(path: Path) -> _Codelist:
    from lxml import etree

    tree = etree.parse(str(path))
    rows = []
    for row in tree.iterfind(".//SimpleCodeList/Row"):
        values = {}
        for value in row.iterfind("Value"):
            text = value.findtext("SimpleValue")
            if text is not None and text.strip():
                values[value.get("ColumnRef", "")] = text.strip()
        rows.append(values)
    version = tree.findtext(".//Identification/Version") or ""
    return _Codelist(name=path.stem, version=version, rows=rows)


def _labels(row: dict[str, str]) -> dict[str, str]:
    """Labels by ISO 639-1 code; a language whose label is the English one is left out
    (``pick_label`` falls back to English), which keeps NUTS names stored once."""
    english = row.get("eng_label") or row.get("Name") or row["code"]
    labels = {"en": english}
    for column, value in sorted(row.items()):
        if column.endswith("_label"):
            lang = LANGUAGES.get(column.removesuffix("_label"))
            if lang and lang != "en" and value != english:
                labels[lang] = value
    return labels


def cpv_level(digits: str) -> int:
    """Significant digits: 2 division, 3 group, 4 class, 5 category, 6–8 finer."""
    return max(2, len(digits.rstrip("0")))


def _cpv(source: Path, notes: list[str]) -> dict[str, Any]:
    english: dict[str, str] = json.loads((source / "cpv" / "cpv-2008-en.json").read_text("utf-8"))
    romanian: dict[str, str] = json.loads((source / "cpv" / "cpv-2008-ro.json").read_text("utf-8"))
    if set(english) != set(romanian):
        notes.append(f"CPV: {len(set(english) ^ set(romanian))} codes lack a label in en or ro")
    by_digits = {code.split("-")[0]: code for code in english}
    rows = []
    # CPV has gaps (e.g. no 35811000): such codes hang from their nearest existing ancestor.
    skipped: list[str] = []
    for code in sorted(english):
        digits = code.split("-")[0]
        level = cpv_level(digits)
        parent = None
        for n in range(level - 1, 1, -1):
            candidate = by_digits.get(digits[:n].ljust(8, "0"))
            if candidate:
                parent = candidate
                if n != level - 1:
                    skipped.append(code)
                break
        if parent is None and level > 2:
            notes.append(f"CPV {code}: no parent found")
        labels = {"en": english[code].strip()}
        if romanian.get(code):
            labels["ro"] = romanian[code].strip()
        rows.append([code, parent, level, labels])
    if skipped:
        notes.append(
            f"CPV: {len(skipped)} codes hang from a grandparent, their parent code not "
            f"existing (e.g. {', '.join(skipped[:3])})"
        )
    return {**CPV_SOURCE, "rows": rows}


def _cpv_supplementary(source: Path) -> list[list[Any]]:
    path = source / "cpv" / "cpv-supplementary-en.json"
    if not path.exists():
        return []
    data: dict[str, str] = json.loads(path.read_text("utf-8"))
    return [[code, {"en": label.strip()}, {}] for code, label in sorted(data.items())]


def _nuts(
    codelists: dict[str, _Codelist], countries: dict[str, dict[str, str]], notes: list[str]
) -> dict[str, Any]:
    regions: dict[str, dict[str, Any]] = {}
    versions = set()
    country_of_prefix: dict[str, str] = {}
    for name, codelist in sorted(codelists.items()):
        if not name.startswith("nuts_"):
            continue
        versions.add(codelist.version)
        alpha3 = name.removeprefix("nuts_nuts-").removesuffix("-lvl3").upper()
        for row in codelist.rows:
            code = row["code"]
            regions[code] = {"labels": _labels(row), "level": len(code) - 2}
            country_of_prefix.setdefault(code[:2], alpha3)
    # The lvl3 lists hold only level-3 regions: their ancestors are added from the codes'
    # prefixes, named after the country (level 0) or by their position (levels 1 and 2).
    added = 0
    for code in sorted(regions):
        for n in range(2, len(code)):
            ancestor = code[:n]
            if ancestor in regions:
                continue
            added += 1
            country_labels = countries.get(country_of_prefix[code[:2]], {})
            level = n - 2
            if level == 0:
                labels = dict(country_labels) or {"en": ancestor}
            elif ancestor.endswith("Z"):
                labels = {"en": f"Extra-Regio NUTS {level}"}
            else:
                labels = {
                    lang: f"{name}, NUTS {level}" for lang, name in country_labels.items()
                } or {"en": f"NUTS {level} {ancestor}"}
            regions[ancestor] = {"labels": labels, "level": level}
    notes.append(f"NUTS: {added} level 0-2 regions derived from the level-3 codes")
    rows = []
    for code in sorted(regions):
        region = regions[code]
        parent = code[:-1] if region["level"] > 0 else None
        if parent is not None and parent not in regions:
            notes.append(f"NUTS {code}: parent {parent} not found")
            parent = None
        rows.append([code, region["level"], parent, region["labels"]])
    return {
        "source": EFORMS_SOURCE.format(file="nuts_nuts-*-lvl3.gc"),
        "version": "NUTS 2024 codes, eForms codelists " + ", ".join(sorted(versions)),
        "licence": EFORMS_LICENCE,
        "rows": rows,
    }


def _countries(
    codelists: dict[str, _Codelist], notes: list[str]
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    import pycountry

    eu = {row["code"] for row in codelists["country_eu-country"].rows}
    rows = []
    labels_by_code = {}
    for row in codelists["country"].rows:
        code = row["code"]
        found = pycountry.countries.get(alpha_3=code)
        alpha2 = _ALPHA2_EXCEPTIONS.get(code) or (found.alpha_2 if found else "")
        if not alpha2:
            notes.append(f"Country {code}: no ISO 3166-1 alpha-2 code")
        labels = _labels(row)
        labels_by_code[code] = labels
        rows.append([code, alpha2, code in eu, labels])
    missing = eu - set(labels_by_code)
    if missing:
        notes.append(f"EU members missing from the country list: {sorted(missing)}")
    dataset = {
        "source": EFORMS_SOURCE.format(file="country.gc, country_eu-country.gc")
        + "; alpha-2 codes from ISO 3166-1 (pycountry)",
        "version": f"country {codelists['country'].version}, "
        f"country_eu-country {codelists['country_eu-country'].version}",
        "licence": EFORMS_LICENCE,
        "rows": sorted(rows),
    }
    return dataset, labels_by_code


def _language_extra(code: str) -> dict[str, str]:
    import pycountry

    found = pycountry.languages.get(alpha_3=code.lower())
    if found is None:
        try:
            found = pycountry.languages.get(bibliographic=code.lower())
        except KeyError:
            found = None
    alpha2 = getattr(found, "alpha_2", "") if found else ""
    return {"alpha2": alpha2} if alpha2 else {}


def _codelists(codelists: dict[str, _Codelist], source: Path) -> dict[str, Any]:
    lists: dict[str, Any] = {}
    for name, codelist in sorted(codelists.items()):
        if name in _MODELLED or name.startswith("nuts_"):
            continue
        entries = []
        for row in codelist.rows:
            labels = _labels(row)
            extra: dict[str, str] = {}
            if row.get("Name") and row["Name"] != labels["en"]:
                extra["name"] = row["Name"]
            if name == "language":
                extra.update(_language_extra(row["code"]))
            entries.append([row["code"], labels, extra])
        lists[name] = {
            "source": EFORMS_SOURCE.format(file=f"{name}.gc"),
            "version": codelist.version,
            "licence": EFORMS_LICENCE,
            "entries": sorted(entries),
        }
    supplementary = _cpv_supplementary(source)
    if supplementary:
        lists["cpv-supplementary"] = {**CPV_SUPPLEMENTARY_SOURCE, "entries": supplementary}
    return {"source": "see each list", "lists": lists}


def build(source: Path) -> BuildResult:
    """Read shared/data and return the packaged datasets, their README and any problems."""
    notes: list[str] = []
    codelists: dict[str, _Codelist] = {}
    for path in sorted((source / "eforms" / "codelists").glob("*.gc")):
        if path.stat().st_size == 0:
            notes.append(f"{path.name}: empty file, skipped")
            continue
        codelists[path.stem] = _read_genericode(path)
    countries, country_labels = _countries(codelists, notes)
    datasets = {
        "cpv.json.gz": _cpv(source, notes),
        "nuts.json.gz": _nuts(codelists, country_labels, notes),
        "countries.json.gz": countries,
        "codelists.json.gz": _codelists(codelists, source),
    }
    return BuildResult(datasets=datasets, readme=_readme(datasets), notes=notes)


def _readme(datasets: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Packaged reference data",
        "",
        "Generated by `govhub build-reference` from the public files in `shared/data`; do not",
        "edit by hand. `govhub load-reference` loads them into the database. Each file is",
        "gzip-compressed JSON: `source`, `version`, `licence` and `rows` (or `lists`).",
        "Labels are keyed by ISO 639-1 language code; a language whose label is the same as",
        "the English one is left out (the English label stands for it).",
        "",
        "| file | content | rows | source | version | licence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    contents = {
        "cpv.json.gz": "CPV codes: `[code, parent, level, labels]` (English, Romanian)",
        "nuts.json.gz": "NUTS regions, levels 0–3: `[code, level, parent, labels]`",
        "countries.json.gz": "Countries: `[alpha-3, alpha-2, EU member, labels]`",
    }
    for name in FILES[:3]:
        data = datasets[name]
        lines.append(
            f"| `{name}` | {contents[name]} | {len(data['rows']):,} | {data['source']} "
            f"| {data['version']} | {data['licence']} |"
        )
    for list_name, data in datasets["codelists.json.gz"]["lists"].items():
        lines.append(
            f"| `codelists.json.gz` | `{list_name}`: `[code, labels, extra]` "
            f"| {len(data['entries']):,} | {data['source']} | {data['version']} "
            f"| {data['licence']} |"
        )
    lines += [
        "",
        "Notes:",
        "",
        "- The eForms SDK 1.15.1 NUTS lists carry the NUTS 2024 codes (e.g. PT1A0 Grande",
        "  Lisboa). They (`nuts_nuts-<country>-lvl3`) hold only level-3 regions, with",
        "  their national names in every language column. Their level 0–2 ancestors are",
        "  derived from the codes' prefixes: level 0 takes the country's names from the",
        "  `country` list; levels 1 and 2 have no names in the source, so they are labelled",
        "  `<country>, NUTS <level>` (and `Extra-Regio NUTS <level>` for the `…Z` codes).",
        "- Alpha-2 country codes come from ISO 3166-1 via pycountry (XK for Kosovo and CP for",
        "  Clipperton, which ISO does not assign). NUTS uses EL for Greece.",
        "- `language` entries carry the ISO 639-1 code in `extra.alpha2` where one exists.",
        "- Where a genericode `Name` differs from its English label it is kept in",
        "  `extra.name`.",
        "",
    ]
    return "\n".join(lines)


def encode(dataset: dict[str, Any]) -> bytes:
    text = json.dumps(dataset, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write(result: BuildResult, target: Path = DATA_DIR) -> dict[str, int]:
    """Write the datasets and README; return each file's size in bytes."""
    target.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, dataset in result.datasets.items():
        path = target / name
        path.write_bytes(encode(dataset))
        sizes[name] = path.stat().st_size
    (target / "README.md").write_text(result.readme, encoding="utf-8")
    return sizes


def read(name: str, directory: Path | None = None) -> dict[str, Any]:
    path = (directory or DATA_DIR) / name
    data: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    return data
