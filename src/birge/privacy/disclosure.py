"""Small numbers never identify anyone: what an aggregate may show.

A count below `min_cell` (settings.BIRGE_STATS_MIN_CELL, default 10; zero too, so that
"none" and "a few" look alike) is not shown: **primary suppression** (`count`). Nor is
whatever would give it away:

- a rate whose numerator, or whose complement (denominator minus numerator), is below
  `min_cell` (`rate`): with the denominator shown, either could be worked out;
- a line of parts whose total is shown while exactly one part is hidden: the total minus
  the shown parts would be that part, so the smallest shown part is hidden as well
  (`protect_line`, **complementary suppression**), and more until the hidden parts add
  up to `min_cell` at least. A part that is never published but large enough may be
  passed as shown: working it out reveals nothing;
- a subtotal of parts one of which is hidden, unless the line's total gives it anyway
  (`subtotal`).

Every page, chart, API answer and export of figures asks these functions; a `Figure`
carries either its value or the fact that it is hidden, never both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Figure:
    """A count, rate or AUC; `value` is None when suppressed (or undefined)."""

    value: float | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None


SUPPRESSED = Figure(None, suppressed=True)


def min_cell_default() -> int:
    return int(getattr(settings, "BIRGE_STATS_MIN_CELL", 10))


def count(value: int, min_cell: int) -> Figure:
    """A count, hidden below `min_cell`."""
    return Figure(value) if value >= min_cell else SUPPRESSED


def rate(numerator: int, denominator: int, min_cell: int, *, scale: float = 1.0) -> Figure:
    """numerator / denominator (× `scale`), hidden when the numerator or the complement
    (denominator − numerator) is below `min_cell`."""
    if numerator < min_cell or denominator - numerator < min_cell:
        return SUPPRESSED
    return Figure(scale * numerator / denominator if denominator else None)


def protect_line(
    cells: Sequence[Figure],
    values: Sequence[int],
    total_shown: bool,
    *,
    min_cell: int | None = None,
    unpublished: Sequence[bool] = (),
) -> list[Figure]:
    """The parts of a line whose total is shown: when exactly one of them is hidden, the
    smallest shown one is hidden as well, so that the total gives neither away. With
    `min_cell`, shown parts (the smallest first) are hidden until the hidden ones add up
    to at least `min_cell`: the total minus the shown parts is their sum, which must not
    be a small number either.

    `values` are the parts' true values, in the order of `cells`. `unpublished` marks
    the parts that are never published (the rest of a total, worked out by nobody):
    they are hidden first, since hiding them costs nothing."""
    cells = list(cells)
    free = list(unpublished) or [False] * len(cells)

    def hidden() -> list[int]:
        return [i for i, cell in enumerate(cells) if cell.suppressed]

    def hide_smallest_shown() -> bool:
        shown = [i for i, cell in enumerate(cells) if not cell.suppressed]
        if not shown:
            return False
        cells[min(shown, key=lambda i: (not free[i], values[i]))] = SUPPRESSED
        return True

    if not total_shown:
        return cells
    if len(hidden()) == 1:
        hide_smallest_shown()
    if min_cell is not None:
        while hidden() and sum(values[i] for i in hidden()) < min_cell:
            if not hide_smallest_shown():
                break
    return cells


def subtotal(
    value: int,
    parts: Sequence[Figure],
    *,
    total: Figure | None = None,
    rest: Sequence[Figure] = (),
) -> Figure:
    """A sum of parts (`value`, the true sum), shown only when it gives no hidden part
    away: when every part is shown, or when the shown `total` of the line minus its other
    parts (`rest`, all shown) gives the sum anyway. `protect_line` with `min_cell` on
    that line has then made sure the hidden parts add up to `min_cell` at least."""
    if parts and all(part.shown for part in parts):
        return Figure(value)
    if total is not None and total.shown and all(part.shown for part in rest):
        return Figure(value)
    return SUPPRESSED


def merge_small_rows(
    positives: Sequence[int], negatives: Sequence[int], min_cell: int
) -> list[list[int]] | None:
    """**Global recoding** of an ordered table (rows: levels, low to high; columns: with
    and without the outcome): neighbouring rows are reported together until every
    reported row has at least `min_cell` in both columns. Every figure of the table
    (row counts and rates, totals, thresholds, the AUC) is then computed from the
    reported rows only, so no figure can give a merged row's parts away.

    Rows with nothing in them (no assessment at that level, which is also how a level
    the instrument cannot give shows) are left out and never force a merge: an empty
    row says nothing about anyone. A sampling zero in a row that has assessments (none
    of the 40 at medium had a new incident) is a small cell like any other.

    Returns the groups of row indices, in order; None when even all rows together do
    not reach `min_cell` in both columns (the table is not published)."""
    groups = [[i] for i in range(len(positives)) if positives[i] + negatives[i] > 0]

    def size(group: list[int]) -> int:
        return sum(positives[i] + negatives[i] for i in group)

    def small(group: list[int]) -> bool:
        return (
            sum(positives[i] for i in group) < min_cell
            or sum(negatives[i] for i in group) < min_cell
        )

    while True:
        bad = [k for k, group in enumerate(groups) if small(group)]
        if not bad:
            return groups
        if len(groups) < 2:
            return None
        k = min(bad, key=lambda k: (size(groups[k]), k))
        neighbours = [j for j in (k - 1, k + 1) if 0 <= j < len(groups)]
        j = min(neighbours, key=lambda j: (size(groups[j]), j))
        low, high = sorted((j, k))
        groups[low : high + 1] = [groups[low] + groups[high]]


def protect_groups(
    lines: Sequence[Sequence[int]], hidden: Sequence[bool], min_cell: int
) -> list[bool]:
    """Complementary suppression across the groups of a breakdown (regions, agencies)
    whose totals are shown elsewhere: several lines of counts (e.g. outcomes and
    non-outcomes per group), one value per group in each line, and the groups already
    hidden by primary suppression. A hidden group's figures are hidden in every line.

    Hides further groups, the smallest first, until no line can give a hidden group
    away: either nothing is hidden, or at least two groups are and, in every line, the
    hidden ones add up to at least `min_cell`. When even all groups together cannot
    satisfy that, all are hidden."""
    hidden = list(hidden)
    order = sorted(range(len(hidden)), key=lambda g: (sum(line[g] for line in lines), g))

    def safe() -> bool:
        chosen = [g for g, h in enumerate(hidden) if h]
        if not chosen:
            return True
        return len(chosen) >= 2 and all(sum(line[g] for g in chosen) >= min_cell for line in lines)

    for group in order:
        if safe():
            break
        if not hidden[group]:
            hidden[group] = True
    if not safe():
        hidden = [True] * len(hidden)
    return hidden
