"""What the conferences API shares: bounded ids and texts in bodies, a stale version as
a 409, and the chair's and administrators' checks made before any id in a body is
resolved."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from birge.agencies.selectors import user_has_capability
from birge.conferences import selectors
from birge.conferences.models import (
    ConferenceSeries,
)
from birge.web.api import TextField, service_error

MAX_ID = 2**62
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _id(**kwargs) -> serializers.IntegerField:
    """A database id in a body: never one the database cannot hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _text(**kwargs) -> serializers.CharField:
    """A text the service checks (and explains when it is missing or too long)."""
    return TextField(required=False, allow_blank=True, default="", **kwargs)


def _call(service, **kwargs):
    """One service call; a stale version is a 409."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if getattr(error, "code", "") == "stale":
            raise service_error(error) from None
        raise


def _require_chair(user, series: ConferenceSeries) -> None:
    """Checked before ids in the body are resolved: a member learns nothing from them."""
    if not selectors.series_is_chair(user=user, series=series):
        raise PermissionDenied


def _require_admin(user) -> None:
    """Series settings are the administrators': checked before the body is read."""
    if not user_has_capability(user, "agencies.manage"):
        raise PermissionDenied
