"""Who may see which referral.

A referral is visible to a user when either holds:

1. she may see its case (`birge.access.cases.case_visible`) — she sees the referral and,
   through the case page, the whole case; or
2. her role grants `referral.receive`, her agency is the one the referral was sent to, and
   it has been sent (a draft stays with the referring side). The case must not be retired,
   not be sealed unless she is named on the seal, and not involve a person she declared a
   relation to — the same predicates as for the case itself. Until her agency is in the
   case's circle she sees the referral only: the referrer's summary, the case's current
   risk level with the latest assessment's reasons, and the victim's first name, through
   her consent scopes (`birge.access.fields`) — never the case page (that stays 404).

Outside these rules a referral does not exist: the same 404 as for one that was never
there, and the refusal is recorded.
"""

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from birge.access import predicates as p
from birge.access.cases import case_visible, cases_visible_to
from birge.access.registry import Record, models
from birge.access.trail import access_denied_record
from birge.agencies.models import User
from birge.agencies.selectors import user_has_capability


def _received_by(user: User) -> Q:
    return (
        Q(to_agency_id=user.agency_id, sent_at__isnull=False)
        & p.not_retired("case")
        & p.unsealed_for(user, "case")
        & p.no_declared_relation(user, "case")
    )


def referrals_visible_to(user: User) -> QuerySet:
    """The one scoped queryset of referrals, for lists, counts and the API."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return models.referral.objects.none()
    rule = case_visible(user, "case")
    if user_has_capability(user, "referral.receive"):
        rule |= _received_by(user)
    return models.referral.objects.filter(rule)


def referral_get_for_user(*, user: User, referral_id: int | str) -> Model:
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
        access_denied_record(user=user, object_type="referral", object_id=referral_id)
        raise Http404
    return referral


def referral_case_visible(*, user: User, referral: Record) -> bool:
    """Whether she sees the whole case, not only what the referral carries."""
    return cases_visible_to(user).filter(pk=referral.case_id).exists()
