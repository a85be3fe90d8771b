"""Fact rows without cases (fast, for the protection and the speed), and the check that a
publication gives no hidden figure away."""

from __future__ import annotations

import random

from django.utils import timezone

from birge.reports import categories as cat
from birge.reports.models import CaseFact
from birge.reports.statistics import (
    ALL,
    FLAGS,
    SPECS,
    TABLES,
    TOTAL,
    Publication,
    publication_compute,
)
from birge.reports.tests.solver import recoverable_cells


def random_facts(*, count: int, regions: list[int], quarters: list[int], seed: int) -> None:
    rng = random.Random(seed)
    now = timezone.now()

    def one(choices):
        return rng.choice([code for code, _label in choices])

    CaseFact.objects.bulk_create(
        [
            CaseFact(
                case_id=10_000_000 + i,
                quarter=rng.choice(quarters),
                # a skewed spread: some regions big, some with a handful of cases
                region_id=regions[min(int(rng.expovariate(0.6)), len(regions) - 1)],
                owning_agency_id=rng.choice((1, 2, 3)),
                agency_kind=one(cat.AGENCY_KIND[:4]),
                status=one(cat.STATUS),
                victim_sex=rng.choice(["female"] * 9 + ["male", "unknown"]),
                victim_age=one(cat.AGE),
                perpetrator_sex=rng.choice(["male"] * 9 + ["female", "unknown"]),
                perpetrator_age=one(cat.AGE),
                relationship=one(cat.RELATIONSHIP),
                forms=rng.randrange(1, 1 << len(cat.FORMS)),
                children=rng.randrange(4),
                pathways=rng.randrange(1 << len(cat.PATHWAYS)) if rng.random() < 0.5 else 0,
                risk_first=one(cat.RISK),
                risk_latest=one(cat.RISK),
                repeat=one(cat.YES_NO),
                days_to_assessment=rng.choice([None, 0, 1, 5, 12, 40, 200]),
                days_to_referral=rng.choice([None, 0, 3, 20, 60, 120]),
                orders=rng.randrange(1 << len(cat.ORDERS)) if rng.random() < 0.3 else 0,
                proceeding=one(cat.PROCEEDING) if rng.random() < 0.4 else "none",
                programme=one(cat.PROGRAMME) if rng.random() < 0.2 else "none",
                refreshed_at=now,
            )
            for i in range(count)
        ]
    )


def published_grid(publication: Publication, table: str, quarter: int) -> list[list]:
    """The extended grid of one table in one quarter as published: regions × categories,
    each region's total, then the nation's; None where hidden."""
    spec = SPECS[table]
    figures = publication.figures[table]

    def value(region: int, category: str):
        cell = figures.get((quarter, region, category))
        return None if cell is None or not cell.shown else int(cell.value)

    keys = [*publication.regions, ALL]
    return [[value(r, c) for c in [*spec.codes, TOTAL]] for r in keys]


def assert_nothing_recoverable(publication: Publication, truth: Publication) -> None:
    """Every table and quarter: no shown figure below min_cell, every total shared by the
    tables splitting the same cases hidden in all of them or in none, and the solver finds
    no hidden figure the published ones fix."""
    m = publication.min_cell
    for quarter in publication.quarters:
        shared = set()
        for spec in TABLES:
            grid = published_grid(publication, spec.code, quarter)
            exclusive = spec.kind != FLAGS
            if not exclusive:  # no row totals: not published at all
                for row in grid:
                    row[-1] = None
            for r, row in enumerate(grid):
                for c, value in enumerate(row):
                    if not exclusive and c == len(row) - 1:
                        continue
                    assert value is None or value >= m, (spec.code, quarter, r, c, value)
            if exclusive:
                shared.add(tuple(row[-1] is None for row in grid))
            assert recoverable_cells(grid, partition=exclusive) == [], (spec.code, quarter)
        assert len(shared) == 1, quarter
    assert truth.quarters == publication.quarters


def check(min_cell: int = 10, facts=None) -> tuple[Publication, Publication]:
    publication = publication_compute(facts=facts, min_cell=min_cell)
    truth = publication_compute(facts=facts, min_cell=0)
    return publication, truth
