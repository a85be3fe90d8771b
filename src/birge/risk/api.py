"""Risk assessments over the API: the same services and access policy as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.access.fields import HIDDEN, case_scopes
from birge.agencies.selectors import user_has_capability
from birge.cases.idempotency import idempotent
from birge.cases.models import RiskLevel
from birge.cases.services import case_view_record
from birge.risk import selectors, services
from birge.risk.engine import ANSWERS
from birge.risk.models import RiskAssessment
from birge.web.api import LineField, TextField, service_error


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
    incomplete = serializers.SerializerMethodField(
        help_text="The answers cannot support a level on their own (the instrument's "
        "incomplete rule: a critical question, or too many answers, not known or declined): "
        "it is submitted only with a `final_level` chosen by professional judgement and a "
        "`judgement_reason`."
    )
    reasons = serializers.SerializerMethodField(
        help_text="Why the level is what it is, in the order of the decision and in your "
        "language: first the level, then the instrument's rules (highest first), incomplete "
        "answers, her fear, the professional judgement, the second opinion, and last the "
        "answers that were not yes."
    )
    reason_codes = serializers.SerializerMethodField(
        help_text="The code of each sentence in `reasons`, in the same order."
    )
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    corrects = serializers.IntegerField(source="corrects_id", read_only=True, allow_null=True)

    def _hidden(self) -> frozenset[str]:
        return self.context.get("hidden", frozenset())

    def get_answers(self, assessment) -> dict[str, str | None]:
        given = selectors.assessment_answers(assessment, hidden=self._hidden())
        return {item: None if answer is HIDDEN else answer for item, answer in given.items()}

    def get_hidden(self, assessment) -> list[str]:
        return [f"answers.{item}" for item in sorted(self._hidden() & set(assessment.answers))]

    def get_incomplete(self, assessment) -> bool:
        return assessment.is_incomplete

    def get_reasons(self, assessment) -> list[str]:
        return selectors.assessment_reasons(assessment, hidden=self._hidden())

    def get_reason_codes(self, assessment) -> list[str]:
        return [reason.code for reason in selectors.assessment_explanation(assessment)]


class AssessmentCreateSerializer(serializers.Serializer):
    instrument = serializers.SlugField(help_text="Instrument id, e.g. birge-checklist.")
    instrument_version = LineField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="The version the answers are for (GET /api/v1/instruments/ lists the "
        "active ones); by default the newest active version.",
    )
    answers = serializers.DictField(
        child=serializers.ChoiceField(choices=[(a, a) for a in ANSWERS]), allow_empty=True
    )
    victim_fear = serializers.ChoiceField(
        choices=RiskAssessment.Fear.choices,
        default=RiskAssessment.Fear.NOT_ASKED,
        help_text="Her own view of the danger. very_afraid (for her life) and child_life "
        "(for a child's life) need a professional judgement with a `judgement_reason` for a "
        "level below high.",
    )
    victim_view = TextField(max_length=4000, required=False, allow_blank=True)
    submit = serializers.BooleanField(
        default=False, help_text="Submit at once (all items answered)."
    )
    final_level = serializers.ChoiceField(
        choices=RiskLevel.choices,
        required=False,
        help_text="The level after professional judgement; by default the computed one. "
        "Required when the result is incomplete.",
    )
    judgement_reason = TextField(
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="At least 10 characters: for a level other than the computed one, for an "
        "incomplete result, and for a level below high when she is very afraid for her life "
        "or a child's.",
    )


class JudgementSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=RiskLevel.choices)
    reason = TextField(
        max_length=4000, help_text="Why, in your professional judgement (at least 10 characters)."
    )


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
    @idempotent
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        if not user_has_capability(request.user, "risk.assess"):
            return Response(status=status.HTTP_403_FORBIDDEN)
        serializer = AssessmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = selectors.instrument_version_for_new(
            instrument_id=data["instrument"], version=data.get("instrument_version", "")
        )
        if version is None:
            if data.get("instrument_version") and selectors.instrument_version_for_new(
                instrument_id=data["instrument"]
            ):
                raise ValidationError(
                    {"instrument_version": [_("No such active version of this instrument.")]}
                )
            raise ValidationError({"instrument": [_("No such instrument.")]})
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
            raise service_error(error) from error
        return _settled(request, assessment)


class LevelByJudgementView(APIView):
    """Set the case's risk level by professional judgement alone, with a reason: it is
    recorded as an assessment with no instrument (`instrument` null). A level not lower
    than the one in force applies at once (201), with the next assessment's due date and,
    from high up, the conference's queue; a lower one waits for a professional of another
    agency in the case's circle (202, status `pending_approval`), and the case keeps its
    level meanwhile. This is the only way the API sets a level besides an assessment."""

    @extend_schema(request=JudgementSerializer, responses=SETTLED)
    @idempotent
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
            raise service_error(error) from error
        return _settled(request, assessment)


class AssessmentDetailView(APIView):
    @extend_schema(responses=AssessmentSerializer)
    def get(self, request, case_id: int, assessment_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        assessment = get_object_or_404(selectors.assessments_of(case), pk=assessment_id)
        case_view_record(user=request.user, case=case, channel="api")
        return Response(AssessmentSerializer(assessment, context=_hidden_for(request, case)).data)
