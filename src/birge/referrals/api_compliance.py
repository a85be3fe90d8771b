"""Promises kept, over the API: the same figures and scope as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.referrals.compliance import compliance_figures, compliance_scope
from birge.web.api import LineField
from birge.web.api_schema import errors
from birge.web.replica import reads_from_replica


class ComplianceRowSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    service_kind = LineField()
    answered = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    judged = serializers.IntegerField()
    share_in_time = serializers.FloatField(allow_null=True)
    median_hours = serializers.FloatField(allow_null=True)
    overdue = serializers.IntegerField()


class ComplianceView(APIView):
    """Per agency and service: referrals answered, share within the promised time,
    median response time, overdue now. Agency leads see their agency; the coordinating
    body sees all."""

    @extend_schema(responses={200: ComplianceRowSerializer(many=True), **errors(404)})
    def get(self, request):
        agency = compliance_scope(request.user)
        rows = reads_from_replica(compliance_figures)(agency=agency)
        return Response(ComplianceRowSerializer(rows, many=True).data)
