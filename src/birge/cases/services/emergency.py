"""Emergency access: a case outside the circle, for a few hours, with a written reason."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from birge.access.cases import case_for_emergency_access, cases_visible_to
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.audit.services import event_record
from birge.cases.models import Case, EmergencyAccess
from birge.cases.services._common import case_coordinators
from birge.notifications.services import notify

MIN_REASON = 20


def emergency_access_start(*, user, reference: str, reason: str) -> EmergencyAccess:
    if not user_has_capability(user, "case.emergency_access"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ValidationError(
            {"reason": _("Write the reason in at least 20 characters; auditors review it.")}
        )
    case_id = Case.id_from_reference(reference or "")
    if case_id is not None and cases_visible_to(user).filter(pk=case_id).exists():
        raise ValidationError({"reference": _("You can already open this case.")})
    case = case_for_emergency_access(user=user, case_id=case_id)
    if case is None:
        raise ValidationError({"reference": _("No open case has this reference.")})
    now = timezone.now()
    with transaction.atomic():
        grant = EmergencyAccess.objects.create(
            case=case,
            user=user,
            reason=reason,
            started_at=now,
            expires_at=now + timedelta(hours=settings.BIRGE_EMERGENCY_ACCESS_HOURS),
        )
        event_record(
            action="case.emergency_access.started",
            actor=user,
            object_type="case",
            object_id=case.pk,
            reason=reason,
            data={"grant": grant.pk, "expires_at": grant.expires_at.isoformat()},
        )
        params = {"reference": case.reference, "agency_id": user.agency_id}
        notify(
            recipients=case_coordinators(case),
            kind="case.emergency_access",
            params=params,
            url=f"/cases/{case.pk}/",
            dedupe_key=f"emergency:{grant.pk}",
        )
        notify(
            recipients=users_with_capability("audit.read"),
            kind="audit.emergency_access",
            params=params,
            url="/audit/emergency/",
            dedupe_key=f"emergency-audit:{grant.pk}",
        )
    return grant


def emergency_access_end(*, user, grant: EmergencyAccess) -> None:
    if grant.user_id != user.pk or grant.ended_at:
        raise ValidationError(_("This emergency access has already ended."))
    with transaction.atomic():
        grant.ended_at = min(timezone.now(), grant.expires_at)
        grant.save(update_fields=["ended_at"])
        event_record(
            action="case.emergency_access.ended",
            actor=user,
            object_type="case",
            object_id=grant.case_id,
            data={"grant": grant.pk},
        )


def emergency_access_review(*, auditor, grant: EmergencyAccess, note: str) -> None:
    if not user_has_capability(auditor, "audit.read"):
        raise PermissionDenied
    if grant.reviewed_at:
        raise ValidationError(_("This emergency access has already been reviewed."))
    if not note.strip():
        raise ValidationError({"note": _("Write what you found.")})
    with transaction.atomic():
        grant.reviewed_by = auditor
        grant.reviewed_at = timezone.now()
        grant.review_note = note
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        event_record(
            action="case.emergency_access.reviewed",
            actor=auditor,
            object_type="case",
            object_id=grant.case_id,
            reason=note,
            data={"grant": grant.pk},
        )
