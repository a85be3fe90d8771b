"""Keeping promises: per receiving agency and service kind, how referrals were answered
against the response time the protocol promised. Aggregates only, no personal data.

- answered: referrals sent since `since` (and before `until`) that the agency accepted
  or declined;
- within promised time: of the referrals sent in that period that were answered or whose
  due time has passed without an answer, the share answered by their due time (an
  agency that never answers does not look punctual);
- median response time: hours from sending to the answer, over the answered ones;
- overdue now: referrals still waiting for an answer after their due time, whenever sent.

`compliance_figures` counts exactly and is never shown as it is: pages, charts, the API
and the exports show `compliance_publish`, in which the small numbers are hidden the
one way every figure of Birge is (birge.privacy.disclosure): each count below
settings.BIRGE_STATS_MIN_CELL, and whatever would give one away — the referrals
answered in time as a part of those judged (the rest: late or never answered) and of
those answered (the rest: late or without a due time), a share resting on a small
count, the median of a handful of answers, an agency's share in the chart unless every
count it rests on is shown.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.http import Http404
from django.utils import timezone

from birge.agencies.models import Agency, ServiceKind
from birge.agencies.selectors import user_has_capability
from birge.privacy import disclosure
from birge.privacy.disclosure import SUPPRESSED, Figure
from birge.referrals.models import Referral


@dataclass(frozen=True)
class Row:
    agency_id: int
    agency_name: str
    service_kind: str
    service_label: str
    answered: int
    answered_in_time: int
    judged: int  # answered, or past due without an answer: the share's denominator
    median_hours: float | None
    overdue: int

    @property
    def share_in_time(self) -> float | None:
        """Percent answered within the promised time; None when nothing can be judged."""
        return 100 * self.answered_in_time / self.judged if self.judged else None


@dataclass(frozen=True)
class AgencyShare:
    agency_id: int
    agency_name: str
    answered_in_time: int
    judged: int

    @property
    def share_in_time(self) -> float | None:
        return 100 * self.answered_in_time / self.judged if self.judged else None


def compliance_figures(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    agency: Agency | None = None,
    now: datetime | None = None,
) -> list[Row]:
    """One row per receiving agency and service kind that has had a referral, over the
    referrals sent from `since` and before `until` (either open). Three queries: the
    counts, the answered durations, the agencies' names."""
    now = now or timezone.now()
    referrals = Referral.objects.filter(sent_at__isnull=False)
    if agency is not None:
        referrals = referrals.filter(to_agency=agency)
    in_period = Q(sent_at__isnull=False)
    if since is not None:
        in_period &= Q(sent_at__gte=since)
    if until is not None:
        in_period &= Q(sent_at__lt=until)
    answered = in_period & Q(responded_at__isnull=False)
    waiting = Q(status=Referral.Status.SENT, responded_at__isnull=True)
    past_due = waiting & Q(due_at__lt=now)
    counts = (
        referrals.filter(in_period | past_due)
        .values("to_agency_id", "service__kind")
        .annotate(
            answered=Count("pk", filter=answered),
            in_time=Count("pk", filter=answered & Q(responded_at__lte=F("due_at"))),
            judged=Count(
                "pk",
                filter=(answered & Q(due_at__isnull=False)) | (in_period & past_due),
            ),
            overdue=Count("pk", filter=past_due),
        )
        .order_by()
    )
    durations: dict[tuple[int, str], list[timedelta]] = {}
    for key_agency, kind, duration in (
        referrals.filter(answered)
        .annotate(took=ExpressionWrapper(F("responded_at") - F("sent_at"), DurationField()))
        .values_list("to_agency_id", "service__kind", "took")
        .order_by()
    ):
        durations.setdefault((key_agency, kind), []).append(duration)
    counts = list(counts)
    names = Agency.objects.in_bulk({c["to_agency_id"] for c in counts})
    labels = dict(ServiceKind.choices)
    rows = []
    for c in counts:
        key = (c["to_agency_id"], c["service__kind"])
        took = durations.get(key)
        rows.append(
            Row(
                agency_id=key[0],
                agency_name=names[key[0]].name,
                service_kind=key[1],
                service_label=str(labels.get(key[1], key[1])),
                answered=c["answered"],
                answered_in_time=c["in_time"],
                judged=c["judged"],
                median_hours=median(d.total_seconds() for d in took) / 3600 if took else None,
                overdue=c["overdue"],
            )
        )
    return sorted(rows, key=lambda r: (r.agency_name, r.service_label))


def compliance_by_agency(rows: list[Row]) -> list[AgencyShare]:
    """The rows summed per agency, for the chart."""
    totals: dict[int, list] = {}
    for row in rows:
        total = totals.setdefault(row.agency_id, [row.agency_name, 0, 0])
        total[1] += row.answered_in_time
        total[2] += row.judged
    return [
        AgencyShare(agency_id=pk, agency_name=name, answered_in_time=in_time, judged=judged)
        for pk, (name, in_time, judged) in totals.items()
    ]


# --- What is shown ---------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedRow:
    """A row as pages, charts, the API and the exports show it: a hidden figure is
    SUPPRESSED, never its value."""

    agency_id: int
    agency_name: str
    service_kind: str
    service_label: str
    answered: Figure
    answered_in_time: Figure
    judged: Figure
    share_in_time: Figure  # percent of the judged; Figure(None) when nothing is judged
    median_hours: Figure  # Figure(None) when nothing is answered
    overdue: Figure

    @property
    def suppressed(self) -> list[str]:
        return [name for name, value in vars(self).items() if getattr(value, "suppressed", False)]


@dataclass(frozen=True)
class PublishedShare:
    agency_id: int
    agency_name: str
    share_in_time: Figure  # percent


def row_publish(row: Row, min_cell: int, *, whole_history: bool = True) -> PublishedRow:
    """`whole_history`: the figures count every referral ever sent (no `since`, no
    `until`)."""
    k = min_cell
    answered = disclosure.count(row.answered, k)
    judged = disclosure.count(row.judged, k)
    # In time is a part of the judged (the rest: late or never answered) and of the
    # answered (the rest: late, or without a due time): neither rest may be worked out.
    late_or_never = row.judged - row.answered_in_time
    in_time, _rest = disclosure.protect_line(
        [disclosure.count(row.answered_in_time, k), disclosure.count(late_or_never, k)],
        [row.answered_in_time, late_or_never],
        judged.shown,
        min_cell=k,
        unpublished=[False, True],
    )
    overdue = disclosure.count(row.overdue, k)
    if whole_history:
        # Then those overdue now are a part of the judged too: judged = in time + late +
        # overdue. (Over a period, some overdue were sent outside it: no such line.)
        late = row.judged - row.answered_in_time - row.overdue
        in_time, _late, overdue = disclosure.protect_line(
            [in_time, disclosure.count(late, k), overdue],
            [row.answered_in_time, late, row.overdue],
            judged.shown,
            min_cell=k,
            unpublished=[False, True, False],
        )
    late_or_undue = row.answered - row.answered_in_time
    in_time, _rest = disclosure.protect_line(
        [in_time, disclosure.count(late_or_undue, k)],
        [row.answered_in_time, late_or_undue],
        answered.shown,
        min_cell=k,
        unpublished=[False, True],
    )
    if not row.judged:
        share = Figure(None)
    elif in_time.shown and judged.shown:
        share = disclosure.rate(row.answered_in_time, row.judged, k, scale=100)
    else:
        share = SUPPRESSED
    if row.median_hours is None:
        median = Figure(None)
    else:
        median = Figure(row.median_hours) if answered.shown else SUPPRESSED
    return PublishedRow(
        agency_id=row.agency_id,
        agency_name=row.agency_name,
        service_kind=row.service_kind,
        service_label=row.service_label,
        answered=answered,
        answered_in_time=in_time,
        judged=judged,
        share_in_time=share,
        median_hours=median,
        overdue=overdue,
    )


def compliance_publish(
    rows: list[Row], *, min_cell: int | None = None, whole_history: bool = True
) -> list[PublishedRow]:
    """The rows as they may be shown (see the module's docstring); `whole_history`
    False when the figures count the referrals sent in a period (since or until a date)."""
    k = disclosure.min_cell_default() if min_cell is None else int(min_cell)
    return [row_publish(row, k, whole_history=whole_history) for row in rows]


def shares_publish(
    rows: list[Row], published: list[PublishedRow], *, min_cell: int | None = None
) -> list[PublishedShare]:
    """Each agency's share in time over its rows, for the chart: shown only when every
    count it rests on is shown (a share over a hidden part would give that part away)
    and it is a rate that may be shown."""
    k = disclosure.min_cell_default() if min_cell is None else int(min_cell)
    shown: dict[int, list[Figure]] = {}
    for row in published:
        shown.setdefault(row.agency_id, []).extend([row.answered_in_time, row.judged])
    return [
        PublishedShare(
            agency_id=share.agency_id,
            agency_name=share.agency_name,
            share_in_time=(
                disclosure.rate(share.answered_in_time, share.judged, k, scale=100)
                if all(figure.shown for figure in shown[share.agency_id])
                else SUPPRESSED
            ),
        )
        for share in compliance_by_agency(rows)
    ]


# Who sees every agency's figures; an agency lead (agency.oversee) sees her own.
NATIONAL = ("protocol.manage", "stats.view")


def compliance_scope(user) -> Agency | None:
    """None: every agency; an agency: only hers. A 404 for everyone else."""
    if any(user_has_capability(user, capability) for capability in NATIONAL):
        return None
    if user_has_capability(user, "agency.oversee"):
        return user.agency
    raise Http404
