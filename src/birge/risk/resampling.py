"""Intervals by resampling women, not assessments: the cluster bootstrap of the report.

One woman (one case) often has several assessments, and their outcomes are not
independent: the same man, the same home. Resampling assessments as if they were
independent would give intervals that are too narrow. So each replicate draws *cases*
with replacement, as many as there are, and takes every assessment of a drawn case.

The data come as patterns: a case's contribution to a table (a vector of counts, e.g.
outcomes and non-outcomes per level) and the number of cases with exactly that
contribution. Most cases share a handful of patterns, so a replicate is one multinomial
draw over the patterns and one matrix product, whatever the number of cases.

Intervals are percentile intervals (2.5th and 97.5th percentiles of the replicates);
replicates where a figure is undefined (no outcome drawn, say) are left out of that
figure's interval. The generator is seeded, so the same data give the same interval.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

CONFIDENCE = 0.95


def resample(
    patterns: Mapping[tuple[float, ...], int], *, replicates: int, seed: int
) -> np.ndarray:
    """`replicates` × width array: the summed contributions of cases drawn with
    replacement. `patterns` maps a case's contribution vector to its number of cases."""
    vectors = np.array(list(patterns), dtype=float)
    counts = np.array(list(patterns.values()), dtype=float)
    cases = int(counts.sum())
    if cases == 0 or replicates <= 0:
        return np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0))
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(cases, counts / cases, size=replicates)
    return draws @ vectors


def interval(values: np.ndarray) -> tuple[float, float] | None:
    """The percentile interval of the defined replicates, None when fewer than half of
    them are defined (the figure is too fragile to give an interval for)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0 or finite.size < values.size / 2:
        return None
    tail = (1 - CONFIDENCE) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return float(low), float(high)


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )


def aucs(positives: np.ndarray, negatives: np.ndarray) -> np.ndarray:
    """Row-wise AUC (Mann-Whitney, ties one half) of tables whose columns are ordered
    values: `positives[r, i]` / `negatives[r, i]` are the counts with and without the
    outcome at the i-th value in replicate r. NaN where a class is empty."""
    below = np.cumsum(negatives, axis=1) - negatives  # negatives with a smaller value
    twice_u = (positives * (2 * below + negatives)).sum(axis=1)
    pairs = 2 * positives.sum(axis=1) * negatives.sum(axis=1)
    return _divide(twice_u, pairs)


def rates(numerators: np.ndarray, denominators: np.ndarray) -> np.ndarray:
    return _divide(numerators, denominators)


def odds_ratios(table: np.ndarray) -> np.ndarray:
    """Row-wise odds ratio of 2×2 tables given as columns (a, b, c, d): a = the item yes
    with an outcome, b = yes without, c = no with, d = no without. NaN where a cell is 0."""
    a, b, c, d = (table[:, i] for i in range(4))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (a * d) / (b * c)
    return np.where((a > 0) & (b > 0) & (c > 0) & (d > 0), value, np.nan)


def decimals(low: float, high: float, *, scale: float = 1.0, most: int = 3) -> int:
    """How many decimals a figure deserves given its interval: the place of the first
    significant digit of the interval's half-width (a half-width of 0.04 allows two
    decimals, 0.3 one), at most `most`. `scale` is the unit shown (100 for percent)."""
    half = (high - low) * scale / 2
    if not math.isfinite(half) or half <= 0:
        return most
    return max(0, min(most, -math.floor(math.log10(half))))


def merge_columns(table: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    """Columns summed by groups of column indices: a table with neighbouring levels
    reported together."""
    return np.stack([table[:, list(group)].sum(axis=1) for group in groups], axis=1)
