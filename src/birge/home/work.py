"""My work: what waits for the user and for her agency, most urgent first.

Every section is a queryset from the app that owns the work (its selectors, which ask the
access kernel); this module only chooses the sections her roles allow, counts them in one
query and reads the first few of each. Items name a case by its reference, never a person.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.agencies.selectors import user_has_capability
from birge.cases.selectors import cases_shared_recently, emergency_grants_awaiting_review
from birge.conferences.selectors import actions_owed, queue_chaired_by
from birge.home.counting import counts
from birge.justice.selectors_orders import orders_flagged_for_coordinator
from birge.referrals.selectors import referrals_to_agency
from birge.risk.selectors import reassessments_due

# How many items of each section the page and the API list (the count says how many more).
SECTION_LIMIT = 10
SHARED_DAYS = 7

TITLES = {
    "referrals": _("Referrals to answer"),
    "reassessments": _("Risk reassessments due"),
    "actions": _("Conference actions we owe"),
    "queue": _("Cases waiting for the risk conference"),
    "emergency_reviews": _("Emergency accesses to review"),
    "shared": _("Cases newly shared with my agency"),
    "orders": _("Expired protection orders at high risk"),
}
# Where the whole list of each section is.
LISTS = {
    "referrals": "referrals:inbox",
    "reassessments": "risk:reassessments",
    "actions": "conferences:actions_list",
    "queue": "conferences:index",
    "emergency_reviews": "cases:emergency_review_list",
    "shared": "cases:case_list",
    "orders": "justice:orders_attention",
}


@dataclass
class WorkItem:
    kind: str
    case_reference: str
    url: str
    # The deadline (a moment, or a day for conference actions), or None; `since` when the
    # work has no deadline: when it began to wait.
    due: datetime | date | None = None
    since: datetime | None = None
    overdue: bool = False
    detail: str = ""

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then the nearest deadline, then what has waited longest."""
        due = self.due
        if isinstance(due, date) and not isinstance(due, datetime):
            due = timezone.make_aware(datetime.combine(due, datetime.max.time()))
        moment = due or self.since
        return (not self.overdue, due is None, moment.timestamp() if moment else 0.0)


@dataclass
class WorkSection:
    kind: str
    count: int
    items: list[WorkItem] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(TITLES[self.kind])

    @property
    def list_url(self) -> str:
        return reverse(LISTS[self.kind])

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.items)


@dataclass
class MyWork:
    sections: list[WorkSection]

    @property
    def total(self) -> int:
        return sum(section.count for section in self.sections)

    def items(self) -> list[WorkItem]:
        """Every listed item, the most urgent first."""
        return sorted((i for s in self.sections for i in s.items), key=lambda i: i.sort_key)


def work_querysets(user) -> dict[str, QuerySet]:
    """The sections her roles allow, each as the owning app's queryset."""
    if not getattr(user, "is_authenticated", False):
        return {}
    found: dict[str, QuerySet] = {}
    if user_has_capability(user, "referral.receive"):
        found["referrals"] = referrals_to_agency(user=user, awaiting=True)
    if user_has_capability(user, "risk.assess"):
        found["reassessments"] = reassessments_due(user=user)
    if any(
        user_has_capability(user, capability)
        for capability in ("conference.attend", "agency.oversee", "case.view")
    ):  # the named person of an action may be anyone who works on cases
        found["actions"] = actions_owed(user)
    if user_has_capability(user, "conference.chair"):
        found["queue"] = queue_chaired_by(user)
    if user_has_capability(user, "audit.read"):
        found["emergency_reviews"] = emergency_grants_awaiting_review(user=user)
    if user_has_capability(user, "case.view"):
        found["shared"] = cases_shared_recently(user=user, days=SHARED_DAYS)
    if user_has_capability(user, "case.coordinate"):
        found["orders"] = orders_flagged_for_coordinator(user)
    return found


def _referral(referral, now: datetime) -> WorkItem:
    return WorkItem(
        kind="referrals",
        case_reference=referral.case.reference,
        url=reverse("referrals:referral_detail", args=[referral.pk]),
        due=referral.due_at,
        since=referral.sent_at,
        overdue=bool(referral.due_at and referral.due_at < now),
        detail=f"{referral.service.name} · {referral.from_agency.name}",
    )


def _reassessment(case, now: datetime) -> WorkItem:
    return WorkItem(
        kind="reassessments",
        case_reference=case.reference,
        url=reverse("risk:assessment_new", args=[case.pk]),
        due=case.reassessment_due_at,
        overdue=case.reassessment_due_at < now,
    )


def _action(action, now: datetime) -> WorkItem:
    return WorkItem(
        kind="actions",
        case_reference=action.case.reference,
        url=reverse("conferences:action_detail", args=[action.pk]),
        due=action.due_on,
        overdue=action.due_on < timezone.localdate(now),
        detail=action.series.name,
    )


def _queued(referral, now: datetime) -> WorkItem:
    return WorkItem(
        kind="queue",
        case_reference=referral.case.reference,
        url=reverse("conferences:series_detail", args=[referral.series_id]),
        since=referral.referred_at,
        detail=referral.series.name,
    )


def _grant(grant, now: datetime) -> WorkItem:
    return WorkItem(
        kind="emergency_reviews",
        case_reference=grant.case.reference,
        url=reverse("cases:emergency_review", args=[grant.pk]),
        since=grant.started_at,
    )


def _shared(member, now: datetime) -> WorkItem:
    return WorkItem(
        kind="shared",
        case_reference=member.case.reference,
        url=reverse("cases:case_detail", args=[member.case_id]),
        since=member.added_at,
        detail=member.get_route_display(),
    )


def _order(order, now: datetime) -> WorkItem:
    # An expired short-term order with nothing after it: she may be unprotected now.
    return WorkItem(
        kind="orders",
        case_reference=order.case.reference,
        url=reverse("justice:order_detail", args=[order.pk]),
        since=timezone.make_aware(datetime.combine(order.ends_on, datetime.max.time())),
        overdue=True,
    )


ITEM = {
    "referrals": _referral,
    "reassessments": _reassessment,
    "actions": _action,
    "queue": _queued,
    "emergency_reviews": _grant,
    "shared": _shared,
    "orders": _order,
}


def my_work(user, *, limit: int = SECTION_LIMIT) -> MyWork:
    """Her sections, counted in one query, the first `limit` items of each read in one
    query per section: a constant number of queries whatever the data."""
    querysets = work_querysets(user)
    numbers = counts(**querysets)
    now = timezone.now()
    sections = []
    for kind, queryset in querysets.items():
        rows = list(queryset[:limit]) if numbers[kind] else []
        sections.append(
            WorkSection(kind=kind, count=numbers[kind], items=[ITEM[kind](r, now) for r in rows])
        )
    return MyWork(sections=sections)
