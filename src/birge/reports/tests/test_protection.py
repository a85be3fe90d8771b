"""Small numbers never identify: every table of the statistics, protected over its full
cube, gives no hidden figure away — solved with linear programming over everything
published (each table, its totals, the totals it shares with the other tables), on random
synthetic data and on the demo's cases."""

import random
from statistics import median_low

import pytest

from birge.agencies.models import Region
from birge.demo import synthetic
from birge.demo.services import demo_load
from birge.privacy.disclosure import protect_grid
from birge.reports.facts import facts_refresh
from birge.reports.models import CaseFact
from birge.reports.statistics import ALL, TOTAL, Period, figure, median_days, publication_compute
from birge.reports.tests.helpers import assert_nothing_recoverable, check, random_facts
from birge.reports.tests.solver import recoverable_cells

REGIONS = [101, 102, 103, 104, 105, 106]
QUARTERS = [20251, 20252, 20253, 20254]


def _published(values, protection, partition):
    grid = [
        [None if protection.hidden[r][c] else v for c, v in enumerate(row)]
        + [None if protection.row_totals[r] or not partition else sum(row)]
        for r, row in enumerate(values)
    ]
    columns = len(values[0])
    grid.append(
        [
            None if protection.column_totals[c] else sum(row[c] for row in values)
            for c in range(columns)
        ]
        + [None if protection.total or not partition else sum(map(sum, values))]
    )
    return grid


@pytest.mark.parametrize("seed", range(6))
def test_a_random_table_gives_no_hidden_figure_away(seed):
    rng = random.Random(seed)
    for _ in range(25):
        rows, columns = rng.randint(2, 7), rng.randint(2, 6)
        values = [
            [int(rng.expovariate(1 / rng.choice([2, 8, 40]))) for _ in range(columns)]
            for _ in range(rows)
        ]
        partition = rng.random() < 0.75
        forced = [rng.random() < 0.15 for _ in range(rows)]
        protection = protect_grid(
            values, 10, partition=partition, hidden_row_totals=forced if partition else ()
        )
        grid = _published(values, protection, partition)
        assert recoverable_cells(grid, partition=partition) == []
        for r, hidden in enumerate(forced):
            if partition and hidden:
                assert grid[r][-1] is None


def test_the_statistics_on_random_synthetic_data_give_no_hidden_figure_away(db):
    random_facts(count=1500, regions=REGIONS, quarters=QUARTERS, seed=7)
    publication, truth = check()
    assert_nothing_recoverable(publication, truth)
    # Something is published: the big region's quarters, the nation's year.
    assert figure(publication, "status", Period(2025), ALL, TOTAL).value == 1500


def test_a_year_is_shown_only_as_the_sum_of_its_four_quarters(db):
    random_facts(count=800, regions=REGIONS, quarters=QUARTERS, seed=3)
    publication, _truth = check()
    for region in [*publication.regions, ALL]:
        year = figure(publication, "victim_sex", Period(2025), region, "female")
        quarters = [
            figure(publication, "victim_sex", Period(2025, q), region, "female")
            for q in range(1, 5)
        ]
        if all(q.shown for q in quarters):
            assert year.value == sum(q.value for q in quarters)
        else:
            assert not year.shown


def test_the_demo_cases_give_no_hidden_figure_away(db):
    demo_load()
    synthetic.cases_generate(total=300, batch_size=100)
    assert facts_refresh() >= 300
    publication, truth = check()
    assert publication.regions == sorted(Region.objects.values_list("pk", flat=True))
    assert_nothing_recoverable(publication, truth)


def test_the_truth_hides_nothing(db):
    random_facts(count=50, regions=REGIONS, quarters=QUARTERS, seed=1)
    truth = publication_compute(min_cell=0)
    assert all(f.shown for table in truth.figures.values() for f in table.values())


def test_the_median_days_are_the_median_of_the_cases_that_had_one(db):
    random_facts(count=600, regions=REGIONS, quarters=QUARTERS, seed=5)
    publication = publication_compute(min_cell=10)
    for table in ("days_to_assessment", "days_to_referral"):
        for period in (Period(2025), Period(2025, 3)):
            values = [
                getattr(fact, table)
                for fact in CaseFact.objects.filter(quarter__in=period.quarters)
                if getattr(fact, table) is not None
            ]
            assert median_days(publication, table, period, ALL).value == median_low(values)
