"""The accountability figures over the API: the same figures and scope as the page."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.agencies.models import Region
from birge.conferences.api.serializers import ConferenceFiguresQuerySerializer
from birge.justice.figures import REGION_COLUMNS, figures_scope, published_accountability
from birge.web.api import LineField
from birge.web.api_fields import CountField, RateField
from birge.web.api_schema import errors
from birge.web.replica import reads_from_replica


class AccountabilityQuerySerializer(ConferenceFiguresQuerySerializer):
    """The conference figures' period, and a region."""

    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, help_text=_("A region's id.")
    )


class AccountabilityCountsSerializer(serializers.Serializer):
    orders_applied = CountField()
    orders_issued = CountField()
    orders_served = CountField()
    orders_breached = CountField()
    breaches = CountField()
    breaches_sanctioned = CountField()
    sanctioned_rate = RateField(help_text=_("Percent of the breaches."))
    days_to_order = RateField(help_text=_("Median days from the incident to the order."))
    complaints = CountField()
    charged = CountField()
    convicted = CountField()
    charge_rate = RateField(help_text=_("Percent of the complaints."))
    conviction_rate = RateField(help_text=_("Percent of those charged."))
    programmes_referred = CountField()
    programmes_completed = CountField()
    programmes_dropped_out = CountField()
    programmes_not_started = CountField()
    programmes_ongoing = CountField()
    completion_rate = RateField(help_text=_("Percent of the programmes that ended."))


class AccountabilityRegionSerializer(serializers.Serializer):
    region = serializers.IntegerField(source="region_id")
    name = LineField(source="region_name")

    def to_representation(self, row):
        data = super().to_representation(row)
        for column in REGION_COLUMNS:
            cell = row.cells[column]
            data[column] = cell.value if cell.shown else None
        return data


class AccountabilitySerializer(serializers.Serializer):
    """Aggregates only: no case, no person. Counts below `min_cell`, and every number that
    would give one away, are null and named in `suppressed`."""

    since = serializers.DateField()
    until = serializers.DateField()
    min_cell = serializers.IntegerField(help_text=_("Counts below this are hidden."))
    agency = serializers.IntegerField(
        source="agency_id", allow_null=True, help_text=_("Null: every agency's records.")
    )
    region = serializers.IntegerField(source="region_id", allow_null=True)
    suppressed = serializers.ListField(
        child=serializers.CharField(), help_text=_("The names of the figures hidden.")
    )
    figures = AccountabilityCountsSerializer()
    regions = AccountabilityRegionSerializer(many=True)


class AccountabilityView(APIView):
    @extend_schema(
        parameters=[AccountabilityQuerySerializer],
        responses={200: AccountabilitySerializer, **errors(400, 404)},
        description=(
            "Orders, breaches, attrition from complaint to conviction and programmes over a "
            "period: the coordinating body sees every agency's records (by region), an agency "
            "lead her agency's."
        ),
    )
    def get(self, request):
        agency = figures_scope(request.user)
        query = AccountabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data
        published = reads_from_replica(published_accountability)(
            agency=agency,
            region=period.get("region"),
            since=period.get("since"),
            until=period.get("until"),
        )
        return Response(AccountabilitySerializer(published).data)
