"""Two-way tables with their row, column and grand totals (birge.privacy.disclosure.
protect_table): no hidden cell or total can be worked out from what is shown, on random
tables of every shape of small cells, by the solver of birge.privacy.tests.solver."""

import random

import pytest

from birge.privacy.disclosure import SUPPRESSED, Figure, ProtectedTable, protect_table
from birge.privacy.tests.solver import Published, assert_hidden_not_recoverable

ROUNDS = 25  # per threshold and margins: 150 tables, each solved for every hidden figure


def published_of(table: ProtectedTable, rows: int, cols: int) -> Published:
    """Unknowns: the table's cells, row by row. Known: every figure shown."""
    published = Published(rows * cols)

    def cell(i: int, j: int) -> int:
        return i * cols + j

    for i in range(rows):
        for j in range(cols):
            if table.cells[i][j].shown:
                published.total([cell(i, j)], table.cells[i][j].value)
    for i, figure in enumerate(table.row_totals or []):
        if figure.shown:
            published.total([cell(i, j) for j in range(cols)], figure.value)
    for j, figure in enumerate(table.column_totals or []):
        if figure.shown:
            published.total([cell(i, j) for i in range(rows)], figure.value)
    if table.total is not None and table.total.shown:
        published.total(range(rows * cols), table.total.value)
    return published


def assert_safe(values: list[list[int]], table: ProtectedTable, min_cell: int) -> None:
    rows, cols = len(values), len(values[0])
    # Primary suppression, and no shown figure other than the truth.
    for i in range(rows):
        for j in range(cols):
            figure = table.cells[i][j]
            assert figure == SUPPRESSED or (
                figure == Figure(values[i][j]) and values[i][j] >= min_cell
            )
    # The hidden parts of a line with a shown total add up to min_cell at least.
    for i, figure in enumerate(table.row_totals or []):
        hidden = [values[i][j] for j in range(cols) if table.cells[i][j].suppressed]
        if figure.shown and hidden:
            assert sum(hidden) >= min_cell
    published = published_of(table, rows, cols)
    unknowns: list = [
        i * cols + j for i in range(rows) for j in range(cols) if table.cells[i][j].suppressed
    ]
    unknowns += [
        [i * cols + j for j in range(cols)]
        for i, figure in enumerate(table.row_totals or [])
        if figure.suppressed
    ]
    unknowns += [
        [i * cols + j for i in range(rows)]
        for j, figure in enumerate(table.column_totals or [])
        if figure.suppressed
    ]
    assert_hidden_not_recoverable(published, unknowns, what=f"{values}: cell or total")


def random_table(rng: random.Random) -> list[list[int]]:
    rows, cols = rng.randrange(1, 7), rng.randrange(1, 7)
    scale = rng.choice((3, 8, 20, 60, 200))
    return [
        [int(rng.random() ** rng.choice((1, 2, 4)) * scale) for _ in range(cols)]
        for _ in range(rows)
    ]


@pytest.mark.parametrize("min_cell", [5, 10])
@pytest.mark.parametrize(
    "margins", [(True, True), (True, False), (False, True)], ids=["both", "rows", "columns"]
)
def test_no_hidden_cell_or_total_of_random_tables_can_be_solved_for(min_cell, margins):
    rng = random.Random(f"{min_cell}{margins}")
    for _ in range(ROUNDS):
        values = random_table(rng)
        table = protect_table(values, min_cell, row_totals=margins[0], column_totals=margins[1])
        assert_safe(values, table, min_cell)


def test_a_table_without_small_cells_is_shown_whole():
    table = protect_table([[10, 20], [30, 40]], 10)

    assert table.cells == [[Figure(10), Figure(20)], [Figure(30), Figure(40)]]
    assert table.row_totals == [Figure(30), Figure(70)]
    assert table.column_totals == [Figure(40), Figure(60)]
    assert table.total == Figure(100)


def test_one_small_cell_takes_a_rectangle_with_it():
    # 3 is hidden; its row and its column each need a second hidden cell, and the
    # cell opposite closes the rectangle.
    table = protect_table([[3, 40, 50], [20, 60, 70], [30, 80, 90]], 10)

    hidden = {(i, j) for i in range(3) for j in range(3) if table.cells[i][j].suppressed}
    assert (0, 0) in hidden and len(hidden) == 4
    rows = {i for i, _ in hidden}
    cols = {j for _, j in hidden}
    assert len(rows) == 2 and len(cols) == 2
    assert table.total == Figure(443)


def test_a_small_grand_total_hides_everything():
    table = protect_table([[1, 2], [3, 1]], 10)

    assert all(cell.suppressed for row in table.cells for cell in row)
    assert table.total == SUPPRESSED
