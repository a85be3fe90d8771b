"""Risk assessments over the API: the same services and access policy as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.access.fields import HIDDEN, case_scopes
from birge.agencies.selectors import user_has_capability
from birge.cases.models import RiskLevel
from birge.cases.services import case_view_record
from birge.risk import selectors, services
from birge.risk.engine import ANSWERS
from birge.risk.models import InstrumentVersion, RiskAssessment
from birge.web.api import TextField


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    instrument = serializers.CharField(
        source="instrument_version.instrument_id",
        read_only=True,
        allow_null=True,
        help_text="Instrument id; null for a level set by professional judgement alone.",
    )
    instrument_version = serializers.CharField(
        source="instrument_version.version", read_only=True, allow_null=True
    )
    instrument_name = serializers.CharField(
        source="method_name",
        read_only=True,
        help_text='The instrument\'s name in your language, or "Professional judgement".',
    )
    status = serializers.CharField(
        read_only=True,
        help_text="draft, submitted, pending_approval (a level lower than the one in force "
        "waits for a professional of another agency in the case's circle) or superseded (a "
        "later assessment was submitted while it waited).",
    )
    answers = serializers.SerializerMethodField(
        help_text="{item: answer}; null for an item the victim's consent does not let your "
        "agency see (its scope, e.g. health), which is then named in `hidden`."
    )
    hidden = serializers.SerializerMethodField()
    victim_fear = serializers.ChoiceField(choices=RiskAssessment.Fear.choices)
    score = serializers.FloatField(read_only=True, allow_null=True)
    computed_level = serializers.CharField(read_only=True)
    final_level = serializers.CharField(read_only=True)
    reasons = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)

    def _hidden(self) -> frozenset[str]:
        return self.context.get("hidden", frozenset())

    def get_answers(self, assessment) -> dict[str, str | None]:
        given = selectors.assessment_answers(assessment, hidden=self._hidden())
        return {item: None if answer is HIDDEN else answer for item, answer in given.items()}

    def get_hidden(self, assessment) -> list[str]:
        return [f"answers.{item}" for item in sorted(self._hidden() & set(assessment.answers))]

    def get_reasons(self, assessment) -> list[str]:
        return selectors.assessment_reasons(assessment, hidden=self._hidden())


class AssessmentCreateSerializer(serializers.Serializer):
    instrument = serializers.SlugField(help_text="Instrument id, e.g. birge-checklist.")
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=[(a, a) for a in ANSWERS]), allow_empty=True
    )
    victim_fear = serializers.ChoiceField(
        choices=RiskAssessment.Fear.choices, default=RiskAssessment.Fear.NOT_ASKED
    )
    victim_view = TextField(max_length=4000, required=False, allow_blank=True)
    submit = serializers.BooleanField(
        default=False, help_text="Submit at once (all items answered)."
    )
    final_level = serializers.ChoiceField(choices=RiskLevel.choices, required=False)
    judgement_reason = TextField(max_length=4000, required=False, allow_blank=True)


class JudgementSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    reason = TextField(
        max_length=4000, help_text="Why, in your professional judgement (at least 10 characters)."
    )


def _service_error(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def _hidden_for(request, case) -> dict:
    """The serializer's context: the items her consent scopes do not let her see."""
    return {"hidden": selectors.items_hidden_from(case_scopes(user=request.user, case=case))}


def _settled(request, assessment: RiskAssessment) -> Response:
    """201 when the level applied (or a draft was saved); 202 when a lower level waits for
    a second opinion (the case keeps its level meanwhile)."""
    waiting = assessment.status == RiskAssessment.Status.PENDING_APPROVAL
    return Response(
        AssessmentSerializer(assessment, context=_hidden_for(request, assessment.case)).data,
        status=status.HTTP_202_ACCEPTED if waiting else status.HTTP_201_CREATED,
    )


SETTLED = {
    201: AssessmentSerializer,
    202: OpenApiResponse(
        AssessmentSerializer,
        description="Submitted with a level lower than the one in force: it waits "
        "(status pending_approval) for a professional of another agency in the case's "
        "circle, and the case keeps its level until then.",
    ),
}


class AssessmentListView(APIView):
    """Risk assessments of a case, newest first; POST a new one (draft, or submitted)."""

    @extend_schema(responses=AssessmentSerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        case_view_record(user=request.user, case=case, channel="api")
        return Response(
            AssessmentSerializer(
                selectors.assessments_of(case), many=True, context=_hidden_for(request, case)
            ).data
        )

    @extend_schema(request=AssessmentCreateSerializer, responses=SETTLED)
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        if not user_has_capability(request.user, "risk.assess"):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = (
            InstrumentVersion.objects.filter(instrument_id=data["instrument"], is_active=True)
            .order_by("-added_at")
            .first()
        )
        if version is None:
            raise ValidationError({"instrument": ["No such instrument."]})
        try:
            # One request, one outcome: a refused submit leaves no draft behind.
            with transaction.atomic():
                assessment = services.assessment_draft_save(
                    actor=request.user,
                    case=case,
                    instrument_version=version,
                    answers=data["answers"],
                    victim_fear=data["victim_fear"],
                    victim_view=data.get("victim_view", ""),
                )
                if data["submit"]:
                    services.assessment_submit(
                        actor=request.user,
                        assessment=assessment,
                        final_level=data.get("final_level", ""),
                        judgement_reason=data.get("judgement_reason", ""),
                    )
        except DjangoValidationError as error:
            raise _service_error(error) from error
        return _settled(request, assessment)


class LevelByJudgementView(APIView):
    """Set the case's risk level by professional judgement alone, with a reason: it is
    recorded as an assessment with no instrument (`instrument` null). A level not lower
    than the one in force applies at once (201), with the next assessment's due date and,
    from high up, the conference's queue; a lower one waits for a professional of another
    agency in the case's circle (202, status `pending_approval`), and the case keeps its
    level meanwhile. This is the only way the API sets a level besides an assessment."""

    @extend_schema(request=JudgementSerializer, responses=SETTLED)
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        if not user_has_capability(request.user, "risk.assess"):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = JudgementSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            assessment = services.assessment_judgement(
                actor=request.user, case=case, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise _service_error(error) from error
        return _settled(request, assessment)


class AssessmentDetailView(APIView):
    @extend_schema(responses=AssessmentSerializer)
    def get(self, request, case_id: int, assessment_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        assessment = get_object_or_404(selectors.assessments_of(case), pk=assessment_id)
        case_view_record(user=request.user, case=case, channel="api")
        return Response(AssessmentSerializer(assessment, context=_hidden_for(request, case)).data)
