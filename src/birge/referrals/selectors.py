"""Reads of referrals: who may act on one, what its page shows, the inbox's lists.

Who may see which referral is decided in `birge.access.referrals` (re-exported here for the
views and the API); nothing here writes a visibility rule of its own.
"""

from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.utils import timezone

from birge.access.fields import case_scopes
from birge.access.referrals import (  # noqa: F401 -- the rules, asked through selectors
    referral_case_visible,
    referral_get_for_user,
    referrals_visible_to,
)
from birge.agencies.models import Service
from birge.agencies.selectors import user_has_capability
from birge.audit.models import AuditEvent
from birge.cases.models import Case, CasePerson, CircleMember, Part
from birge.referrals.models import Referral
from birge.risk.models import RiskAssessment
from birge.risk.selectors import assessment_reasons, items_hidden_from

Status = Referral.Status


# --- Who may do what ------------------------------------------------------------------


def referral_is_referring_side(*, user, referral: Referral) -> bool:
    """A user of the referring agency who may refer."""
    return user.agency_id == referral.from_agency_id and user_has_capability(user, "referral.send")


def referral_is_receiving_side(*, user, referral: Referral) -> bool:
    """A user of the agency the referral went to who may answer referrals."""
    return user.agency_id == referral.to_agency_id and user_has_capability(user, "referral.receive")


# The statuses each action starts from, and the side that takes it.
TRANSITIONS = {
    "send": ((Status.DRAFT,), "referring"),
    "withdraw": ((Status.DRAFT, Status.SENT, Status.ACCEPTED, Status.IN_PROGRESS), "referring"),
    "accept": ((Status.SENT,), "receiving"),
    "decline": ((Status.SENT,), "receiving"),
    "start": ((Status.ACCEPTED,), "receiving"),
    "complete": ((Status.IN_PROGRESS,), "receiving"),
}


def referral_actions(*, user, referral: Referral) -> list[str]:
    """The actions the user may take on the referral now, in the order pages show them."""
    sides = {
        "referring": referral_is_referring_side(user=user, referral=referral),
        "receiving": referral_is_receiving_side(user=user, referral=referral),
    }
    return [
        action
        for action, (statuses, side) in TRANSITIONS.items()
        if referral.status in statuses and sides[side]
    ]


# --- Pages ----------------------------------------------------------------------------


@dataclass
class ReferralDetail:
    referral: Referral
    case_visible: bool
    victim_first_name: str
    risk_level: str
    risk_reasons: list[str]
    actions: list[str]
    overdue: bool
    # Accepted, but the receiving agency is not in the circle: consent is needed.
    consent_needed: bool
    timeline: list[AuditEvent] = field(default_factory=list)


def referral_detail(*, user, referral: Referral) -> ReferralDetail:
    """What the referral page and the API show: the referral, what it carries about the
    case (the same for both sides), the timeline of its events and the viewer's actions."""

    case = referral.case
    # What she may see of it: the case record, and the scopes her consent covers.
    hidden = items_hidden_from(case_scopes(user=user, case=case))
    victim = (
        CasePerson.objects.filter(case=case, part=Part.VICTIM)
        .select_related("person")
        .order_by("id")
        .first()
    )
    latest = (
        RiskAssessment.objects.filter(case=case, status=RiskAssessment.Status.SUBMITTED)
        .select_related("instrument_version")
        .order_by("-submitted_at", "-id")
        .first()
    )
    timeline = list(
        AuditEvent.objects.filter(
            object_type="case", object_id=str(case.pk), data__referral=referral.pk
        )
        .exclude(action="referral.viewed")
        .select_related("actor", "agency")
        .order_by("id")
    )
    return ReferralDetail(
        referral=referral,
        case_visible=referral_case_visible(user=user, referral=referral),
        victim_first_name=victim.person.first_name if victim else "",
        risk_level=case.risk_level,
        risk_reasons=assessment_reasons(latest, hidden=hidden) if latest else [],
        actions=referral_actions(user=user, referral=referral),
        overdue=referral_is_overdue(referral),
        consent_needed=_consent_needed(referral),
        timeline=timeline,
    )


def referral_is_overdue(referral: Referral, *, now=None) -> bool:
    """Sent, unanswered, and past the time the protocol promised."""
    now = now or timezone.now()
    return bool(referral.status == Status.SENT and referral.due_at and referral.due_at < now)


def _consent_needed(referral: Referral) -> bool:

    if referral.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
        return False
    return not CircleMember.objects.filter(
        case_id=referral.case_id, agency_id=referral.to_agency_id, removed_at__isnull=True
    ).exists()


_LIST_RELATED = ("case", "service", "from_agency", "to_agency")


def referrals_to_agency(*, user, awaiting: bool) -> QuerySet[Referral]:
    """The inbox's "to us": sent and awaiting an answer (the nearest deadline first), or
    accepted and in hand (`awaiting=False`)."""
    if not user_has_capability(user, "referral.receive"):
        return Referral.objects.none()
    statuses = (Status.SENT,) if awaiting else (Status.ACCEPTED, Status.IN_PROGRESS)
    return (
        referrals_visible_to(user)
        .filter(to_agency_id=user.agency_id, status__in=statuses)
        .select_related(*_LIST_RELATED)
        .order_by(F("due_at").asc(nulls_last=True), "id")
    )


def referrals_from_agency(*, user, limit: int = 100) -> QuerySet[Referral]:
    """The inbox's "from us": the latest referrals the user's agency made."""
    return (
        referrals_visible_to(user)
        .filter(from_agency_id=user.agency_id)
        .select_related(*_LIST_RELATED)
        .order_by("-id")[:limit]
    )


def referrals_of_case(*, case: Case) -> QuerySet[Referral]:
    """A case's referrals, for its page (the case itself came from birge.access)."""
    return Referral.objects.filter(case=case).select_related(*_LIST_RELATED).order_by("-id")


def services_for_referral(*, user, kind: str = "", region=None) -> QuerySet:
    """The directory a referral chooses from: active services of other active agencies."""

    services = (
        Service.objects.filter(is_active=True, agency__is_active=True)
        .exclude(agency_id=user.agency_id)
        .select_related("agency")
    )
    if kind:
        services = services.filter(kind=kind)
    if region is not None:
        services = services.filter(regions=region)
    return services.distinct().order_by("kind", "agency__code")
