"""Promises kept, over the API: the same figures, scope and suppression as the page
(birge.referrals.compliance.compliance_publish): a hidden figure is null and named in
the row's `suppressed`."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.referrals.compliance import compliance_figures, compliance_publish, compliance_scope
from birge.web.api import LineField
from birge.web.api_fields import CountField, RateField
from birge.web.api_schema import errors
from birge.web.replica import reads_from_replica


class ComplianceRowSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    service_kind = LineField()
    answered = CountField()
    answered_in_time = CountField()
    judged = CountField(help_text=_("Answered, or past the due time without an answer."))
    share_in_time = RateField(help_text=_("Percent of the judged; null also when none is."))
    median_hours = RateField(help_text=_("Null also when none is answered."))
    overdue = CountField()
    suppressed = serializers.ListField(
        child=serializers.CharField(), help_text=_("The names of the figures hidden.")
    )


class ComplianceView(APIView):
    """Per agency and service: referrals answered, share within the promised time,
    median response time, overdue now. Agency leads see their agency; the coordinating
    body sees all. Counts below the threshold, and what would give one away, are null."""

    @extend_schema(responses={200: ComplianceRowSerializer(many=True), **errors(404)})
    def get(self, request):
        agency = compliance_scope(request.user)
        rows = compliance_publish(reads_from_replica(compliance_figures)(agency=agency))
        return Response(ComplianceRowSerializer(rows, many=True).data)
