"""Drafts are not records: saving one writes no audit event (nothing is shared, nobody
else can read it, and it disappears on submit or after BIRGE_DRAFT_AGE). What is typed
is encrypted at rest and never logged."""

import json
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from birge.drafts.models import FormDraft


def draft_save(*, user, form: str, fields: dict[str, list[str]]) -> FormDraft:
    draft, _ = FormDraft.objects.update_or_create(
        user=user,
        form=form,
        defaults={"fields": json.dumps(fields, ensure_ascii=False), "saved_at": timezone.now()},
    )
    return draft


def draft_discard(*, user, form: str) -> int:
    """Once the form is saved for real its draft goes."""
    deleted, _ = FormDraft.objects.filter(user=user, form=form).delete()
    return deleted


def drafts_expire(*, now: datetime | None = None) -> int:
    """Forget drafts older than BIRGE_DRAFT_AGE; the job `draft_expiry` runs it."""
    oldest = (now or timezone.now()) - settings.BIRGE_DRAFT_AGE
    deleted, _ = FormDraft.objects.filter(saved_at__lt=oldest).delete()
    return deleted
