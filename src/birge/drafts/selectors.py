import json

from django.conf import settings
from django.utils import timezone

from birge.drafts.models import FormDraft


def draft_fields(*, user, form: str) -> dict[str, list[str]] | None:
    """The person's own unsaved answers on this form page, or None (none, or expired and
    not yet removed by the job). Nobody reads another person's draft."""
    oldest = timezone.now() - settings.BIRGE_DRAFT_AGE
    draft = FormDraft.objects.filter(user=user, form=form, saved_at__gte=oldest).first()
    if draft is None:
        return None
    return json.loads(draft.fields)
