"""Ranking metrics, as plain functions over ranked id lists and sets.

- ``reciprocal_rank(ranking, target, k)``: 1/rank of ``target`` within the
  first ``k`` results, 0 when absent; ``mrr`` is its mean over queries.
- ``success_at(ranking, target, k)``: 1 if ``target`` is in the first ``k``.
- ``recall(found, relevant)``: share of ``relevant`` that is in ``found``
  (``None`` when nothing is relevant: such a query is not counted).
- ``violation(found, forbidden)``: True when ``found`` holds any forbidden
  document; ``violation_rate`` is the share of queries with a violation.
- ``percentile(values, p)``: linear-interpolation percentile (p in 0..100).
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

__all__ = [
    "rank_of",
    "reciprocal_rank",
    "success_at",
    "mrr",
    "mean",
    "recall",
    "violation",
    "violation_rate",
    "percentile",
]


def rank_of(ranking: Sequence, target) -> int | None:
    """1-based rank of ``target`` in ``ranking`` or None."""
    for i, doc in enumerate(ranking, 1):
        if doc == target:
            return i
    return None


def reciprocal_rank(ranking: Sequence, target, k: int = 100) -> float:
    r = rank_of(ranking[:k], target)
    return 1.0 / r if r else 0.0


def success_at(ranking: Sequence, target, k: int) -> float:
    return 1.0 if target in ranking[:k] else 0.0


def mean(values: Iterable[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def mrr(rankings_and_targets, k: int = 100) -> float | None:
    return mean(reciprocal_rank(r, t, k) for r, t in rankings_and_targets)


def recall(found, relevant) -> float | None:
    relevant = set(relevant)
    if not relevant:
        return None
    return len(relevant & set(found)) / len(relevant)


def violation(found, forbidden) -> bool:
    forbidden = set(forbidden)
    return bool(forbidden) and any(doc in forbidden for doc in found)


def violation_rate(flags: Iterable[bool]) -> float | None:
    return mean(1.0 if f else 0.0 for f in flags)


def percentile(values: Sequence[float], p: float) -> float | None:
    values = sorted(values)
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    pos = (len(values) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    if lo == hi:
        return float(values[lo])
    return values[lo] + (values[hi] - values[lo]) * (pos - lo)
