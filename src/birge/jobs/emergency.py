"""End emergency access grants whose time is up, with an audit event, once each."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from birge.audit.services import event_record
from birge.cases.models import EmergencyAccess

BATCH = 200


def emergency_access_expiry(now: datetime | None = None) -> int:
    """Record `case.emergency_access.ended` (data: expired) for each grant past its
    expiry that nobody ended, and set its ended_at to the expiry. Returns how many."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            grants = list(
                EmergencyAccess.objects.select_for_update(skip_locked=True)
                .filter(ended_at__isnull=True, expires_at__lte=now)
                .order_by("pk")
                .only("pk", "case_id", "expires_at")[:BATCH]
            )
            if not grants:
                return done
            for grant in grants:
                grant.ended_at = grant.expires_at
                grant.save(update_fields=["ended_at"])
                event_record(
                    action="case.emergency_access.ended",
                    object_type="case",
                    object_id=grant.case_id,
                    data={"grant": grant.pk, "expired": True},
                )
            done += len(grants)
