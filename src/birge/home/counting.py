"""Counting several querysets in one query (the header asks on every page)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def counts(**querysets: QuerySet) -> dict[str, int]:
    """How many rows each queryset has, in one query (the header asks on every page)."""
    if not querysets:
        return {}
    columns, params = [], []
    for number, queryset in enumerate(querysets.values()):
        try:
            sql, query_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # a queryset that can hold nothing (`.none()`)
            columns.append("0")
            continue
        # The SQL is Django's own compilation of the queryset, its values are parameters.
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS counted_{number})")  # noqa: S608
        params.extend(query_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)
        row = cursor.fetchone()
    return dict(zip(querysets, row, strict=True))
