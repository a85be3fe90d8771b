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
    meeting_ids = list(meetings.values_list("pk", flat=True))
    figures.meetings_held = len(meeting_ids)
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
        key = timezone.localtime(starts_at).strftime("%Y-%m")
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
