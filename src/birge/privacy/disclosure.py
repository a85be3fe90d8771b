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
  (`subtotal`);
- in a two-way table shown with its row, column and grand totals, whatever the lines
  together would give away (`protect_table`); several such tables splitting the same
  cases, whose totals must be hidden alike in all of them (`protect_grid`, the national
  statistics).

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


@dataclass(frozen=True)
class ProtectedTable:
    """A two-way table as it may be shown: its cells, row totals, column totals and grand
    total (a margin None where the table does not show it)."""

    cells: list[list[Figure]]
    row_totals: list[Figure] | None
    column_totals: list[Figure] | None
    total: Figure | None


Member = tuple[int, int]


def _max_flow(arcs: dict[int, dict[int, float]], source: int, sink: int, most: float) -> float:
    """Edmonds-Karp on `arcs` (capacities, changed in place), stopping at `most`."""
    flow = 0.0
    while flow < most:
        parent = {source: source}
        todo = [source]
        while todo and sink not in parent:
            node = todo.pop(0)
            for nxt, cap in arcs.get(node, {}).items():
                if cap > 0 and nxt not in parent:
                    parent[nxt] = node
                    todo.append(nxt)
        if sink not in parent:
            break
        path, node = [], sink
        while node != source:
            path.append((parent[node], node))
            node = parent[node]
        push = min(most - flow, *(arcs[a][b] for a, b in path))
        for a, b in path:
            arcs[a][b] -= push
            arcs.setdefault(b, {})[a] = arcs.get(b, {}).get(a, 0.0) + push
        flow += push
    return flow


def protect_table(
    values: Sequence[Sequence[int]],
    min_cell: int,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> ProtectedTable:
    """Primary and complementary suppression of a two-way table of counts (`values`, rows
    of equal length) shown with its row totals, column totals and grand total (or the
    margins asked for; the grand total with either).

    Each shown total makes a line: its parts minus itself is 0; the margins are the parts
    of the grand total's lines. Counts below `min_cell` are hidden; then, until nothing
    changes: every line is made safe as `protect_line` makes one (never exactly one member
    hidden; the hidden parts of a line with a shown total adding up to `min_cell` at
    least), and every hidden figure is audited against all the lines together. A table
    with its margins is a flow (each line a node, each figure an edge), so how far a
    hidden figure can move while everything shown stays as it is, is a maximum flow:
    each must be able to move by at least one, and a hidden small count must be able to
    reach `min_cell`. One that cannot takes with it the smallest shown figure that frees
    it (its lines whole when none does)."""
    n_rows = len(values)
    n_cols = len(values[0]) if n_rows else 0
    k = min_cell
    # The extended grid: row n_rows holds the column totals, column n_cols the row totals.
    grid = [[int(v) for v in row] + [sum(int(v) for v in row)] for row in values]
    grid.append([sum(grid[i][j] for i in range(n_rows)) for j in range(n_cols + 1)])
    show_grand = row_totals or column_totals
    published: set[Member] = {(i, j) for i in range(n_rows) for j in range(n_cols)}
    if row_totals:
        published |= {(i, n_cols) for i in range(n_rows)}
    if column_totals:
        published |= {(n_rows, j) for j in range(n_cols)}
    if show_grand:
        published.add((n_rows, n_cols))
    hidden = {m for m in published if grid[m[0]][m[1]] < k}

    def value(member: Member) -> int:
        return grid[member[0]][member[1]]

    lines: list[tuple[list[Member], Member]] = []
    if row_totals:
        lines += [([(i, j) for j in range(n_cols)], (i, n_cols)) for i in range(n_rows)]
        lines.append(([(i, n_cols) for i in range(n_rows)], (n_rows, n_cols)))
    if column_totals:
        lines += [([(i, j) for i in range(n_rows)], (n_rows, j)) for j in range(n_cols)]
        lines.append(([(n_rows, j) for j in range(n_cols)], (n_rows, n_cols)))

    # The flow: nodes 0..n_rows are the row-type lines (row i; n_rows: the column
    # totals' line), n_rows+1+j the column-type ones; a line not shown is the free node.
    free = n_rows + n_cols + 2

    def row_node(i: int) -> int:
        shown = column_totals if i == n_rows else row_totals
        return i if shown else free

    def col_node(j: int) -> int:
        shown = row_totals if j == n_cols else column_totals
        return n_rows + 1 + j if shown else free

    def edge(member: Member) -> tuple[int, int]:
        i, j = member
        if i < n_rows and j < n_cols:
            return row_node(i), col_node(j)  # a cell: from its row to its column
        if i < n_rows:
            return col_node(n_cols), row_node(i)  # a row total: into its row
        if j < n_cols:
            return col_node(j), row_node(n_rows)  # a column total: out of its column
        return row_node(n_rows), col_node(n_cols)  # the grand total

    infinite = float(sum(value(m) for m in published) + 1)

    def movement(member: Member, concealed: set[Member]) -> tuple[float, float]:
        """How far `member` (hidden) can go up and down with the others in `concealed`."""

        def arcs() -> dict[int, dict[int, float]]:
            graph: dict[int, dict[int, float]] = {}
            for m in concealed:
                if m == member:
                    continue
                a, b = edge(m)
                if a == b:
                    continue
                graph.setdefault(a, {})[b] = graph.get(a, {}).get(b, 0.0) + infinite
                graph.setdefault(b, {})[a] = graph.get(b, {}).get(a, 0.0) + value(m)
            return graph

        u, v = edge(member)
        if u == v:  # both its lines unshown: nothing binds it
            return infinite, float(value(member))
        up = _max_flow(arcs(), v, u, infinite)
        down = _max_flow(arcs(), u, v, float(value(member)))
        return up, down

    def safe(member: Member, concealed: set[Member]) -> bool:
        up, down = movement(member, concealed)
        if up + down < 1:
            return False
        return value(member) >= k or value(member) + up >= k

    def line_step() -> bool:
        changed = False

        def hide_smallest(candidates: list[Member]) -> bool:
            shown = [m for m in candidates if m not in hidden]
            if not shown:
                return False
            hidden.add(min(shown, key=lambda m: (value(m), m)))
            return True

        for parts, total in lines:
            if len([m for m in [*parts, total] if m in hidden]) == 1:
                changed |= hide_smallest(parts) or hide_smallest([total])
            if total not in hidden:
                while [m for m in parts if m in hidden] and (
                    sum(value(m) for m in parts if m in hidden) < k
                ):
                    if not hide_smallest(parts):
                        break
                    changed = True
        return changed

    def audit_step() -> bool:
        for member in sorted(hidden):
            if safe(member, hidden):
                continue
            candidates = sorted(published - hidden, key=lambda m: (value(m), m))
            for candidate in candidates:
                if safe(member, hidden | {candidate}):
                    hidden.add(candidate)
                    return True
            before = len(hidden)
            for parts, total in lines:  # nothing frees it alone: its lines go whole
                if member in parts or member == total:
                    hidden.update([*parts, total])
            if len(hidden) > before:
                return True
        return False

    while line_step() or audit_step():
        pass

    def figure(member: Member) -> Figure:
        return SUPPRESSED if member in hidden else Figure(value(member))

    return ProtectedTable(
        cells=[[figure((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[figure((i, n_cols)) for i in range(n_rows)] if row_totals else None,
        column_totals=[figure((n_rows, j)) for j in range(n_cols)] if column_totals else None,
        total=figure((n_rows, n_cols)) if show_grand else None,
    )


@dataclass(frozen=True)
class GridProtection:
    """Which figures of a two-way table stay hidden: `hidden[r][c]` for the cells, then
    the rows' totals (`row_totals`), the columns' totals (`column_totals`) and the grand
    total (`total`)."""

    hidden: list[list[bool]]
    row_totals: list[bool]
    column_totals: list[bool]
    total: bool


def protect_grid(
    values: Sequence[Sequence[int]],
    min_cell: int,
    *,
    partition: bool = True,
    hidden_row_totals: Sequence[bool] = (),
    hidden_total: bool = False,
) -> GridProtection:
    """Primary and complementary suppression of a table (rows × columns, e.g. regions ×
    categories) published with its column totals and, when the columns `partition` the
    rows (every case in exactly one column), with its row totals and grand total as well.

    The table and its totals form one extended grid in which every row and every column
    is a line "parts − total = 0". A hidden figure can be worked out exactly when it is a
    *bridge* of the graph whose vertices are the lines and whose edges are the hidden
    figures (no cycle of hidden figures passes through it); so after hiding every figure
    below `min_cell`, this hides, the smallest first, until every line with a shown total
    hides nothing or at least `min_cell` (`protect_line`) and no hidden figure is a
    bridge (a bridge gets the cheapest rectangle of further hidden figures that puts it
    on a cycle). `hidden_row_totals` and `hidden_total` force totals hidden that another
    table sharing them hides — what `protect_table` does not offer, and why the national
    statistics use this one. Without `partition` only the column lines exist.
    Without `partition`, each column is its own line, and two hidden parts whose sum is
    at least `min_cell` leave each of them free."""
    rows, columns = len(values), len(values[0]) if values else 0
    grid = [[*row, sum(row)] for row in values]
    grid.append([sum(values[r][c] for r in range(rows)) for c in range(columns)])
    grid[rows].append(sum(grid[rows]))
    hidden = [[grid[r][c] < min_cell for c in range(columns + 1)] for r in range(rows + 1)]
    for r, forced in enumerate(hidden_row_totals):
        hidden[r][columns] = hidden[r][columns] or forced
    hidden[rows][columns] = hidden[rows][columns] or hidden_total
    if not partition:
        for c in range(columns):
            _protect_grid_line(grid, hidden, [(r, c) for r in range(rows)], (rows, c), min_cell)
        return GridProtection(
            hidden=[row[:columns] for row in hidden[:rows]],
            row_totals=[True] * rows,
            column_totals=[hidden[rows][c] for c in range(columns)],
            total=True,
        )
    lines = [[(r, c) for c in range(columns + 1)] for r in range(rows + 1)] + [
        [(r, c) for r in range(rows + 1)] for c in range(columns + 1)
    ]
    changed = True
    while changed:
        changed = False
        for line in lines:
            *parts, total = line
            changed |= _protect_grid_line(grid, hidden, parts, total, min_cell)
        for r, c in _grid_bridges(hidden):
            changed |= _grid_close_cycle(grid, hidden, r, c)
    return GridProtection(
        hidden=[row[:columns] for row in hidden[:rows]],
        row_totals=[hidden[r][columns] for r in range(rows)],
        column_totals=[hidden[rows][c] for c in range(columns)],
        total=hidden[rows][columns],
    )


def _protect_grid_line(
    grid: list[list[int]],
    hidden: list[list[bool]],
    parts: list[tuple[int, int]],
    total: tuple[int, int],
    min_cell: int,
) -> bool:
    cells = [SUPPRESSED if hidden[r][c] else Figure(grid[r][c]) for r, c in parts]
    protected = protect_line(
        cells,
        [grid[r][c] for r, c in parts],
        not hidden[total[0]][total[1]],
        min_cell=min_cell,
    )
    changed = False
    for (r, c), cell in zip(parts, protected, strict=True):
        if cell.suppressed and not hidden[r][c]:
            hidden[r][c] = changed = True
    return changed


def _grid_bridges(hidden: list[list[bool]]) -> list[tuple[int, int]]:
    """The hidden figures on no cycle of hidden figures (Tarjan's bridges; vertices: the
    row lines, then the column lines)."""
    rows, columns = len(hidden), len(hidden[0])
    neighbours: list[list[tuple[int, tuple[int, int]]]] = [[] for _ in range(rows + columns)]
    for r in range(rows):
        for c in range(columns):
            if hidden[r][c]:
                neighbours[r].append((rows + c, (r, c)))
                neighbours[rows + c].append((r, (r, c)))
    order = [-1] * (rows + columns)
    low = [0] * (rows + columns)
    bridges: list[tuple[int, int]] = []
    counter = 0
    for root in range(rows + columns):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, tuple[int, int] | None, int]] = [(root, None, 0)]
        while stack:
            vertex, edge, index = stack.pop()
            if index < len(neighbours[vertex]):
                stack.append((vertex, edge, index + 1))
                other, other_edge = neighbours[vertex][index]
                if other_edge == edge:
                    continue
                if order[other] == -1:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, other_edge, 0))
                else:
                    low[vertex] = min(low[vertex], order[other])
            elif stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[vertex])
                if low[vertex] > order[parent] and edge is not None:
                    bridges.append(edge)
    return bridges


def _grid_close_cycle(grid: list[list[int]], hidden: list[list[bool]], r: int, c: int) -> bool:
    """Hide the cheapest rectangle (r, c), (r, c2), (r2, c), (r2, c2) around a bridge."""
    rows, columns = len(grid), len(grid[0])
    best: tuple[int, int, int] | None = None
    for r2 in range(rows):
        for c2 in range(columns):
            if r2 == r or c2 == c:
                continue
            cost = sum(grid[i][j] for i, j in ((r, c2), (r2, c), (r2, c2)) if not hidden[i][j])
            if best is None or cost < best[0]:
                best = (cost, r2, c2)
    if best is None:
        return False
    _, r2, c2 = best
    changed = False
    for i, j in ((r, c2), (r2, c), (r2, c2)):
        if not hidden[i][j]:
            hidden[i][j] = changed = True
    return changed
