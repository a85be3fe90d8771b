"""Who may see which case: the one place that decides.

A case is visible to a user when all of these hold:

1. her role grants `case.view` (analysts and auditors never open a case);
2. the case is not retired;
3. her agency is in the case's circle, or she holds unexpired emergency access to it;
4. the case is not sealed, or she is one of the users named on the seal;
5. no person in the case matches a person she declared a relation to.

Everything else in Birge asks here: pages, API, exports, search and counts. Outside the
circle a case does not exist: the same 404 as for a case that was never there.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.agencies.selectors import user_has_capability
from birge.cases.models import (
    Case,
    CasePerson,
    CircleMember,
    ConflictDeclaration,
    Consent,
    EmergencyAccess,
    SealedAccess,
)


def _conflict_digests(user) -> list[str]:
    cached = getattr(user, "_birge_conflict_digests", None)
    if cached is None:
        cached = list(
            ConflictDeclaration.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
                "digest", flat=True
            )
        )
        user._birge_conflict_digests = cached
    return cached


def _involving(digests: list[str]) -> Exists:
    return Exists(
        CasePerson.objects.filter(case=OuterRef("pk"), person__indexes__digest__in=digests)
    )


def _reachable(user, *, before: int | None = None) -> QuerySet[Case]:
    """Cases the user's agency or emergency access reaches, before seals and conflicts.

    Emergency grants and seals name a handful of cases: their ids are read first, so
    that the circle is the only subquery. (An OR of EXISTS subqueries cannot become a
    semi-join: PostgreSQL then hashes every circle row of the agency on each request,
    120-360 ms at a million cases.) `before` bounds the circle subquery as well as the
    case, so that a keyset page's semi-join starts at the page, not at the newest case.
    """
    circle = CircleMember.objects.filter(
        case=OuterRef("pk"), agency_id=user.agency_id, removed_at__isnull=True
    )
    if before is not None:
        circle = circle.filter(case_id__lt=before)
    reach = Q(Exists(circle))
    emergency = list(
        EmergencyAccess.objects.filter(
            user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
        ).values_list("case_id", flat=True)
    )
    if emergency:
        reach |= Q(pk__in=emergency)
    unsealed = Q(sealed=False)
    sealed_for_her = list(SealedAccess.objects.filter(user=user).values_list("case_id", flat=True))
    if sealed_for_her:
        unsealed |= Q(pk__in=sealed_for_her)
    cases = Case.objects.exclude(status=Case.Status.RETIRED).filter(reach).filter(unsealed)
    if before is not None:
        cases = cases.filter(pk__lt=before)
    return cases


def cases_visible_to(user, *, before: int | None = None) -> QuerySet[Case]:
    """The one scoped queryset of cases for lists, search, counts, exports and the API.

    `before`: only cases with a smaller id (a keyset page), bounded inside the policy."""
    if not user_has_capability(user, "case.view"):
        return Case.objects.none()
    cases = _reachable(user, before=before)
    digests = _conflict_digests(user)
    if digests:
        cases = cases.exclude(_involving(digests))
    return cases


def case_get_for_user(*, user, case_id, write: bool = False) -> Case:
    """The case, or 404 when the user may not see it. `write` also requires `case.edit`
    and an open case (403 then: the user can see the case but not change it)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    case = (
        cases_visible_to(user)
        .select_related("owning_agency", "coordinator__agency", "region")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        _note_conflicted_attempt(user, case_id)
        raise Http404
    if write and not (user_has_capability(user, "case.edit") and case.status == Case.Status.OPEN):
        raise PermissionDenied
    return case


def case_is_coordinating(*, user, case: Case) -> bool:
    """The coordinator herself, or a coordinator-capable user of the coordinator's agency."""
    if case.coordinator_id == user.pk:
        return True
    return user.agency_id == coordinating_agency_id(case) and user_has_capability(
        user, "case.coordinate"
    )


def case_share_allowed(*, user, case: Case) -> bool:
    """Sharing is a referral in one step: whoever may refer, or the coordinator."""
    return user_has_capability(user, "referral.send") or case_is_coordinating(user=user, case=case)


def coordinating_agency_id(case: Case) -> int:
    return case.coordinator.agency_id if case.coordinator_id else case.owning_agency_id


def case_location_visible(*, user, case: Case) -> bool:
    """The victim's address and shelter location: the coordinator's agency and the
    agencies the victim consented to (for that scope, and while the consent runs)."""
    if user.agency_id == coordinating_agency_id(case):
        return True
    return consents_in_force(case=case, scope="location", agency_id=user.agency_id).exists()


def consents_in_force(*, case: Case, scope: str, agency_id: int) -> QuerySet[Consent]:
    """Consents that let `agency_id` receive `scope` (one of Consent.SCOPES) today."""
    today = timezone.localdate()
    return Consent.objects.filter(
        case=case,
        withdrawn_at__isnull=True,
        given_on__lte=today,
        valid_until__gte=today,
        agencies__id=agency_id,
        **{f"share_{scope}": True},
    )


def case_involves_declared_relation(*, user, case_id: int) -> bool:
    """True when a person in the case matches someone the user declared a relation to."""
    digests = _conflict_digests(user)
    return bool(digests) and Case.objects.filter(pk=case_id).filter(_involving(digests)).exists()


def _note_conflicted_attempt(user, case_id: int) -> None:
    """A declared relation hid this case from her: the auditors hear of the attempt."""
    digests = _conflict_digests(user)
    if not digests or not user_has_capability(user, "case.view"):
        return
    hidden = _reachable(user).filter(pk=case_id).filter(_involving(digests)).first()
    if hidden is not None:
        from birge.cases.services import case_conflict_attempt_record

        case_conflict_attempt_record(user=user, case=hidden)
