"""Setting up a conference series: administrators (`agencies.manage`) do it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from birge.agencies.selectors import user_has_capability
from birge.audit.services import event_record
from birge.conferences.models import ConferenceSeries
from birge.conferences.services.queue import series_adopt_waiting

FIELDS = (
    "code",
    "name_az",
    "name_ru",
    "name_en",
    "region",
    "chair",
    "cadence",
    "quorum",
    "minutes_per_case",
    "confidentiality_az",
    "confidentiality_ru",
    "confidentiality_en",
    "legal_basis",
    "adult_women_population",
    "is_active",
)


def series_save(
    *, actor, data: dict, members, series: ConferenceSeries | None = None
) -> ConferenceSeries:
    """Create or change a series from cleaned data (the form's or the API's)."""
    if not user_has_capability(actor, "agencies.manage"):
        raise PermissionDenied
    members = list(members)
    chair = data.get("chair")
    errors = {}
    if chair is not None and not (
        chair.is_active and user_has_capability(chair, "conference.chair")
    ):
        errors["chair"] = _("The chair must be an active user whose role may chair conferences.")
    if not members:
        errors["members"] = _("Choose the member agencies.")
    quorum = data.get("quorum")
    if quorum is not None and members and not 1 <= quorum <= len(members):
        errors["quorum"] = _("The quorum is between 1 and the number of member agencies.")
    if errors:
        raise ValidationError(errors)
    created = series is None
    series = series or ConferenceSeries()
    for name in FIELDS:
        if name in data:
            setattr(series, name, data[name])
    with transaction.atomic():
        try:
            with transaction.atomic():
                series.save()
        except IntegrityError:  # the same code, saved by someone else a moment before
            raise ValidationError({"code": _("Another conference series has this code.")}) from None
        series.members.set(members)
        # Cases of the area that met a criterion while no conference covered it.
        series_adopt_waiting(series, actor=actor)
        event_record(
            action="conference.series_created" if created else "conference.series_changed",
            actor=actor,
            object_type="conference_series",
            object_id=series.pk,
            data={"members": sorted(m.pk for m in members), "chair": series.chair_id},
        )
    return series
