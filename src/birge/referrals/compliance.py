"""Keeping promises: per receiving agency and service kind, how referrals were answered
against the response time the protocol promised. Aggregates only, no personal data.

- answered: referrals sent since `since` that the agency accepted or declined;
- within promised time: of the referrals sent since `since` that were answered or whose
  due time has passed without an answer, the share answered by their due time (an
  agency that never answers does not look punctual);
- median response time: hours from sending to the answer, over the answered ones;
- overdue now: referrals still waiting for an answer after their due time, whenever sent.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.http import Http404
from django.utils import timezone

from birge.agencies.models import Agency, ServiceKind
from birge.agencies.selectors import user_has_capability
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
    *, since: datetime | None = None, agency: Agency | None = None, now: datetime | None = None
) -> list[Row]:
    """One row per receiving agency and service kind that has had a referral. Three
    queries: the counts, the answered durations, the agencies' names."""
    now = now or timezone.now()
    referrals = Referral.objects.filter(sent_at__isnull=False)
    if agency is not None:
        referrals = referrals.filter(to_agency=agency)
    in_period = Q(sent_at__gte=since) if since else Q(sent_at__isnull=False)
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


# Who sees every agency's figures; an agency lead (agency.oversee) sees her own.
NATIONAL = ("protocol.manage", "stats.view")


def compliance_scope(user) -> Agency | None:
    """None: every agency; an agency: only hers. A 404 for everyone else."""
    if any(user_has_capability(user, capability) for capability in NATIONAL):
        return None
    if user_has_capability(user, "agency.oversee"):
        return user.agency
    raise Http404
