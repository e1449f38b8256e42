"""Ranking and classification metrics of the matching benchmark (pure functions, hand-checked)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def top_k_hit(ranked: Sequence[str], truth: str, k: int) -> bool:
    return truth in list(ranked)[:k]


def dcg(gains: Sequence[float], k: int) -> float:
    return sum(g / math.log2(i + 2) for i, g in enumerate(list(gains)[:k]))


def ndcg_at_k(relevant_flags: Sequence[bool], total_relevant: int, k: int = 10) -> float:
    """Binary-gain nDCG@k of one ranking; the ideal puts min(total_relevant, k) hits first."""
    if total_relevant <= 0:
        return 0.0
    ideal = dcg([1.0] * min(total_relevant, k), k)
    return dcg([1.0 if f else 0.0 for f in relevant_flags], k) / ideal


def precision_at_k(relevant_flags: Sequence[bool], k: int = 10) -> float:
    return sum(1 for f in list(relevant_flags)[:k] if f) / k


def recall_at_k(ranked: Sequence[str], truths: set[str], k: int = 10) -> float:
    if not truths:
        return 0.0
    return len(truths & set(list(ranked)[:k])) / len(truths)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0–100) of the values; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
