"""The national statistics as one protected publication.

Each table is counted once over its full cube — every quarter × every region × every
category — from the fact table (birge.reports.models.CaseFact), and protected once:
within each quarter, the table of regions × categories with its totals (regions, the
nation, each category) goes through primary and complementary suppression
(`birge.privacy.disclosure.protect_grid`), and the tables whose categories split the
same cases (status, sex, age, relationship…) share their totals, so a total one table
hides is hidden in all of them. A page, the API, an export or the open data is then a
*slice* of that publication: a quarter and a region (or all regions) read its figures as
they are; a year is the sum of its four quarters and is shown only when all four are —
so no period and no region gives away what another hides.

Tables whose categories are not exclusive (forms of violence, children, referral
pathways, the steps of protection orders: a case may have several) publish each category per region and nationally, but
no row total. The days to a first assessment or referral are also published as a median
per slice, when at least `min_cell` cases had one.

The publication is kept in the cache until the facts are refreshed ("as of")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, F, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from birge.agencies.models import Region
from birge.privacy.disclosure import SUPPRESSED, Figure, min_cell_default, protect_grid
from birge.reports import categories as cat
from birge.reports.facts import facts_as_of
from birge.reports.models import CaseFact

PARTITION, FLAGS, DAYS = "partition", "flags", "days"
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class TableSpec:
    code: str
    title: str | Promise
    field: str
    categories: list[tuple[str, str | Promise]]
    kind: str = PARTITION

    @cached_property
    def codes(self) -> list[str]:
        return [code for code, _label in self.categories]


TABLES = [
    TableSpec("status", _("Cases opened, by status now"), "status", cat.STATUS),
    TableSpec("victim_sex", _("Victims by sex"), "victim_sex", cat.SEX),
    TableSpec("victim_age", _("Victims by age"), "victim_age", cat.AGE),
    TableSpec("perpetrator_sex", _("Perpetrators by sex"), "perpetrator_sex", cat.SEX),
    TableSpec("perpetrator_age", _("Perpetrators by age"), "perpetrator_age", cat.AGE),
    TableSpec(
        "relationship",
        _("The perpetrator's relationship to the victim"),
        "relationship",
        cat.RELATIONSHIP,
    ),
    TableSpec("forms", _("Forms of violence"), "forms", cat.FORMS, FLAGS),
    TableSpec("children", _("Children present or witnessing"), "children", cat.CHILDREN, FLAGS),
    TableSpec("agency_kind", _("Agency that opened the case"), "agency_kind", cat.AGENCY_KIND),
    TableSpec("risk_first", _("Risk level at the first assessment"), "risk_first", cat.RISK),
    TableSpec("risk_latest", _("Risk level now"), "risk_latest", cat.RISK),
    TableSpec(
        "repeat", _("A new incident within 12 months of an earlier one"), "repeat", cat.YES_NO
    ),
    TableSpec(
        "days_to_assessment",
        _("Time from opening to the first risk assessment"),
        "days_to_assessment",
        cat.DAYS,
        DAYS,
    ),
    TableSpec(
        "days_to_referral",
        _("Time from opening to the first referral"),
        "days_to_referral",
        cat.DAYS,
        DAYS,
    ),
    TableSpec(
        "pathways", _("Referrals by pathway (cases referred)"), "pathways", cat.PATHWAYS, FLAGS
    ),
    TableSpec("orders", _("Protection orders (cases with one)"), "orders", cat.ORDERS, FLAGS),
    TableSpec(
        "proceeding",
        _("Proceedings: the latest one's stage or outcome"),
        "proceeding",
        cat.PROCEEDING,
    ),
    TableSpec(
        "programme",
        _("Perpetrator programmes: the latest referral's status"),
        "programme",
        cat.PROGRAMME,
    ),
]
TABLE_CODES = [spec.code for spec in TABLES]
SPECS = {spec.code: spec for spec in TABLES}
ALL = 0  # the region "all regions"; the category "total" is "".
TOTAL = ""


@dataclass
class Publication:
    """Every figure the statistics publish, per quarter: `figures[table][(quarter,
    region, category)]`, region ALL for the nation, category TOTAL for the row total.
    `days[table][(quarter, region)]`: the histogram of days (for medians)."""

    min_cell: int
    as_of: datetime | None
    regions: list[int]
    quarters: list[int]
    figures: dict[str, dict[tuple[int, int, str], Figure]] = field(default_factory=dict)
    days: dict[str, dict[tuple[int, int], dict[int, int]]] = field(default_factory=dict)


def _cube(
    spec: TableSpec, facts: QuerySet[CaseFact], days: dict | None = None
) -> dict[tuple[int, int, str], int]:
    """(quarter, region, category) → count, one query. A flag table sums each bit of its
    mask in the database: Σ (mask & bit) is bit × the cases that have it. A days table
    fills `days` with each (quarter, region)'s histogram of days too, for the medians."""
    counts: dict[tuple[int, int, str], int] = defaultdict(int)
    grouped = facts.values_list("quarter", "region_id").order_by()
    if spec.kind == FLAGS:
        sums = {code: Sum(F(spec.field).bitand(1 << i)) for i, code in enumerate(spec.codes)}
        for row in grouped.annotate(**sums).values_list("quarter", "region_id", *sums):
            quarter, region, *bit_sums = row
            for i, (code, total) in enumerate(zip(spec.codes, bit_sums, strict=True)):
                if total:
                    counts[quarter, region, code] = int(total) >> i
        return counts
    rows = facts.values_list("quarter", "region_id", spec.field).annotate(n=Count("pk"))
    for quarter, region, value, n in rows.order_by():
        if spec.kind == DAYS:
            counts[quarter, region, cat.day_band(value)] += n
            if days is not None and value is not None:
                days.setdefault((quarter, region), {})[value] = n
        else:
            counts[quarter, region, value] += n
    return counts


def publication_compute(
    *, facts: QuerySet[CaseFact] | None = None, min_cell: int | None = None
) -> Publication:
    """Count every table over its full cube (one query each) and protect it."""
    facts = CaseFact.objects.all() if facts is None else facts
    min_cell = min_cell_default() if min_cell is None else min_cell
    days: dict[str, dict] = {spec.code: {} for spec in TABLES if spec.kind == DAYS}
    cubes = {spec.code: _cube(spec, facts, days.get(spec.code)) for spec in TABLES}
    seen_regions = {region for cube in cubes.values() for _q, region, _c in cube}
    regions = sorted(set(Region.objects.values_list("pk", flat=True)) | seen_regions)
    quarters = sorted({quarter for cube in cubes.values() for quarter, _r, _c in cube})
    publication = Publication(min_cell, facts_as_of(), regions, quarters, days=days)
    for spec in TABLES:
        publication.figures[spec.code] = {}
    for quarter in quarters:
        _protect_quarter(publication, cubes, quarter)
    return publication


def _protect_quarter(publication: Publication, cubes: dict, quarter: int) -> None:
    regions, min_cell = publication.regions, publication.min_cell
    grids = {
        spec.code: [[cubes[spec.code].get((quarter, r, c), 0) for c in spec.codes] for r in regions]
        for spec in TABLES
    }
    # Tables splitting the same cases share their totals: hide in each what any hides.
    forced_rows, forced_total = [False] * len(regions), False
    while True:
        protections = {
            spec.code: protect_grid(
                grids[spec.code],
                min_cell,
                partition=spec.kind != FLAGS,
                hidden_row_totals=forced_rows,
                hidden_total=forced_total,
            )
            for spec in TABLES
        }
        shared = [p for code, p in protections.items() if SPECS[code].kind != FLAGS]
        rows = [any(p.row_totals[i] for p in shared) for i in range(len(regions))]
        total = any(p.total for p in shared)
        if rows == forced_rows and total == forced_total:
            break
        forced_rows, forced_total = rows, total
    for spec in TABLES:
        grid, protection = grids[spec.code], protections[spec.code]
        figures = publication.figures[spec.code]
        for i, region in enumerate(regions):
            for j, code in enumerate(spec.codes):
                figures[quarter, region, code] = _figure(grid[i][j], protection.hidden[i][j])
            if spec.kind != FLAGS:
                figures[quarter, region, TOTAL] = _figure(sum(grid[i]), protection.row_totals[i])
        for j, code in enumerate(spec.codes):
            figures[quarter, ALL, code] = _figure(
                sum(row[j] for row in grid), protection.column_totals[j]
            )
        if spec.kind != FLAGS:
            figures[quarter, ALL, TOTAL] = _figure(sum(map(sum, grid)), protection.total)


def _figure(value: int, hidden: bool) -> Figure:
    return SUPPRESSED if hidden else Figure(value)


def publication_for(*, agency_id: int | None = None) -> Publication:
    """The protected publication, national or of one agency's own cases, as of the last
    refresh of the facts: computed once per refresh and kept in the cache."""
    as_of = facts_as_of()
    min_cell = min_cell_default()
    key = (
        f"reports:publication:{agency_id or 'all'}:{min_cell}:{as_of.isoformat() if as_of else '-'}"
    )
    publication = cache.get(key)
    if publication is None:
        facts = CaseFact.objects.all()
        if agency_id is not None:
            facts = facts.filter(owning_agency_id=agency_id)
        publication = publication_compute(facts=facts, min_cell=min_cell)
        cache.set(key, publication, CACHE_SECONDS)
    return publication


def region_names(publication: Publication) -> dict[int, str]:
    """The regions' names in the reader's language (a region without a row: its id)."""
    names = {region.pk: region.name for region in Region.objects.filter(pk__in=publication.regions)}
    return {pk: names.get(pk, str(pk)) for pk in publication.regions}


# --- Slices: what a page, the API, an export or the open data shows ---------------------


@dataclass(frozen=True)
class Period:
    """A calendar year, or one of its quarters: whole periods, none partly overlapping."""

    year: int
    quarter: int | None = None

    @property
    def quarters(self) -> list[int]:
        if self.quarter:
            return [self.year * 10 + self.quarter]
        return [self.year * 10 + q for q in range(1, 5)]

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * (self.quarter or 1) - 2, 1)

    @property
    def last_day(self) -> date:
        if self.quarter in (None, 4):
            return date(self.year, 12, 31)
        return date(self.year, 3 * (self.quarter or 0) + 1, 1) - timedelta(days=1)

    @classmethod
    def parse(cls, text: str) -> Period | None:
        year, _sep, quarter = text.partition("-Q")
        if not (year.isdigit() and len(year) == 4):
            return None
        if not quarter:
            return cls(int(year))
        if quarter in ("1", "2", "3", "4"):
            return cls(int(year), int(quarter))
        return None

    def __str__(self) -> str:
        return self.code


def periods(publication: Publication) -> list[Period]:
    """The years and quarters with figures, newest first."""
    years = sorted({q // 10 for q in publication.quarters}, reverse=True)
    result: list[Period] = []
    for year in years:
        result.append(Period(year))
        result.extend(
            Period(year, q) for q in range(4, 0, -1) if year * 10 + q in publication.quarters
        )
    return result


def figure(
    publication: Publication, table: str, period: Period, region: int, category: str
) -> Figure:
    """A published figure of a slice: the sum over the period's quarters, hidden when any
    of them is hidden (a quarter without any case is a hidden zero)."""
    total = 0
    for quarter in period.quarters:
        cell = publication.figures[table].get((quarter, region, category), SUPPRESSED)
        if not cell.shown or cell.value is None:
            return SUPPRESSED
        total += int(cell.value)
    return Figure(total)


def median_days(publication: Publication, table: str, period: Period, region: int) -> Figure:
    """The median days over the slice's cases that had one, shown when they are at least
    `min_cell`."""
    histogram: dict[int, int] = defaultdict(int)
    for (quarter, key), days in publication.days.get(table, {}).items():
        if quarter in period.quarters and (region == ALL or key == region):
            for value, n in days.items():
                histogram[value] += n
    n = sum(histogram.values())
    if n < publication.min_cell:
        return SUPPRESSED
    middle, seen = (n + 1) // 2, 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= middle:
            break
    return Figure(value)


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    figure: Figure


@dataclass(frozen=True)
class TableSlice:
    spec: TableSpec
    rows: list[Row]
    total: Figure | None  # None: the categories are not exclusive, no total
    median: Figure | None  # the days tables only


def table_slice(publication: Publication, table: str, period: Period, region: int) -> TableSlice:
    spec = SPECS[table]
    rows = [
        Row(code, str(label), figure(publication, table, period, region, code))
        for code, label in spec.categories
    ]
    total = None if spec.kind == FLAGS else figure(publication, table, period, region, TOTAL)
    median = median_days(publication, table, period, region) if spec.kind == DAYS else None
    return TableSlice(spec, rows, total, median)


def regions_slice(publication: Publication, period: Period) -> list[tuple[int, Figure]]:
    """Cases opened per region in the period (the status table's row totals)."""
    return [(r, figure(publication, "status", period, r, TOTAL)) for r in publication.regions]
