"""The benchmark's metrics against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from govhub.matching import bench, metrics


def test_ndcg_by_hand() -> None:
    # Relevant at ranks 1 and 3, 2 relevant in all: DCG = 1 + 1/log2(4) = 1.5;
    # IDCG = 1 + 1/log2(3).
    expected = 1.5 / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k([True, False, True, False], 2, 10) == pytest.approx(expected)
    assert metrics.ndcg_at_k([True, True], 2, 10) == pytest.approx(1.0)
    assert metrics.ndcg_at_k([False] * 10, 3, 10) == 0.0
    assert metrics.ndcg_at_k([True], 0, 10) == 0.0
    # More relevant than k: the ideal is k hits.
    assert metrics.ndcg_at_k([True] * 10, 25, 10) == pytest.approx(1.0)


def test_precision_recall_percentile_by_hand() -> None:
    assert metrics.precision_at_k([True, False, True], 10) == pytest.approx(0.2)
    assert metrics.recall_at_k(["a", "b", "c"], {"c", "z"}, 10) == pytest.approx(0.5)
    assert metrics.recall_at_k(["a", "b", "c"], {"c"}, 2) == 0.0
    assert metrics.percentile([5, 1, 3, 2, 4], 50) == 3
    assert metrics.percentile(list(range(1, 101)), 95) == 95
    assert metrics.percentile([], 95) == 0.0


def test_cpv_scores_by_hand() -> None:
    truths = ["45215140", "72212000"]
    ranked = {
        "division": [["45", "72"], ["48", "30", "72"]],
        "group": [["452"], ["722"]],
        "class": [["4521"], ["7222", "7221"]],
        "full": [["45215140"], ["72000000"]],
    }
    scores = bench.cpv_scores(ranked, truths)
    assert scores["division"] == {"top1": 0.5, "top5": 1.0}
    assert scores["group"] == {"top1": 1.0, "top5": 1.0}
    assert scores["class"] == {"top1": 0.5, "top5": 1.0}
    assert scores["full"] == {"top1": 0.5, "top5": 0.5}


def test_crosslingual_metrics_by_hand() -> None:
    # Corpus of 4 documents; classes: 0 and 2 share class 4521.
    classes = ["4521", "7221", "4521", "3311"]
    queries = [bench.Query("en", "q", 0), bench.Query("de", "q", 1)]
    scores = np.array([[0.9, 0.1, 0.5, 0.0], [0.9, 0.8, 0.1, 0.0]])
    result = bench.crosslingual_metrics(queries, scores, classes, k=10)
    # EN: docs 0 and 2 ranked 1st and 2nd → nDCG 1, P@10 = 2/10.
    assert result["EN"] == {"ndcg10": 1.0, "p10": 0.2, "n": 1}
    # DE: its only relevant doc (1) ranked 2nd → nDCG = 1/log2(3).
    assert result["DE"]["ndcg10"] == pytest.approx(round(1 / math.log2(3), 4))
    assert result["DE"]["p10"] == pytest.approx(0.1)


def test_temporal_split_keeps_newest_for_test() -> None:
    import datetime as dt

    from govhub.opportunities.ted import TedNotice

    def notice(day: int) -> TedNotice:
        return TedNotice(
            oj_number=f"n{day}", form="F02", notice_type="", original_language="fr",
            publication_date=dt.date(2020, 1, day), title="t", titles={}, short_description="",
            cpv_main="45000000", cpv_additional=[], nuts_codes=[], country="FR",
            estimated_value=None, total_value=None, currency="", tender_deadline=None,
            buyer=None, procedure_type="", contract_nature="", url="",
        )  # fmt: skip

    train, test = bench.temporal_split([notice(d) for d in (5, 1, 20, 3, 9, 14, 2)], 0.3)
    assert [n.oj_number for n in test] == ["n14", "n20"]
    assert max(str(n.publication_date) for n in train) < min(str(n.publication_date) for n in test)
