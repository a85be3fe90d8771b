"""Who may see which case: the one place that decides.

A case is visible to a user when all of these hold:

1. her role grants `case.view` (analysts and auditors never open a case);
2. the case is not retired;
3. her agency is in the case's circle, or she holds unexpired emergency access to it;
4. the case is not sealed, or she is one of the users named on the seal;
5. no person in the case matches a person she declared a relation to.

Each condition is a predicate of `birge.access.predicates`, written once and composed here
and in the rules for what derives from a case (`.referrals`, `.conferences`). Everything
else in Birge asks here: pages, API, exports, search and counts. Outside the circle a case
does not exist: the same 404 as for a case that was never there, and the refusal is
recorded (`birge.access.trail`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birge.access import predicates as p
from birge.access.registry import Record, models
from birge.access.trail import access_denied_record, conflict_attempt_record
from birge.agencies.models import User
from birge.agencies.selectors import user_has_capability

RETIRED = "retired"
OPEN = "open"
HIGH_RISK = ("high", "critical")


def may_open_cases(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active) and (
        user_has_capability(user, "case.view")
    )


def case_visible(user: User, path: str = "", *, before: int | None = None) -> Q:
    """The whole rule as a `Q` over anything that leads to a case by `path`."""
    if not may_open_cases(user):
        return p.NOTHING
    return (
        p.reachable(user, path, before=before)
        & p.not_retired(path)
        & p.unsealed_for(user, path)
        & p.no_declared_relation(user, path)
    )


def cases_visible_to(user: User, *, before: int | None = None) -> QuerySet:
    """The one scoped queryset of cases for lists, search, counts, exports and the API.

    `before`: only cases with a smaller id (a keyset page), bounded inside the policy."""
    cases = models.case.objects.filter(case_visible(user, before=before))
    if before is not None:
        cases = cases.filter(pk__lt=before)
    return cases


def case_get_for_user(*, user: User, case_id: int | str, write: bool = False) -> Model:
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
        _refused(user, int(case_id))
        raise Http404
    if write and not (user_has_capability(user, "case.edit") and case.status == OPEN):
        raise PermissionDenied
    return case


def case_is_coordinating(*, user: User, case: Record) -> bool:
    """The coordinator herself, or a coordinator-capable user of the coordinator's agency."""
    if case.coordinator_id == user.pk:
        return True
    return user.agency_id == coordinating_agency_id(case) and user_has_capability(
        user, "case.coordinate"
    )


def case_share_allowed(*, user: User, case: Record) -> bool:
    """Sharing is a referral in one step: whoever may refer, or the coordinator."""
    return user_has_capability(user, "referral.send") or case_is_coordinating(user=user, case=case)


def coordinating_agency_id(case: Record) -> int:
    return case.coordinator.agency_id if case.coordinator_id else case.owning_agency_id


def consents_in_force(*, case: Record, agency_id: int, scope: str = "") -> QuerySet:
    """Consents that let `agency_id` receive `scope` (one of the consent's scopes; any,
    when not given) today."""
    today = timezone.localdate()
    return models.consent.objects.filter(
        case=case,
        withdrawn_at__isnull=True,
        given_on__lte=today,
        valid_until__gte=today,
        agencies__id=agency_id,
        **({f"share_{scope}": True} if scope else {}),
    )


def case_involves_declared_relation(*, user: User, case_id: int) -> bool:
    """True when a person in the case matches someone the user declared a relation to."""
    digests = p.declared_digests(user)
    return (
        bool(digests)
        and models.case.objects.filter(pk=case_id).filter(p.involving(digests)).exists()
    )


def case_for_emergency_access(*, user: User, case_id: int | None) -> Record | None:
    """The case she may open in an emergency, or None: it must exist, not be retired, not
    be sealed and not involve a person she declared a relation to (the auditors hear of
    that attempt); she learns nothing more than for a missing case either way."""
    if case_id is None or not user_has_capability(user, "case.emergency_access"):
        return None
    case = (
        models.case.objects.filter(p.not_retired(), pk=case_id)
        .select_related("coordinator")
        .first()
    )
    if case is None or case.sealed:
        return None
    if case_involves_declared_relation(user=user, case_id=case.pk):
        conflict_attempt_record(user=user, case=case)
        return None
    return case


def _refused(user: User, case_id: int) -> None:
    """A declared relation hid this case from her: the auditors hear of the attempt.
    Otherwise the refusal is recorded like any other."""
    digests = p.declared_digests(user)
    if digests and may_open_cases(user):
        hidden = (
            models.case.objects.filter(
                p.reachable(user) & p.not_retired() & p.unsealed_for(user), pk=case_id
            )
            .filter(p.involving(digests))
            .first()
        )
        if hidden is not None:
            conflict_attempt_record(user=user, case=hidden)
            return
    access_denied_record(user=user, object_type="case", object_id=case_id)
