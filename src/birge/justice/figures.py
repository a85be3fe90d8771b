"""Accountability figures: whether perpetrators are held to account. Aggregates only: no
case, no person.

Over a period (the last 12 months unless said otherwise), each count by its own date:

- orders applied for (`applied_on`), issued (`issued_on`), served (`served_at`);
- breaches (the date of the breach's incident), the orders they broke, and the breaches
  sanctioned (a warning, a fine, detention or criminal proceedings; not "pending", not
  "no sanction");
- days from incident to order: for the orders issued, the days from the case's latest
  incident on or before the day of issue (not a breach); the median;
- attrition: proceedings opened (complaints made) in the period, how many reached a
  charge (a charge or trial stage, or a conviction), how many ended in a conviction;
- programmes: referrals made in the period, completed, dropped out, not started, still
  running; completion of those that ended.

Who sees what (`figures_scope`): the coordinating body sees every agency's records,
nationally and by region; an agency lead sees her agency's own records: the orders it
issues, the proceedings it holds, the programmes it runs.

`accountability_figures` counts exactly and is never shown as it is: pages, charts and
the API show `published_accountability`, in which every count below
settings.BIRGE_STATS_MIN_CELL is hidden and so is whatever would give one away
(birge.privacy.disclosure): a rate resting on a small count or its small complement, a
part of a shown total, a median over fewer than that many orders; by region, the regions
hidden in each column add up to that much at least, and a column whose national figure is
hidden is hidden in every region.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from birge.agencies.models import Agency, Region
from birge.cases.models import Incident
from birge.justice.models import (
    OrderBreach,
    Proceeding,
    ProceedingStage,
    ProgrammeReferral,
    ProtectionOrder,
)
from birge.privacy import disclosure
from birge.privacy.disclosure import SUPPRESSED, Figure
from birge.referrals.compliance import compliance_scope

SANCTIONED = (
    OrderBreach.Sanction.WARNING,
    OrderBreach.Sanction.FINE,
    OrderBreach.Sanction.DETENTION,
    OrderBreach.Sanction.CRIMINAL,
)
CHARGED_STAGES = (Proceeding.Stage.CHARGE, Proceeding.Stage.TRIAL)
# The columns of the table by region, in order: each has its national figure above it.
REGION_COLUMNS = (
    "orders_applied",
    "orders_issued",
    "orders_served",
    "breaches",
    "complaints",
    "convicted",
    "programmes_referred",
    "programmes_completed",
)


def figures_scope(user) -> Agency | None:
    """None: every agency's records (the coordinating body: `stats.view`,
    `protocol.manage`); an agency: its own (its lead, `agency.oversee`). 404 for anyone
    else. The same rule as the promises-kept figures."""
    return compliance_scope(user)


@dataclass
class Counts:
    """The exact counts of one scope (the country, a region, an agency)."""

    orders_applied: int = 0
    orders_issued: int = 0
    orders_served: int = 0
    orders_breached: int = 0
    breaches: int = 0
    breaches_sanctioned: int = 0
    days_to_order: list[int] = field(default_factory=list)
    complaints: int = 0
    charged: int = 0
    convicted: int = 0
    programmes_referred: int = 0
    programmes_completed: int = 0
    programmes_dropped_out: int = 0
    programmes_not_started: int = 0

    @property
    def programmes_ongoing(self) -> int:
        return (
            self.programmes_referred
            - self.programmes_completed
            - self.programmes_dropped_out
            - self.programmes_not_started
        )


@dataclass
class AccountabilityFigures:
    since: date
    until: date
    agency_id: int | None
    region_id: int | None
    total: Counts
    # By region (the country's figures, every agency's, without a region chosen).
    regions: dict[int, Counts] = field(default_factory=dict)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _grouped(queryset: QuerySet, region_path: str, value=None) -> Counter:
    """{region id: count} of the rows (or of distinct `value`s)."""
    counted = Count(value, distinct=True) if value else Count("pk")
    return Counter(
        dict(
            queryset.order_by()
            .values_list(region_path)
            .annotate(n=counted)
            .values_list(region_path, "n")
        )
    )


def accountability_figures(
    *,
    agency: Agency | None = None,
    region: Region | None = None,
    since: date | None = None,
    until: date | None = None,
) -> AccountabilityFigures:
    """The exact counts, by region, of the agency's records (every agency's: None)."""
    until = until or timezone.localdate()
    since = since or until - timedelta(days=365)
    start, end = _moment(since), _moment(until + timedelta(days=1))
    orders = ProtectionOrder.objects.all()
    breaches = OrderBreach.objects.filter(
        incident__occurred_on__gte=since, incident__occurred_on__lte=until
    )
    proceedings = Proceeding.objects.filter(opened_on__gte=since, opened_on__lte=until)
    programmes = ProgrammeReferral.objects.filter(referred_on__gte=since, referred_on__lte=until)
    if agency is not None:
        orders = orders.filter(issuing_agency=agency)
        breaches = breaches.filter(order__issuing_agency=agency)
        proceedings = proceedings.filter(agency=agency)
        programmes = programmes.filter(provider=agency)
    if region is not None:
        orders = orders.filter(case__region=region)
        breaches = breaches.filter(order__case__region=region)
        proceedings = proceedings.filter(case__region=region)
        programmes = programmes.filter(case__region=region)

    lines: dict[str, Counter] = {
        "orders_applied": _grouped(
            orders.filter(applied_on__gte=since, applied_on__lte=until), "case__region"
        ),
        "orders_issued": _grouped(
            orders.filter(issued_on__gte=since, issued_on__lte=until), "case__region"
        ),
        "orders_served": _grouped(
            orders.filter(served_at__gte=start, served_at__lt=end), "case__region"
        ),
        "orders_breached": _grouped(breaches, "order__case__region", "order_id"),
        "breaches": _grouped(breaches, "order__case__region"),
        "breaches_sanctioned": _grouped(
            breaches.filter(sanction__in=SANCTIONED), "order__case__region"
        ),
        "programmes_referred": _grouped(programmes, "case__region"),
        "programmes_completed": _grouped(
            programmes.filter(status=ProgrammeReferral.Status.COMPLETED), "case__region"
        ),
        "programmes_dropped_out": _grouped(
            programmes.filter(status=ProgrammeReferral.Status.DROPPED_OUT), "case__region"
        ),
        "programmes_not_started": _grouped(
            programmes.filter(status=ProgrammeReferral.Status.DECLINED), "case__region"
        ),
    }
    # Attrition: one row per proceeding (its region, stage, outcome, whether charged).
    charged_ids = set(
        ProceedingStage.objects.filter(
            proceeding__in=proceedings, stage__in=CHARGED_STAGES
        ).values_list("proceeding_id", flat=True)
    )
    complaints, charged, convicted = Counter(), Counter(), Counter()
    for pk, region_id, stage, outcome in proceedings.values_list(
        "pk", "case__region", "stage", "outcome"
    ):
        complaints[region_id] += 1
        conviction = outcome == Proceeding.Outcome.CONVICTION
        if conviction or stage in CHARGED_STAGES or pk in charged_ids:
            charged[region_id] += 1
        if conviction:
            convicted[region_id] += 1
    lines.update(complaints=complaints, charged=charged, convicted=convicted)
    # Days from the latest incident on or before the day of issue.
    # (A breach is an incident too, but of the order, not what led to it.)
    latest = Incident.objects.filter(
        case_id=OuterRef("case_id"),
        occurred_on__lte=OuterRef("issued_on"),
        order_breach__isnull=True,
    ).order_by("-occurred_on")
    days: dict[int, list[int]] = {}
    for region_id, issued_on, incident_on in (
        orders.filter(issued_on__gte=since, issued_on__lte=until)
        .annotate(incident_on=Subquery(latest.values("occurred_on")[:1]))
        .exclude(incident_on=None)
        .values_list("case__region", "issued_on", F("incident_on"))
    ):
        days.setdefault(region_id, []).append((issued_on - incident_on).days)

    region_ids = {r for line in lines.values() for r in line} | set(days)
    by_region = {
        r: Counts(
            **{name: line.get(r, 0) for name, line in lines.items()},
            days_to_order=sorted(days.get(r, [])),
        )
        for r in region_ids
    }
    total = Counts(
        **{name: sum(line.values()) for name, line in lines.items()},
        days_to_order=sorted(d for values in days.values() for d in values),
    )
    return AccountabilityFigures(
        since=since,
        until=until,
        agency_id=agency.pk if agency else None,
        region_id=region.pk if region else None,
        total=total,
        regions=by_region if region is None and agency is None else {},
    )


# --- What is shown ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedCounts:
    """The figures of one scope as they may be shown: each `Figure` is hidden when small
    or when it would give a small one away."""

    orders_applied: Figure
    orders_issued: Figure
    orders_served: Figure
    orders_breached: Figure
    breaches: Figure
    breaches_sanctioned: Figure
    sanctioned_rate: Figure  # percent of the breaches
    days_to_order: Figure  # the median, over at least min_cell orders
    complaints: Figure
    charged: Figure
    convicted: Figure
    charge_rate: Figure  # percent of the complaints
    conviction_rate: Figure  # percent of those charged
    programmes_referred: Figure
    programmes_completed: Figure
    programmes_dropped_out: Figure
    programmes_not_started: Figure
    programmes_ongoing: Figure
    completion_rate: Figure  # percent of the programmes that ended

    @property
    def suppressed(self) -> list[str]:
        return [name for name, value in vars(self).items() if value.suppressed]


@dataclass(frozen=True)
class RegionRow:
    region_id: int
    region_name: str
    cells: dict[str, Figure]


@dataclass(frozen=True)
class PublishedAccountability:
    since: date
    until: date
    min_cell: int
    agency_id: int | None
    region_id: int | None
    figures: PublishedCounts
    regions: list[RegionRow]

    @property
    def suppressed(self) -> list[str]:
        names = list(self.figures.suppressed)
        for row in self.regions:
            names += [
                f"{name} region {row.region_id}"
                for name, cell in row.cells.items()
                if cell.suppressed
            ]
        return names


def counts_publish(
    counts: Counts, k: int, *, hide: frozenset[str] = frozenset()
) -> PublishedCounts:
    """One scope's counts as they may be shown. `hide`: counts hidden whatever their size
    (a region's figures the country's table hides). The lines whose totals are shown:
    breaches = sanctioned + not; complaints = not charged + charged but not convicted +
    convicted; programmes referred = completed + dropped out + not started + running."""

    def cell(name: str, value: int) -> Figure:
        return SUPPRESSED if name in hide else disclosure.count(value, k)

    def rate_of(numerator: Figure, denominator: Figure, n: int, d: int) -> Figure:
        # A rate and its shown denominator give the numerator: both must be showable.
        if not (numerator.shown and denominator.shown):
            return SUPPRESSED
        return disclosure.rate(n, d, k, scale=100)

    c = counts
    breaches = cell("breaches", c.breaches)
    not_sanctioned = c.breaches - c.breaches_sanctioned
    sanctioned, _not = disclosure.protect_line(
        [cell("breaches_sanctioned", c.breaches_sanctioned), disclosure.count(not_sanctioned, k)],
        [c.breaches_sanctioned, not_sanctioned],
        breaches.shown,
        min_cell=k,
    )

    complaints = cell("complaints", c.complaints)
    parts = [c.complaints - c.charged, c.charged - c.convicted, c.convicted]
    before_charge, charged_only, convicted = disclosure.protect_line(
        [
            disclosure.count(parts[0], k),
            disclosure.count(parts[1], k),
            cell("convicted", parts[2]),
        ],
        parts,
        complaints.shown,
        min_cell=k,
    )
    charged = (
        SUPPRESSED
        if "charged" in hide
        else disclosure.subtotal(
            c.charged, [charged_only, convicted], total=complaints, rest=[before_charge]
        )
    )

    referred = cell("programmes_referred", c.programmes_referred)
    programme_values = [
        c.programmes_completed,
        c.programmes_dropped_out,
        c.programmes_not_started,
        c.programmes_ongoing,
    ]
    names = ("programmes_completed", "programmes_dropped_out", "programmes_not_started", "")
    completed, dropped, not_started, ongoing = disclosure.protect_line(
        [cell(name, n) for name, n in zip(names, programme_values, strict=True)],
        programme_values,
        referred.shown,
        min_cell=k,
    )
    ended_value = sum(programme_values[:3])
    ended = disclosure.subtotal(
        ended_value, [completed, dropped, not_started], total=referred, rest=[ongoing]
    )

    days = c.days_to_order
    return PublishedCounts(
        orders_applied=cell("orders_applied", c.orders_applied),
        orders_issued=cell("orders_issued", c.orders_issued),
        orders_served=cell("orders_served", c.orders_served),
        orders_breached=cell("orders_breached", c.orders_breached),
        breaches=breaches,
        breaches_sanctioned=sanctioned,
        sanctioned_rate=rate_of(sanctioned, breaches, c.breaches_sanctioned, c.breaches),
        days_to_order=Figure(float(median(days))) if len(days) >= k else SUPPRESSED,
        complaints=complaints,
        charged=charged,
        convicted=convicted,
        charge_rate=rate_of(charged, complaints, c.charged, c.complaints),
        conviction_rate=rate_of(convicted, charged, c.convicted, c.charged),
        programmes_referred=referred,
        programmes_completed=completed,
        programmes_dropped_out=dropped,
        programmes_not_started=not_started,
        programmes_ongoing=ongoing,
        completion_rate=rate_of(completed, ended, c.programmes_completed, ended_value),
    )


def regions_publish(
    regions: dict[int, Counts], national: PublishedCounts, k: int, names: dict[int, str]
) -> list[RegionRow]:
    """The table by region: each column protected against its national figure (the hidden
    regions of a column add up to `k` at least), and hidden whole when that is hidden."""
    keys = sorted(regions, key=lambda r: (names.get(r, ""), r))
    hidden: dict[str, list[bool]] = {}
    for column in REGION_COLUMNS:
        values = [getattr(regions[r], column) for r in keys]
        if not getattr(national, column).shown:
            hidden[column] = [True] * len(keys)
            continue
        hidden[column] = disclosure.protect_groups([values], [v < k for v in values], k)
    return [
        RegionRow(
            region_id=r,
            region_name=names.get(r, "—"),
            cells={
                column: SUPPRESSED if hidden[column][i] else Figure(getattr(regions[r], column))
                for column in REGION_COLUMNS
            },
        )
        for i, r in enumerate(keys)
    ]


def accountability_publish(
    figures: AccountabilityFigures,
    *,
    min_cell: int | None = None,
    national: AccountabilityFigures | None = None,
) -> PublishedAccountability:
    """`figures` as they may be shown. For one region, `national` (the same period and
    scope without a region): what the country's table hides of that region stays hidden."""
    k = disclosure.min_cell_default() if min_cell is None else int(min_cell)
    hide: frozenset[str] = frozenset()
    if national is not None and figures.region_id is not None:
        country = accountability_publish(national, min_cell=k)
        row = next((r for r in country.regions if r.region_id == figures.region_id), None)
        hide = frozenset(
            REGION_COLUMNS
            if row is None
            else [name for name, cell in row.cells.items() if cell.suppressed]
        )
    published = counts_publish(figures.total, k, hide=hide)
    names = {r.pk: r.name for r in Region.objects.filter(pk__in=list(figures.regions))}
    return PublishedAccountability(
        since=figures.since,
        until=figures.until,
        min_cell=k,
        agency_id=figures.agency_id,
        region_id=figures.region_id,
        figures=published,
        regions=regions_publish(figures.regions, published, k, names) if figures.regions else [],
    )


def published_accountability(
    *,
    agency: Agency | None = None,
    region: Region | None = None,
    since: date | None = None,
    until: date | None = None,
    min_cell: int | None = None,
) -> PublishedAccountability:
    """The figures as they may be shown: the one entry point of pages and API."""
    figures = accountability_figures(agency=agency, region=region, since=since, until=until)
    national = None
    if region is not None:
        national = accountability_figures(agency=agency, since=since, until=until)
    return accountability_publish(figures, min_cell=min_cell, national=national)
