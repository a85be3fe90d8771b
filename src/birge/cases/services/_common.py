from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import coordinating_agency_id
from birge.agencies.models import Agency
from birge.agencies.selectors import users_with_capability
from birge.cases.models import Case
from birge.privacy.fields import encrypted_for_row


def case_coordinators(case: Case) -> list:
    """Who hears about a case as its coordinator: the named coordinator, or while there is
    none (a frontline officer opened it), the coordinating agency's case coordinators."""

    if case.coordinator is not None and case.coordinator.is_active:
        return [case.coordinator]
    return list(users_with_capability("case.coordinate", agency_id=coordinating_agency_id(case)))


def case_escalation_recipients(case: Case) -> list:
    """Who hears that a case escalated: its coordinators; while it has none (a police
    officer opened it, in an agency without case coordinators), the lead(s) of its
    owning agency; failing those too, the coordinating body. Never nobody."""
    return (
        case_coordinators(case)
        or list(users_with_capability("agency.oversee", agency_id=case.owning_agency_id))
        or coordinating_body_overseers()
    )


def coordinating_body_overseers() -> list:
    """The national coordinating body's leads (`agency.oversee`) and those who keep the
    co-operation protocol (`protocol.manage`), as overdue referrals reach it; never its
    analysts, who see aggregates only."""
    overseers = users_with_capability("agency.oversee") | users_with_capability("protocol.manage")
    return list(
        overseers.filter(agency__kind=Agency.Kind.COORDINATING_BODY).distinct().order_by("pk")
    )


def case_touch(case: Case, *, expected_version: int | None = None, **changes) -> None:
    """Save changes to a case and move its version on.

    With `expected_version` (what the user saw, for an edit of the case's own fields) a
    change that came in between refuses hers, rather than her change overwriting it.
    Without it (an append: an incident, a person, a plan) nothing she saw can go stale:
    the case's row is locked until the transaction ends, so appends queue behind one
    another instead of failing, and the version moves on by one for each."""
    changes.setdefault("updated_at", timezone.now())
    if expected_version is None:
        version = (
            Case.objects.select_for_update().filter(pk=case.pk).values_list("version", flat=True)
        ).get()
    else:
        version = expected_version
    updated = Case.objects.filter(pk=case.pk, version=version).update(
        version=F("version") + 1, **encrypted_for_row(Case, pk=case.pk, **changes)
    )
    if not updated:
        raise StaleCaseError
    for name, value in changes.items():
        setattr(case, name, value)
    case.version = version + 1


class StaleCaseError(ValidationError):
    def __init__(self):
        super().__init__(
            _("Someone else changed this case meanwhile. Reload it and make your change again."),
            code="stale",
        )
