"""No hidden cell of the accountability figures can be worked out from what is published
(the attacker's solver of birge/privacy/tests/solver.py):
every published figure (counts, and rates as exact ratios: more than the rounded page
gives) becomes a linear equation over the true cells, together with what anyone knows of
their structure (the parts of a line add up to its total, the regions to the country);
each hidden cell must then still range over more than one value."""

import random

import numpy as np
import pytest

from birge.justice.figures import REGION_COLUMNS, Counts, counts_publish, regions_publish
from birge.privacy.tests.solver import solve_range

# The unknowns of one scope (the country), then one per region and column.
SCOPE = [
    "orders_applied",
    "orders_issued",
    "orders_served",
    "orders_breached",
    "sanctioned",
    "not_sanctioned",
    "before_charge",
    "charged_only",
    "convicted",
    "completed",
    "dropped_out",
    "not_started",
    "ongoing",
]
# Each published figure of a scope as a sum of the unknowns.
EXPRESSIONS = {
    "orders_applied": ["orders_applied"],
    "orders_issued": ["orders_issued"],
    "orders_served": ["orders_served"],
    "orders_breached": ["orders_breached"],
    "breaches": ["sanctioned", "not_sanctioned"],
    "breaches_sanctioned": ["sanctioned"],
    "complaints": ["before_charge", "charged_only", "convicted"],
    "charged": ["charged_only", "convicted"],
    "convicted": ["convicted"],
    "programmes_referred": ["completed", "dropped_out", "not_started", "ongoing"],
    "programmes_completed": ["completed"],
    "programmes_dropped_out": ["dropped_out"],
    "programmes_not_started": ["not_started"],
    "programmes_ongoing": ["ongoing"],
}
RATES = {
    "sanctioned_rate": ("breaches_sanctioned", "breaches"),
    "charge_rate": ("charged", "complaints"),
    "conviction_rate": ("convicted", "charged"),
    "completion_rate": ("programmes_completed", ["completed", "dropped_out", "not_started"]),
}


def _true(counts: Counts) -> dict[str, int]:
    c = counts
    return {
        "orders_applied": c.orders_applied,
        "orders_issued": c.orders_issued,
        "orders_served": c.orders_served,
        "orders_breached": c.orders_breached,
        "sanctioned": c.breaches_sanctioned,
        "not_sanctioned": c.breaches - c.breaches_sanctioned,
        "before_charge": c.complaints - c.charged,
        "charged_only": c.charged - c.convicted,
        "convicted": c.convicted,
        "completed": c.programmes_completed,
        "dropped_out": c.programmes_dropped_out,
        "not_started": c.programmes_not_started,
        "ongoing": c.programmes_ongoing,
    }


def _random_counts(rng: random.Random) -> Counts:
    """A region's counts: often tiny, sometimes large, always consistent."""

    def n(top: int) -> int:
        return int(rng.random() ** 2 * top)

    complaints = n(60)
    charged = rng.randint(0, complaints)
    breaches = n(40)
    referred = n(40)
    completed = rng.randint(0, referred)
    dropped = rng.randint(0, referred - completed)
    return Counts(
        orders_applied=n(80),
        orders_issued=n(70),
        orders_served=n(60),
        orders_breached=n(30),
        breaches=breaches,
        breaches_sanctioned=rng.randint(0, breaches),
        complaints=complaints,
        charged=charged,
        convicted=rng.randint(0, charged),
        programmes_referred=referred,
        programmes_completed=completed,
        programmes_dropped_out=dropped,
        programmes_not_started=rng.randint(0, referred - completed - dropped),
    )


def _total(regions: list[Counts]) -> Counts:
    fields = [f for f in vars(Counts()) if f != "days_to_order"]
    return Counts(**{f: sum(getattr(r, f) for r in regions) for f in fields})


def assert_nothing_hidden_is_recoverable(regions: list[Counts], k: int) -> None:
    total = _total(regions)
    national = counts_publish(total, k)
    rows = regions_publish(dict(enumerate(regions)), national, k, {})
    s = len(SCOPE)
    variables = s + len(regions) * len(REGION_COLUMNS)

    def scope_vector(names) -> np.ndarray:
        v = np.zeros(variables)
        for name in names:
            v[SCOPE.index(name)] += 1
        return v

    def region_var(r: int, column: str) -> int:
        return s + r * len(REGION_COLUMNS) + REGION_COLUMNS.index(column)

    equations, values = [], []
    truth = _true(total)
    # What is published about the country.
    for name, parts in EXPRESSIONS.items():
        figure = getattr(national, name)
        if figure.shown:
            assert figure.value >= k, f"{name} shown below {k}"
            assert figure.value == sum(truth[p] for p in parts)
            equations.append(scope_vector(parts))
            values.append(figure.value)
    for name, (numerator, denominator) in RATES.items():
        figure = getattr(national, name)
        if figure.shown:
            top = scope_vector(EXPRESSIONS[numerator])
            bottom = scope_vector(
                EXPRESSIONS[denominator] if isinstance(denominator, str) else denominator
            )
            equations.append(top - figure.value / 100 * bottom)
            values.append(0.0)
    # The regions: each shown cell, and each column adding up to the country's figure.
    for r, row in enumerate(rows):
        for column in REGION_COLUMNS:
            cell = row.cells[column]
            if cell.shown:
                assert cell.value >= k
                v = np.zeros(variables)
                v[region_var(r, column)] = 1
                equations.append(v)
                values.append(cell.value)
    for column in REGION_COLUMNS:
        v = -scope_vector(EXPRESSIONS[column])
        for r in range(len(regions)):
            v[region_var(r, column)] = 1
        equations.append(v)
        values.append(0.0)

    a_eq, b_eq = np.array(equations), np.array(values)
    # Every hidden figure of the country and of the regions: never recoverable. Every
    # part of the country's lines that nobody publishes: recoverable only when large.
    published = [
        (name, scope_vector(parts), None)
        for name, parts in EXPRESSIONS.items()
        if getattr(national, name).suppressed
    ]
    for r, row in enumerate(rows):
        for column in REGION_COLUMNS:
            if row.cells[column].suppressed:
                v = np.zeros(variables)
                v[region_var(r, column)] = 1
                published.append((f"{column} of region {r}", v, None))
    unpublished = [
        (f"part {part}", scope_vector([part]), truth[part])
        for part in ("not_sanctioned", "before_charge", "charged_only")
    ]
    for name, objective, value in published + unpublished:
        low, high = solve_range(a_eq, b_eq, variables, list(np.flatnonzero(objective)))
        if value is not None and high - low < 1 - 1e-6:
            assert value >= k, f"{name} = {value} recoverable from {national}"
            continue
        assert high - low >= 1 - 1e-6, f"{name} recoverable: [{low}, {high}] from {national}"


@pytest.mark.parametrize("min_cell", [5, 10])
def test_no_hidden_cell_of_random_figures_can_be_solved_for(min_cell):
    rng = random.Random(min_cell)
    for _round in range(120):
        regions = [_random_counts(rng) for _ in range(rng.randrange(1, 7))]
        assert_nothing_hidden_is_recoverable(regions, min_cell)


def test_one_small_region_is_hidden_with_another_and_the_country_shown():
    big = Counts(orders_applied=40, complaints=30, charged=20, convicted=12)
    small = Counts(orders_applied=3, complaints=2, charged=1, convicted=1)
    other = Counts(orders_applied=25, complaints=15, charged=12, convicted=11)
    national = counts_publish(_total([big, small, other]), 10)
    rows = regions_publish({1: big, 2: small, 3: other}, national, 10, {})
    applied = [row.cells["orders_applied"] for row in rows]
    assert national.orders_applied.value == 68
    assert [cell.shown for cell in applied] == [True, False, False]
    assert_nothing_hidden_is_recoverable([big, small, other], 10)
