"""Serializer fields the API's modules share."""

from rest_framework import serializers

# The largest id a 64-bit column holds (SQLite and PostgreSQL alike); the same bound as
# birge.privacy.ids.MAX_ID, which web, beside privacy at the bottom, does not import.
ID_MAX = 2**63 - 1


class IdField(serializers.IntegerField):
    """A database id in a body or a query: 1 to ID_MAX, else a field error.

    A larger number is not an id that does not exist but one no column can hold: SQLite's
    driver raises OverflowError on it, which would be a server error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)
