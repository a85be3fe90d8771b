"""What the conference services share: the chair check, optimistic updates, text limits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from birge.conferences.selectors import series_is_chair
from birge.privacy.fields import encrypted_for_row

TEXT_MAX_LENGTH = 4000


class StaleError(ValidationError):
    def __init__(self):
        super().__init__(
            _("Someone else changed this meanwhile. Reload the page and try again."),
            code="stale",
        )


def require_chair(actor, series) -> None:
    if not series_is_chair(user=actor, series=series):
        raise PermissionDenied


def update_versioned(obj, *, version: int | None = None, statuses=None, **changes) -> None:
    """Save `changes` only if nobody changed the row since it was read (and, with
    `statuses`, only from one of them); refuse a stale version."""
    expected = obj.version if version is None else version
    rows = type(obj).objects.filter(pk=obj.pk, version=expected)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    if not rows.update(
        version=F("version") + 1, **encrypted_for_row(type(obj), pk=obj.pk, **changes)
    ):
        raise StaleError
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.version = expected + 1


def clean_text(value: str, field: str, missing: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: missing})
    if len(value) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("Keep this within %(max)d characters (it has %(n)d).")
                % {"max": TEXT_MAX_LENGTH, "n": len(value)}
            }
        )
    return value
