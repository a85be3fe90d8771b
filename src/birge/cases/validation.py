"""Rules for dates and people that forms, the API and services share."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birge.cases.models import ViolenceForm

OLDEST_AGE = 120


def validate_birth_date(value: date | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("A date of birth cannot be in the future."), code="future")
    if value.year < today.year - OLDEST_AGE:
        raise ValidationError(_("This date of birth is more than 120 years ago."), code="too_old")


def validate_incident_date(value: date, *, birth_date: date | None = None) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The incident cannot be in the future."), code="future")
    if birth_date and value < birth_date:
        raise ValidationError(
            _("The incident cannot be before the victim's date of birth."), code="before_birth"
        )


def validate_forms_of_violence(values) -> list[str]:
    allowed = set(ViolenceForm.values)
    values = list(dict.fromkeys(values or []))
    if not values:
        raise ValidationError(_("Choose at least one form of violence."), code="required")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError(_("Unknown form of violence."), code="invalid")
    return values


def validate_consent_dates(given_on: date, valid_until: date) -> None:
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given in the future.")})
    if valid_until < given_on:
        raise ValidationError({"valid_until": _("The end date is before the date it was given.")})
