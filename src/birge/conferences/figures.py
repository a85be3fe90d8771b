"""A series' figures: how many cases it heard, how many were repeats, how many per 10,000
adult women of its area, whether actions were done on time, and which member agencies
came. Aggregates only: no case, no person.

Over a period (by the meetings' dates; the last 12 months unless said otherwise):

- meetings held: closed meetings;
- cases heard: cases discussed at them (a case heard twice counts twice, as MARAC counts);
- repeat rate: of the cases heard, the share referred as repeats;
- per 10,000 adult women: distinct cases heard, per 10,000 of the series' adult women
  population (when set);
- actions on time: of the actions agreed at those meetings that are done or past due,
  the share done by the end of their due day (an agency that never reports does not look
  punctual); cancelled actions are left out;
- attendance: per member agency, the share of meetings held that someone of it attended.

`series_figures` counts exactly and is never shown as it is: pages, charts and the API
show `published_figures`, in which every count of cases or of actions below
settings.BIRGE_STATS_MIN_CELL is hidden, and so is whatever would give one away
(birge.privacy.disclosure): a rate resting on a small count, a part of a shown total
whose other hidden part is alone, a subtotal with a hidden part. Counts of meetings and
the agencies' attendance are about agencies, not people, and are shown as they are.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from birge.conferences.models import (
    AgendaItem,
    Attendance,
    ConferenceAction,
    ConferenceSeries,
    Meeting,
)
from birge.privacy import disclosure
from birge.privacy.disclosure import SUPPRESSED, Figure


@dataclass(frozen=True)
class AgencyAttendance:
    agency_id: int
    agency_name: str
    attended: int
    held: int

    @property
    def share(self) -> float | None:
        return 100 * self.attended / self.held if self.held else None


@dataclass
class SeriesFigures:
    series_id: int
    since: date
    until: date
    meetings_held: int = 0
    cases_heard: int = 0
    distinct_cases: int = 0
    repeat_cases: int = 0
    population: int | None = None
    actions_agreed: int = 0
    actions_judged: int = 0
    actions_on_time: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    attendance: list[AgencyAttendance] = field(default_factory=list)
    by_month: list[tuple[str, int]] = field(default_factory=list)
    # The months ("YYYY-MM") of the meetings held: the span the published months cover.
    meeting_months: list[str] = field(default_factory=list)

    @property
    def repeat_rate(self) -> float | None:
        return 100 * self.repeat_cases / self.cases_heard if self.cases_heard else None

    @property
    def per_10000(self) -> float | None:
        if not self.population:
            return None
        return 10000 * self.distinct_cases / self.population

    @property
    def on_time_share(self) -> float | None:
        return 100 * self.actions_on_time / self.actions_judged if self.actions_judged else None


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def series_figures(
    series: ConferenceSeries, *, since: date | None = None, until: date | None = None
) -> SeriesFigures:
    """The figures of meetings held from `since` up to and including `until`."""
    today = timezone.localdate()
    until = until or today
    since = since or until - timedelta(days=365)
    figures = SeriesFigures(
        series_id=series.pk,
        since=since,
        until=until,
        population=series.adult_women_population,
    )
    meetings = Meeting.objects.filter(
        series=series,
        status=Meeting.Status.CLOSED,
        starts_at__gte=_moment(since),
        starts_at__lt=_moment(until + timedelta(days=1)),
    )
    held = list(meetings.values_list("pk", "starts_at"))
    meeting_ids = [pk for pk, _starts_at in held]
    figures.meetings_held = len(meeting_ids)
    figures.meeting_months = sorted({_month(starts_at) for _pk, starts_at in held})
    heard = AgendaItem.objects.filter(meeting_id__in=meeting_ids, outcome=AgendaItem.Outcome.HEARD)
    counts = heard.aggregate(
        heard=Count("pk"),
        distinct=Count("case_id", distinct=True),
        repeats=Count("pk", filter=Q(referral__is_repeat=True)),
    )
    figures.cases_heard = counts["heard"]
    figures.distinct_cases = counts["distinct"]
    figures.repeat_cases = counts["repeats"]
    months: dict[str, int] = {}
    for starts_at in heard.values_list("meeting__starts_at", flat=True):
        key = _month(starts_at)
        months[key] = months.get(key, 0) + 1
    figures.by_month = sorted(months.items())
    _actions(figures, meeting_ids, today)
    _attendance(figures, series, meeting_ids)
    return figures


def _actions(figures: SeriesFigures, meeting_ids: list[int], today: date) -> None:
    actions = ConferenceAction.objects.filter(item__meeting_id__in=meeting_ids).exclude(
        status=ConferenceAction.Status.CANCELLED
    )
    figures.actions_agreed = actions.count()
    for status, due_on, completed_at in actions.values_list("status", "due_on", "completed_at"):
        if status == ConferenceAction.Status.DONE:
            figures.actions_judged += 1
            if completed_at and timezone.localdate(completed_at) <= due_on:
                figures.actions_on_time += 1
        else:
            figures.actions_open += 1
            if due_on < today:
                figures.actions_judged += 1
                figures.actions_overdue += 1


def _attendance(figures: SeriesFigures, series: ConferenceSeries, meeting_ids: list[int]) -> None:
    attended = dict(
        Attendance.objects.filter(meeting_id__in=meeting_ids)
        .values("agency_id")
        .annotate(n=Count("meeting_id", distinct=True))
        .values_list("agency_id", "n")
    )
    figures.attendance = sorted(
        (
            AgencyAttendance(
                agency_id=agency.pk,
                agency_name=agency.name,
                attended=attended.get(agency.pk, 0),
                held=figures.meetings_held,
            )
            for agency in series.members.all()
        ),
        key=lambda a: a.agency_name,
    )


# --- What is shown ---------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigure:
    month: str  # YYYY-MM
    cases_heard: Figure


@dataclass(frozen=True)
class PublishedFigures:
    """The figures as pages, charts and the API show them. Each `Figure` is a count of
    cases or actions (or a rate resting on one), hidden when small or when it would give
    a small one away; `meetings_held` and `attendance` count meetings."""

    series_id: int
    since: date
    until: date
    min_cell: int
    meetings_held: int
    cases_heard: Figure
    distinct_cases: Figure
    repeat_cases: Figure
    repeat_rate: Figure  # percent of the cases heard
    population: int | None
    per_10000: Figure | None  # None while the series' population is not set
    actions_agreed: Figure
    actions_on_time: Figure  # done by the end of their due day
    actions_late: Figure  # done after it
    actions_overdue: Figure  # open past their due day
    actions_not_yet_due: Figure  # open, due day not past
    actions_judged: Figure  # done or past due: on time + late + overdue
    actions_open: Figure  # overdue + not yet due
    on_time_share: Figure  # percent of the actions judged
    attendance: list[AgencyAttendance]
    by_month: list[MonthFigure]

    @property
    def suppressed(self) -> list[str]:
        """The names of the figures hidden (months as "cases_heard YYYY-MM")."""
        names = [
            name
            for name, value in vars(self).items()
            if isinstance(value, Figure) and value.suppressed
        ]
        return names + [f"cases_heard {m.month}" for m in self.by_month if m.cases_heard.suppressed]


def _every_month(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    months = []
    while (key := f"{year:04d}-{month:02d}") <= last:
        months.append(key)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def figures_publish(figures: SeriesFigures, *, min_cell: int | None = None) -> PublishedFigures:
    """`figures` as they may be shown (see the module's docstring).

    The lines whose totals are shown and whose parts could be subtracted:
    cases heard = Σ per month = repeat + first-time = distinct + hearings again;
    actions agreed = on time + late + overdue + not yet due."""
    k = disclosure.min_cell_default() if min_cell is None else int(min_cell)
    heard = disclosure.count(figures.cases_heard, k)

    # Every month from the first to the last meeting held, the empty ones too: a month
    # left out would say that none was heard in it.
    span = (
        _every_month(figures.meeting_months[0], figures.meeting_months[-1])
        if figures.meeting_months
        else []
    )
    per_month = dict(figures.by_month)
    month_values = [per_month.get(month, 0) for month in span]
    month_cells = disclosure.protect_line(
        [disclosure.count(n, k) for n in month_values], month_values, heard.shown, min_cell=k
    )

    # Parts that are never published count as shown when large: working them out tells
    # nothing. When small, they are hidden parts the line must protect.
    first_time = figures.cases_heard - figures.repeat_cases
    repeat, _first = disclosure.protect_line(
        [disclosure.count(figures.repeat_cases, k), disclosure.count(first_time, k)],
        [figures.repeat_cases, first_time],
        heard.shown,
        min_cell=k,
    )
    again = figures.cases_heard - figures.distinct_cases
    distinct, _again = disclosure.protect_line(
        [disclosure.count(figures.distinct_cases, k), disclosure.count(again, k)],
        [figures.distinct_cases, again],
        heard.shown,
        min_cell=k,
    )

    late = figures.actions_judged - figures.actions_on_time - figures.actions_overdue
    not_yet_due = figures.actions_open - figures.actions_overdue
    agreed = disclosure.count(figures.actions_agreed, k)
    action_values = [figures.actions_on_time, late, figures.actions_overdue, not_yet_due]
    on_time, late_cell, overdue, not_due = disclosure.protect_line(
        [disclosure.count(n, k) for n in action_values], action_values, agreed.shown, min_cell=k
    )
    judged = disclosure.subtotal(
        figures.actions_judged, [on_time, late_cell, overdue], total=agreed, rest=[not_due]
    )
    still_open = disclosure.subtotal(
        figures.actions_open, [overdue, not_due], total=agreed, rest=[on_time, late_cell]
    )

    def rate_of(numerator: Figure, denominator: Figure, n: int, d: int, scale: float) -> Figure:
        # A rate and its shown denominator give the numerator: both must be showable.
        if not (numerator.shown and denominator.shown):
            return SUPPRESSED
        return disclosure.rate(n, d, k, scale=scale)

    per_10000 = None
    if figures.population:
        per_10000 = (
            disclosure.rate(figures.distinct_cases, figures.population, k, scale=10000)
            if distinct.shown
            else SUPPRESSED
        )
    return PublishedFigures(
        series_id=figures.series_id,
        since=figures.since,
        until=figures.until,
        min_cell=k,
        meetings_held=figures.meetings_held,
        cases_heard=heard,
        distinct_cases=distinct,
        repeat_cases=repeat,
        repeat_rate=rate_of(repeat, heard, figures.repeat_cases, figures.cases_heard, 100),
        population=figures.population,
        per_10000=per_10000,
        actions_agreed=agreed,
        actions_on_time=on_time,
        actions_late=late_cell,
        actions_overdue=overdue,
        actions_not_yet_due=not_due,
        actions_judged=judged,
        actions_open=still_open,
        on_time_share=rate_of(
            on_time, judged, figures.actions_on_time, figures.actions_judged, 100
        ),
        attendance=figures.attendance,
        by_month=[
            MonthFigure(month=month, cases_heard=cell)
            for month, cell in zip(span, month_cells, strict=True)
        ],
    )


def published_figures(
    series: ConferenceSeries,
    *,
    since: date | None = None,
    until: date | None = None,
    min_cell: int | None = None,
) -> PublishedFigures:
    """The series' figures as they may be shown: the one entry point of pages and API."""
    return figures_publish(series_figures(series, since=since, until=until), min_cell=min_cell)
