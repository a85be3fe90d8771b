"""Who may see which referral: the one place that decides, in birge.access's style.

A referral is visible to a user when either holds:

1. she may see its case (`birge.access.cases.cases_visible_to`: the case's circle, with
   its seals, conflict declarations and emergency access) — she sees the referral and,
   through the case page, the whole case; or
2. her role grants `referral.receive`, her agency is the one the referral was sent to,
   and it has been sent (a draft stays with the referring side). The case must not be
   retired or sealed, and must not involve a person she declared a relation to. Until her
   agency is in the case's circle she sees the referral only: the referrer's summary, the
   case's current risk level with the latest assessment's reasons, and the victim's first
   name — never the case page (that stays 404 for her).

Everything about referrals asks here: pages, the inbox, the API. Outside these rules a
referral does not exist: the same 404 as for one that was never there.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.access.cases import cases_visible_to
from birge.agencies.selectors import user_has_capability
from birge.audit.models import AuditEvent
from birge.cases.models import Case, CasePerson, ConflictDeclaration, Part
from birge.referrals.models import Referral

Status = Referral.Status


def _received_by(user) -> Q:
    """Rule 2: sent to her agency, on a case that is neither retired, sealed nor hers to
    stay away from."""
    rule = (
        Q(to_agency_id=user.agency_id, sent_at__isnull=False)
        & ~Q(case__status=Case.Status.RETIRED)
        & Q(case__sealed=False)
    )
    declared = ConflictDeclaration.objects.filter(user=user, withdrawn_at__isnull=True).values(
        "digest"
    )
    involving = Exists(
        CasePerson.objects.filter(case=OuterRef("case_id"), person__indexes__digest__in=declared)
    )
    return rule & ~Q(involving)


def referrals_visible_to(user) -> QuerySet[Referral]:
    """The one scoped queryset of referrals, for lists, counts and the API."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    rule = Q(case__in=cases_visible_to(user).values("pk"))
    if user_has_capability(user, "referral.receive"):
        rule |= _received_by(user)
    return Referral.objects.filter(rule)


def referral_get_for_user(*, user, referral_id) -> Referral:
    """The referral, or 404 when the user may not see it (missing and forbidden alike)."""
    try:
        referral_id = int(referral_id)
    except (TypeError, ValueError):
        raise Http404 from None
    referral = (
        referrals_visible_to(user)
        .select_related(
            "case__region",
            "case__owning_agency",
            "case__coordinator",
            "service",
            "from_agency",
            "to_agency",
            "created_by",
            "responded_by",
            "risk_assessment",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def referral_case_visible(*, user, referral: Referral) -> bool:
    """Whether she sees the whole case, not only what the referral carries."""
    return cases_visible_to(user).filter(pk=referral.case_id).exists()


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
    risk_level_label: str
    risk_reasons: list[str]
    actions: list[str]
    overdue: bool
    # Accepted, but the receiving agency is not in the circle: consent is needed.
    consent_needed: bool
    timeline: list[AuditEvent] = field(default_factory=list)


def referral_detail(*, user, referral: Referral) -> ReferralDetail:
    """What the referral page and the API show: the referral, what it carries about the
    case (the same for both sides), the timeline of its events and the viewer's actions."""
    from birge.risk.models import RiskAssessment
    from birge.risk.selectors import assessment_reasons

    case = referral.case
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
        risk_level_label=case.get_risk_level_display() if case.risk_level else "",
        risk_reasons=assessment_reasons(latest) if latest else [],
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
    from birge.cases.models import CircleMember

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
    from birge.agencies.models import Service

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
