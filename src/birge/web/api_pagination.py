"""Keyset pages, the API's one way of listing what grows: newest first, `before` the last
id seen, and the answer `{"results": [...], "next_before": id or null}`."""

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from birge.web.api_fields import ID_MAX, IdField

PAGE_SIZE = 50


class KeysetQuerySerializer(serializers.Serializer):
    before = IdField(required=False)


class KeysetPagination(BasePagination):
    """Set as a list view's `pagination_class`: the schema then documents the page."""

    page_size = PAGE_SIZE
    next_before: int | None = None

    def before(self, request) -> int | None:
        """The `before` query parameter (empty: the first page); a 400 with a field error
        when it is no id."""
        if not request.query_params.get("before", ""):
            return None
        query = KeysetQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("before")

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list:
        before = self.before(request)
        if before is not None:
            queryset = queryset.filter(pk__lt=before)
        page = list(queryset.order_by("-pk")[: self.page_size + 1])
        self.next_before = page[self.page_size - 1].pk if len(page) > self.page_size else None
        return page[: self.page_size]

    def get_paginated_response(self, data) -> Response:
        return self.page_response(data, next_before=self.next_before)

    @staticmethod
    def page_response(results, *, next_before: int | None) -> Response:
        return Response({"results": results, "next_before": next_before})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["results", "next_before"],
            "properties": {
                "results": schema,
                "next_before": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": ID_MAX,
                    "nullable": True,
                    "description": "Pass as `before` for the next page; null on the last page.",
                },
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "before",
                "in": "query",
                "required": False,
                "description": "Return what is older than this id (the last one you saw).",
                "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
            }
        ]
