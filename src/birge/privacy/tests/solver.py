"""The attacker's solver for the suppression tests: can a hidden cell be worked out from
what a page (and its export) publishes?

Everything published becomes a linear equation over the table's true cells (x ≥ 0): a
shown count, a shown sum of cells, a shown rate as an exact ratio (more than the
rounded page gives away). A hidden cell is safe when linear programming finds it still
ranging over more than one value (`solve_range`); `Published` collects the equations
and `assert_hidden_not_recoverable` asks for every hidden cell."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.optimize import linprog


def solve_range(a_eq, b_eq, variables: int, target: int | Sequence[int]) -> tuple[float, float]:
    """Min and max of variable `target` (or of the sum of several) over x ≥ 0 with
    a_eq·x = b_eq."""
    bounds = [(0, None)] * variables
    ranges = []
    targets = [target] if isinstance(target, int) else list(target)
    for sign in (1, -1):
        c = np.zeros(variables)
        c[targets] = sign
        result = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert result.status in (0, 3), result.message  # optimal, or unbounded above
        ranges.append(sign * result.fun if result.status == 0 else math.inf)
    return ranges[0], ranges[1]


class Published:
    """What a reader knows, as equations over `variables` unknown cells (indices)."""

    def __init__(self, variables: int):
        self.variables = variables
        self.rows: list[list[float]] = []
        self.rhs: list[float] = []

    def total(self, cells: Iterable[int], value: float) -> None:
        """The cells add up to `value` (a shown count is a total of one cell)."""
        row = [0.0] * self.variables
        for cell in cells:
            row[cell] += 1.0
        self.rows.append(row)
        self.rhs.append(float(value))

    def difference(self, plus: Iterable[int], minus: Iterable[int], value: float = 0.0) -> None:
        """Σ plus − Σ minus = value (a shown total against its parts: value 0)."""
        row = [0.0] * self.variables
        for cell in plus:
            row[cell] += 1.0
        for cell in minus:
            row[cell] -= 1.0
        self.rows.append(row)
        self.rhs.append(float(value))

    def ratio(self, numerator: Iterable[int], denominator: Iterable[int], value: float) -> None:
        """Σ numerator / Σ denominator = value (a rate, exactly; scale it to 1 first)."""
        row = [0.0] * self.variables
        for cell in numerator:
            row[cell] += 1.0
        for cell in denominator:
            row[cell] -= value
        self.rows.append(row)
        self.rhs.append(0.0)

    def range_of(self, cell: int | Sequence[int]) -> tuple[float, float]:
        """Of one cell, or of the sum of several (a hidden total)."""
        if not self.rows:
            return 0.0, math.inf
        return solve_range(np.array(self.rows), np.array(self.rhs), self.variables, cell)


def assert_hidden_not_recoverable(
    published: Published, hidden: Sequence[int | Sequence[int]], *, what: str = ""
) -> None:
    """Every hidden cell (or sum of cells: a hidden total) still ranges over at least one
    whole unit."""
    for cell in hidden:
        low, high = published.range_of(cell)
        name = f"{what} {cell}"
        assert high - low >= 1 - 1e-6, f"{name} recoverable: [{low}, {high}]"
