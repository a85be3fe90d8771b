"""A perpetrator across cases, over the API: the same page as on screen."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.justice.perpetrators import perpetrator_get_for_user
from birge.justice.services.perpetrators import perpetrator_view_record
from birge.web.api import LineField
from birge.web.api_schema import errors


class PerpetratorOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_type = LineField()
    status = LineField()
    ends_on = serializers.DateField(allow_null=True)


class PerpetratorProceedingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = LineField()
    stage = LineField()
    outcome = LineField()


class PerpetratorProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = LineField()


class PerpetratorCaseSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case.pk")
    reference = LineField(source="case.reference")
    status = LineField(source="case.status")
    risk_level = LineField(source="case.risk_level")
    opened_at = serializers.DateTimeField(source="case.opened_at")
    part = LineField()
    relationship = LineField()
    orders = PerpetratorOrderSerializer(many=True)
    proceedings = PerpetratorProceedingSerializer(many=True)
    programmes = PerpetratorProgrammeSerializer(many=True)


class PerpetratorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="participant.pk")
    case = serializers.IntegerField(source="participant.case_id")
    name = LineField(source="participant.person.full_name")
    cases = PerpetratorCaseSerializer(many=True, help_text=_("His cases your agency may see."))
    hidden_cases = serializers.IntegerField(
        source="hidden_count", help_text=_("His other cases your agency cannot see.")
    )
    other_victim_cases = serializers.IntegerField(
        help_text=_("His cases, seen or not, with a victim other than this case's.")
    )
    serial = serializers.BooleanField()


class PerpetratorDetailView(APIView):
    @extend_schema(
        responses={200: PerpetratorSerializer, **errors(404)},
        description=(
            "A perpetrator of a case (his part in it) across cases: the cases your agency "
            "may see, how many others there are, and whether he is known as the perpetrator "
            "of other victims. 404 unless you may see the case."
        ),
    )
    def get(self, request, perpetrator_id: int):
        page = perpetrator_get_for_user(user=request.user, perpetrator_id=perpetrator_id)
        perpetrator_view_record(user=request.user, page=page, channel="api")
        return Response(PerpetratorSerializer(page).data)
