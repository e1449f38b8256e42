"""Reads of the reference vocabularies: look-ups by code and the pickers' type-ahead search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from django.db.models import QuerySet

from .models import CodelistEntry, Country, CpvCode, NutsRegion, pick_label

# How many rows a word search pulls from the database before ranking them in Python: enough
# that the best matches of a common word ("works") are among them, few enough to stay fast.
_CANDIDATES = 400

_CPV_CODE = re.compile(r"^(\d{8})(?:-(\d))?$")
_CPV_PREFIX = re.compile(r"^\d[\d\s-]*$")
_NUTS_PREFIX = re.compile(r"^[A-Za-z]{2}[0-9A-Za-z]{0,3}$")

# NUTS uses EL for Greece and UK for the United Kingdom where ISO 3166 says GR and GB.
_NUTS_COUNTRY_ALIASES = {"GR": "EL", "GB": "UK"}


def fold(text: str) -> str:
    """Lower-case, accent-free text, so "Ile" finds "Île" and "munchen" finds "München"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def search_text_for(labels: dict[str, str]) -> str:
    """The folded, de-duplicated labels of every language: what a word search filters on."""
    seen: dict[str, None] = {}
    for value in labels.values():
        seen.setdefault(fold(value), None)
    return "\n".join(seen)


def parse_cpv_code(text: str) -> tuple[str, str | None] | None:
    """``"45215140-0"`` → ``("45215140", "0")``; ``"45215140"`` → ``("45215140", None)``."""
    match = _CPV_CODE.match(text.strip())
    if not match:
        return None
    return match.group(1), match.group(2)


def cpv_lookup(codes: Iterable[str]) -> tuple[list[CpvCode], list[str]]:
    """The CPV codes named (in the order given, without repeats) and the texts that name none.

    Each text may carry the check digit or not; a wrong check digit makes it unknown.
    """
    texts = list(codes)
    parsed = {text: parse_cpv_code(text) for text in texts}
    wanted = {p[0] for p in parsed.values() if p}
    found = {c.digits: c for c in CpvCode.objects.filter(digits__in=wanted)} if wanted else {}
    result: list[CpvCode] = []
    unknown: list[str] = []
    for text in texts:
        code = parsed[text]
        cpv = found.get(code[0]) if code else None
        if cpv is None or (code and code[1] is not None and cpv.code != f"{code[0]}-{code[1]}"):
            unknown.append(text)
        elif cpv not in result:
            result.append(cpv)
    return result, unknown


def cpv_by_codes(codes: Iterable[str]) -> list[CpvCode]:
    """The known CPV codes among ``codes`` (with or without check digit), in the order given."""
    return cpv_lookup(codes)[0]


def nuts_by_code(code: str) -> NutsRegion | None:
    return NutsRegion.objects.filter(code=code.strip().upper()).first()


def nuts_by_codes(codes: Iterable[str]) -> dict[str, NutsRegion]:
    wanted = {c.strip().upper() for c in codes if c.strip()}
    return {r.code: r for r in NutsRegion.objects.filter(code__in=wanted)}


def country_by_code(code: str) -> Country | None:
    """A country by its alpha-3 (eForms) or alpha-2 code."""
    code = code.strip().upper()
    field = "alpha2" if len(code) == 2 else "code"
    return Country.objects.filter(**{field: code}).first()


def countries(*, eu_only: bool = False) -> QuerySet[Country]:
    qs = Country.objects.all()
    return qs.filter(is_eu=True) if eu_only else qs


def codelist_entries(codelist: str) -> QuerySet[CodelistEntry]:
    return CodelistEntry.objects.filter(codelist=codelist)


def codelist_entry(codelist: str, code: str) -> CodelistEntry | None:
    return CodelistEntry.objects.filter(codelist=codelist, code=code).first()


def _words(query: str) -> list[str]:
    return [w for w in re.split(r"[\s,;]+", fold(query)) if w]


def _word_rank(label: str, words: list[str], phrase: str) -> int | None:
    """0 the label starts with the query, 1 holds it as typed, 2 every word starts a word,
    3 words inside words; None when a word is missing."""
    if not all(w in label for w in words):
        return None
    if label.startswith(phrase):
        return 0
    if re.search(r"(?<!\w)" + re.escape(phrase), label):
        return 1
    if all(re.search(r"(?<!\w)" + re.escape(w), label) for w in words):
        return 2
    return 3


_Labelled = TypeVar("_Labelled", CpvCode, NutsRegion)


def _rank_by_words(candidates: Iterable[_Labelled], query: str, language: str) -> list[_Labelled]:
    words = _words(query)
    phrase = " ".join(words)
    ranked: list[tuple[int, int, str, _Labelled]] = []
    for obj in candidates:
        ranks = [
            r
            for r in (
                _word_rank(fold(pick_label(obj.labels, language)), words, phrase),
                _word_rank(fold(obj.labels.get("en", "")), words, phrase),
            )
            if r is not None
        ]
        if ranks:
            ranked.append((min(ranks), obj.level, obj.code, obj))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked]


def cpv_search(query: str, *, language: str, limit: int = 10) -> list[CpvCode]:
    """CPV codes whose code starts with the digits typed, or whose label (in ``language``,
    else English) holds every word typed; exact and prefix code matches first."""
    query = query.strip()
    if not query:
        return []
    if _CPV_PREFIX.match(query):
        digits = re.sub(r"\D", "", query)[:8]
        return list(
            CpvCode.objects.filter(digits__startswith=digits).order_by("level", "digits")[:limit]
        )
    words = _words(query)
    if not words:
        return []
    qs = CpvCode.objects.all()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    candidates = qs.order_by("level", "digits")[:_CANDIDATES]
    return _rank_by_words(candidates, query, language)[:limit]


def nuts_country_code(country: str) -> str:
    """The NUTS country prefix for an alpha-2, alpha-3 or NUTS country code (GRC, GR → EL)."""
    country = country.strip().upper()
    if len(country) == 3:
        found = Country.objects.filter(code=country).values_list("alpha2", flat=True).first()
        country = found or country
    return _NUTS_COUNTRY_ALIASES.get(country, country)


def nuts_search(
    query: str, *, language: str, country: str | None = None, limit: int = 10
) -> list[NutsRegion]:
    """NUTS regions whose code starts with the text typed, then those whose name holds every
    word typed, optionally only in one country (NUTS, alpha-2 or alpha-3 code)."""
    query = query.strip()
    if not query:
        return []
    qs = NutsRegion.objects.all()
    if country:
        qs = qs.filter(country_code=nuts_country_code(country))
    results: list[NutsRegion] = []
    if _NUTS_PREFIX.match(query):
        results = list(qs.filter(code__startswith=query.upper()).order_by("level", "code")[:limit])
    if len(results) < limit:
        words = _words(query)
        by_words = qs
        for word in words:
            by_words = by_words.filter(search_text__contains=word)
        seen = {r.code for r in results}
        candidates = [
            r for r in by_words.order_by("level", "code")[:_CANDIDATES] if r.code not in seen
        ]
        results += _rank_by_words(candidates, query, language)[: limit - len(results)]
    return results


def cpv_with_ancestors(codes: list[CpvCode]) -> list[tuple[CpvCode, list[CpvCode]]]:
    """Each code with its ancestors, broadest first (one query for all of them)."""
    wanted = {c.digits[:n].ljust(8, "0") for c in codes for n in range(2, c.level)}
    ancestors = {c.digits: c for c in CpvCode.objects.filter(digits__in=wanted)}
    result = []
    for cpv in codes:
        chain = [
            ancestors[d]
            for d in sorted({cpv.digits[:n].ljust(8, "0") for n in range(2, cpv.level)})
            if d in ancestors and d != cpv.digits
        ]
        result.append((cpv, chain))
    return result


def nuts_ancestors(region: NutsRegion) -> list[NutsRegion]:
    """The region's ancestors, country first."""
    codes = [region.code[:n] for n in range(2, len(region.code))]
    found = {r.code: r for r in NutsRegion.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
