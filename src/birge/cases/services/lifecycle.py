"""A case's life: coordinator, closing, retiring, and anonymising at the end. (Its risk
level is set by birge.risk alone, through one rule.)"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import case_is_coordinating
from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.cases.models import Case
from birge.cases.services._common import case_escalation_recipients, case_touch
from birge.notifications.services import notify
from birge.privacy.retention import forget_cases


def _require_coordination(actor, case: Case) -> None:
    if not case_is_coordinating(user=actor, case=case):
        raise PermissionDenied


def case_update(*, actor, case: Case, version: int, coordinator=None) -> Case:
    """Change who coordinates the case (a coordinator-capable user of the owning agency)."""
    _require_coordination(actor, case)
    if coordinator is not None and not (
        coordinator.is_active
        and coordinator.agency_id == case.owning_agency_id
        and user_has_capability(coordinator, "case.coordinate")
    ):
        raise ValidationError(
            {"coordinator": _("The coordinator must be a case coordinator of the owning agency.")}
        )
    with transaction.atomic():
        previous = case.coordinator_id
        case_touch(case, expected_version=version, coordinator=coordinator)
        event_record(
            action="case.updated",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"coordinator": [previous, coordinator.pk if coordinator else None]},
        )
        if coordinator is not None and coordinator.pk not in (previous, actor.pk):
            notify(
                recipients=[coordinator],
                kind="case.coordinator_assigned",
                params={"reference": case.reference},
                url=f"/cases/{case.pk}/",
                dedupe_key=f"coordinator:{case.pk}:{case.version}",
            )
    return case


def _status_change(*, actor, case: Case, action: str, reason: str, **changes) -> Case:
    if not reason.strip():
        raise ValidationError({"reason": _("Write the reason.")})
    with transaction.atomic():
        # Decided on the case as the user saw it: a change meanwhile refuses this one.
        case_touch(case, expected_version=case.version, **changes)
        event_record(
            action=action, actor=actor, object_type="case", object_id=case.pk, reason=reason
        )
    return case


def case_close(*, actor, case: Case, reason: str) -> Case:
    _require_coordination(actor, case)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("Only an open case can be closed."))
    return _status_change(
        actor=actor,
        case=case,
        action="case.closed",
        reason=reason,
        status=Case.Status.CLOSED,
        closed_at=timezone.now(),
    )


def case_reopen(*, actor, case: Case, reason: str) -> Case:
    _require_coordination(actor, case)
    if case.status != Case.Status.CLOSED or case.anonymised_at:
        raise ValidationError(_("Only a closed case that was not anonymised can be reopened."))
    return _status_change(
        actor=actor,
        case=case,
        action="case.reopened",
        reason=reason,
        status=Case.Status.OPEN,
        closed_at=None,
    )


def case_retire(*, actor, case: Case, reason: str) -> Case:
    """Retiring takes a case out of every list and page; an administrator can restore it."""
    if not (
        case_is_coordinating(user=actor, case=case) or user_has_capability(actor, "agencies.manage")
    ):
        raise PermissionDenied
    if case.status == Case.Status.RETIRED:
        raise ValidationError(_("This case is already retired."))
    return _status_change(
        actor=actor,
        case=case,
        action="case.retired",
        reason=reason,
        status=Case.Status.RETIRED,
        retired_at=timezone.now(),
    )


def case_restore(*, actor, case: Case, reason: str) -> Case:
    if not user_has_capability(actor, "agencies.manage"):
        raise PermissionDenied
    if case.status != Case.Status.RETIRED:
        raise ValidationError(_("Only a retired case can be restored."))
    status = Case.Status.CLOSED if case.closed_at else Case.Status.OPEN
    return _status_change(
        actor=actor,
        case=case,
        action="case.restored",
        reason=reason,
        status=status,
        retired_at=None,
    )


ESCALATION_TRIGGERS = ("new_incident", "repeated_incidents", "rising_level", "order_breach")


def case_escalate(*, case: Case, trigger: str, actor=None, recipients: list | None = None) -> None:
    """Escalation: the next risk assessment is due now and the coordinator is told (with
    no coordinator, the owning agency's lead: `case_escalation_recipients`).

    Triggers: a new incident, the third incident within 12 months, a rising risk level,
    a breach of a protection order. Raised once per case, trigger and day. `recipients`:
    `case_escalation_recipients(case)`, when the caller already has them."""
    if trigger not in ESCALATION_TRIGGERS:
        raise ValueError(f"unknown escalation trigger {trigger!r}")
    now = timezone.now()
    with transaction.atomic():
        case_touch(case, reassessment_due_at=now)
        event_record(
            action="case.escalated",
            actor=actor,
            object_type="case",
            object_id=case.pk,
            data={"trigger": trigger},
        )
        notify(
            recipients=case_escalation_recipients(case) if recipients is None else recipients,
            kind=f"case.escalated.{trigger}",
            params={"reference": case.reference},
            url=f"/cases/{case.pk}/",
            dedupe_key=f"escalated:{case.pk}:{trigger}:{timezone.localdate().isoformat()}",
        )


def cases_anonymise_expired(*, now=None, batch_size: int = 500) -> int:
    """Anonymise cases closed longer than BIRGE_RETENTION_DAYS: what every app declared in
    the retention register (birge.privacy.retention) goes — names, contacts, places,
    narratives, plans, reasons; what statistics need (dates, region, forms of violence,
    parts, relationships, ages) stays. Safe to run twice, and by two servers at once."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.BIRGE_RETENTION_DAYS)
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                Case.objects.select_for_update(skip_locked=True)
                .filter(closed_at__lt=cutoff, anonymised_at__isnull=True)
                .exclude(status=Case.Status.OPEN)
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return done
            forget_cases(ids, now=now)
            for case_id in ids:
                event_record(action="case.anonymised", object_type="case", object_id=case_id)
            done += len(ids)
