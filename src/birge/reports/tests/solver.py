"""Can a hidden figure of a published two-way table be worked out? Every published figure
and every line of the table (parts − total = 0) is a linear equation over its true
figures (x ≥ 0); a hidden one is safe when it still ranges over more than one value
(the shared solver, birge.privacy.tests.solver)."""

from __future__ import annotations

import numpy as np

from birge.privacy.tests.solver import solve_range


def recoverable_cells(
    published: list[list[int | None]], *, partition: bool = True
) -> list[tuple[int, int]]:
    """`published`: the extended grid (each row's cells, then its total; a last row of the
    columns' totals, then the grand total), None where hidden. Every figure, totals too,
    is a variable ≥ 0; every line says parts − total = 0 (without `partition` only the
    columns). Returns the hidden figures whose value the published ones fix."""
    rows, columns = len(published) - 1, len(published[0]) - 1
    index = {(r, c): r * (columns + 1) + c for r in range(rows + 1) for c in range(columns + 1)}
    n = len(index)
    a_eq: list[list[float]] = []
    b_eq: list[float] = []

    def equation(cells: list[tuple[int, int]], total: tuple[int, int] | None, value: float) -> None:
        row = [0.0] * n
        for cell in cells:
            row[index[cell]] = 1.0
        if total is not None:
            row[index[total]] = -1.0
        a_eq.append(row)
        b_eq.append(value)

    for cell, figure in ((cell, published[cell[0]][cell[1]]) for cell in index):
        if figure is not None:
            equation([cell], None, figure)
    for c in range(columns + (1 if partition else 0)):
        equation([(r, c) for r in range(rows)], (rows, c), 0.0)
    if partition:
        for r in range(rows + 1):
            equation([(r, c) for c in range(columns)], (r, columns), 0.0)
    found = []
    for (r, c), i in index.items():
        if not partition and c == columns:
            continue
        if published[r][c] is None:
            low, high = solve_range(np.array(a_eq), b_eq, n, i)
            if high - low < 0.5:
                found.append((r, c))
    return found
