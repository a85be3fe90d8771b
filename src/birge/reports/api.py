"""The statistics over the API: the same slices, scope and suppression as the page. A
hidden figure is `null` with `suppressed: true`, never its value."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.reports.selectors import statistics_scope
from birge.reports.statistics import (
    ALL,
    TABLES,
    Period,
    periods,
    publication_for,
    regions_slice,
    table_slice,
)
from birge.web.api_schema import errors
from birge.web.replica import reads_from_replica


class StatisticsQuerySerializer(serializers.Serializer):
    period = serializers.CharField(
        required=False,
        help_text="A year (2026) or a quarter (2026-Q2); the newest year if left out.",
    )
    region = serializers.IntegerField(
        required=False, min_value=0, help_text="A region's id; all regions if left out."
    )

    def validate_period(self, value: str) -> Period:
        period = Period.parse(value)
        if period is None:
            raise serializers.ValidationError(_("A year (2026) or a quarter (2026-Q2)."))
        return period


class FigureSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


def _figure(figure) -> dict:
    shown = figure.shown and figure.value is not None
    return {"value": int(figure.value) if shown else None, "suppressed": not shown}


class RowSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    cases = FigureSerializer()


class TableSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    rows = RowSerializer(many=True)
    total = FigureSerializer(allow_null=True)
    median_days = FigureSerializer(allow_null=True)


class RegionRowSerializer(serializers.Serializer):
    region = serializers.IntegerField()
    cases = FigureSerializer()


class StatisticsSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField(allow_null=True)
    min_cell = serializers.IntegerField()
    period = serializers.CharField()
    region = serializers.IntegerField(allow_null=True)
    periods = serializers.ListField(child=serializers.CharField())
    tables = TableSerializer(many=True)
    regions = RegionRowSerializer(many=True)


class StatisticsView(APIView):
    """Cases opened per period (a year or a quarter) and region: by status, victims' and
    perpetrators' sex and age, relationship, forms of violence, children, the agency that
    opened the case, risk levels, repeat incidents, days to the first assessment and
    referral, referral pathways, protection orders, proceedings (the latest one's stage or
    outcome) and perpetrator programmes. The coordinating body's analysts see the country,
    agency leads the cases their agency opened; counts below the threshold are suppressed
    with whatever would give them away."""

    @extend_schema(
        parameters=[StatisticsQuerySerializer],
        responses={200: StatisticsSerializer, **errors(400, 404)},
    )
    def get(self, request):
        scope = statistics_scope(request.user)
        query = StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        publication = reads_from_replica(publication_for)(agency_id=scope)
        choices = periods(publication)
        period = query.validated_data.get("period") or (
            choices[0] if choices else Period(timezone.localdate().year)
        )
        region = query.validated_data.get("region") or ALL
        tables = [table_slice(publication, spec.code, period, region) for spec in TABLES]
        data = {
            "as_of": publication.as_of,
            "min_cell": publication.min_cell,
            "period": period.code,
            "region": region or None,
            "periods": [p.code for p in choices],
            "tables": [
                {
                    "code": table.spec.code,
                    "title": str(table.spec.title),
                    "rows": [
                        {"category": row.code, "label": row.label, "cases": _figure(row.figure)}
                        for row in table.rows
                    ],
                    "total": None if table.total is None else _figure(table.total),
                    "median_days": None if table.median is None else _figure(table.median),
                }
                for table in tables
            ],
            "regions": (
                [
                    {"region": pk, "cases": _figure(figure)}
                    for pk, figure in regions_slice(publication, period)
                ]
                if region == ALL
                else []
            ),
        }
        return Response(StatisticsSerializer(data).data)
