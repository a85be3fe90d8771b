"""Serializer fields the API's modules share."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# The largest id a 64-bit column holds (SQLite and PostgreSQL alike); the same bound as
# birge.privacy.ids.MAX_ID (web, just above privacy, could import it; kept on its own).
ID_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """A database id in a body or a query: 1 to ID_MAX, else a field error.

    A larger number is not an id that does not exist but one no column can hold: SQLite's
    driver raises OverflowError on it, which would be a server error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


class FigureField(serializers.Field):
    """A birge.privacy.disclosure Figure: its value, or null when it is hidden (its name
    is then in the answer's `suppressed`)."""

    def to_representation(self, figure):
        return None if figure is None or not figure.shown else figure.value


@extend_schema_field({"type": "integer", "nullable": True})
class CountField(FigureField):
    pass


@extend_schema_field({"type": "number", "format": "double", "nullable": True})
class RateField(FigureField):
    pass
