"""The referrals API: the same access policy (birge.referrals.selectors) and the same
services as the pages.

An action may carry the `version` the client last read; when the referral changed since,
the action is refused with 409 and nothing changes. Acting from a status that does not
allow it (accepting twice, anything on a withdrawn referral) is a 400 with the reason.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.agencies.models import Service, ServiceKind
from birge.agencies.selectors import user_has_capability
from birge.cases.idempotency import idempotent
from birge.referrals import selectors, services
from birge.referrals.models import Referral
from birge.referrals.selectors import referral_get_for_user
from birge.web.api import LineField, TextField, service_error
from birge.web.api_fields import IdField
from birge.web.api_pagination import KeysetPagination
from birge.web.api_schema import errors


class ReferralRowSerializer(serializers.Serializer):
    """A referral in a list: identifiers, status and deadlines; nothing about her."""

    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    from_agency = serializers.IntegerField(source="from_agency_id")
    to_agency = serializers.IntegerField(source="to_agency_id")
    service = serializers.IntegerField(source="service_id")
    service_kind = serializers.ChoiceField(source="service.kind", choices=ServiceKind.choices)
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    responded_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ReferralDetailSerializer(ReferralRowSerializer):
    """One referral with what it carries: the summary, her first name, the case's risk
    level and the latest assessment's reasons (all that the receiving agency sees before
    it is in the case's circle), and the actions open to the caller."""

    summary = TextField()
    victim_first_name = LineField()
    risk_level = LineField()
    risk_reasons = serializers.ListField(child=serializers.CharField())
    risk_assessment = serializers.IntegerField(source="risk_assessment_id", allow_null=True)
    protocol_version = serializers.IntegerField(source="protocol_version.number", allow_null=True)
    pathway = LineField()
    decline_reason = TextField()
    started_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    case_visible = serializers.BooleanField()
    consent_needed = serializers.BooleanField()
    actions = serializers.ListField(child=serializers.CharField())


class ReferralCreateSerializer(serializers.Serializer):
    case = IdField()
    service = IdField(required=False, help_text=_("The service's id in the directory."))
    agency = IdField(required=False, help_text=_("Instead of `service`: the agency …"))
    service_kind = serializers.ChoiceField(
        choices=ServiceKind.choices, required=False, help_text=_("… and the kind of service.")
    )
    summary = TextField(max_length=services.SUMMARY_MAX_LENGTH)
    send = serializers.BooleanField(default=True, help_text=_("False keeps it a draft."))

    def validate(self, data):
        data["service"] = _service(data)
        return data


def _service(data: dict) -> Service:
    """The service by id, or the one the agency offers of that kind (a field error when
    it offers none)."""
    # The directory: one answer for an id that does not exist and one that is no longer
    # offered (birge.privacy.ids), whether asked by id or by agency and kind.
    found = Service.objects.filter(is_active=True, agency__is_active=True).select_related("agency")
    if "service" in data:
        service = found.filter(pk=data["service"]).first()
        if service is None:
            raise ValidationError({"service": [_("There is no such service.")]})
        return service
    if "agency" not in data or "service_kind" not in data:
        raise ValidationError({"service": [_("Choose a service, or an agency and a kind.")]})
    service = (
        found.filter(agency_id=data["agency"], kind=data["service_kind"]).order_by("id").first()
    )
    if service is None:
        raise ValidationError({"service": [_("This agency offers no such service.")]})
    return service


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you last read; refused if stale.")
    )


class ReasonSerializer(VersionSerializer):
    reason = TextField(max_length=services.REASON_MAX_LENGTH)


def _detail(request, referral: Referral, *, status_code=status.HTTP_200_OK) -> Response:
    detail = selectors.referral_detail(user=request.user, referral=referral)
    for name in ("victim_first_name", "risk_level", "risk_reasons", "case_visible"):
        setattr(referral, name, getattr(detail, name))
    referral.consent_needed = detail.consent_needed
    referral.actions = detail.actions
    return Response(ReferralDetailSerializer(referral).data, status=status_code)


class ReferralListView(APIView):
    """Referrals visible to you (your cases' referrals, and those sent to your agency),
    newest first. Page with `before` (the last id you saw)."""

    pagination_class = KeysetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "box", str, enum=["to_us", "from_us"], description="Only to or from your agency."
            ),
            OpenApiParameter("status", str, enum=Referral.Status.values),
        ],
        responses=ReferralRowSerializer(many=True),
    )
    def get(self, request):
        referrals = selectors.referrals_visible_to(request.user).select_related("case", "service")
        box = request.query_params.get("box", "")
        if box == "to_us":
            referrals = referrals.filter(to_agency_id=request.user.agency_id)
        elif box == "from_us":
            referrals = referrals.filter(from_agency_id=request.user.agency_id)
        wanted = request.query_params.get("status", "")
        if wanted in Referral.Status.values:
            referrals = referrals.filter(status=wanted)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(referrals, request)
        return paginator.get_paginated_response(ReferralRowSerializer(page, many=True).data)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralDetailSerializer, **errors(404)},
    )
    @idempotent
    def post(self, request):
        """Refer a case: create the referral and send it (unless `send` is false)."""
        if not user_has_capability(request.user, "referral.send"):
            raise PermissionDenied
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = case_get_for_user(user=request.user, case_id=data["case"], write=True)
        referral = services.referral_refer(
            actor=request.user,
            case=case,
            service=data["service"],
            summary=data["summary"],
            send=data["send"],
        )
        referral = referral_get_for_user(user=request.user, referral_id=referral.pk)
        response = _detail(request, referral, status_code=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/referrals/{referral.pk}/"
        return response


class _ReferralView(APIView):
    """A referral's routes look it up before anything else: to whom it does not concern,
    every method is a 404, even one the route does not serve."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        referral_get_for_user(user=request.user, referral_id=kwargs.get("referral_id"))
        return super().http_method_not_allowed(request, *args, **kwargs)


class ReferralDetailView(_ReferralView):
    @extend_schema(responses=ReferralDetailSerializer)
    def get(self, request, referral_id: int):
        referral = referral_get_for_user(user=request.user, referral_id=referral_id)
        services.referral_view_record(user=request.user, referral=referral, channel="api")
        return _detail(request, referral)


class _ActionView(_ReferralView):
    """POST an action on a referral; the answer is the referral as it now is."""

    def act(self, request, referral_id: int, service, serializer_class) -> Response:
        referral = referral_get_for_user(user=request.user, referral_id=referral_id)
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            service(actor=request.user, referral=referral, **serializer.validated_data)
        except DjangoValidationError as error:
            raise service_error(error) from error
        referral = referral_get_for_user(user=request.user, referral_id=referral.pk)
        return _detail(request, referral)


class ReferralSendView(_ActionView):
    @extend_schema(
        request=VersionSerializer,
        responses=ReferralDetailSerializer,
        description="Send a draft: its due time comes from the co-operation protocol in force.",
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_send, VersionSerializer)


class ReferralAcceptView(_ActionView):
    @extend_schema(
        request=VersionSerializer,
        responses=ReferralDetailSerializer,
        description=(
            "Accept (receiving agency). The agency joins the case's circle only on the "
            "victim's consent or at high risk; otherwise `consent_needed` is true and the "
            "referrer is told."
        ),
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_accept, VersionSerializer)


class ReferralDeclineView(_ActionView):
    @extend_schema(
        request=ReasonSerializer,
        responses=ReferralDetailSerializer,
        description="Decline (receiving agency), with a reason.",
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_decline, ReasonSerializer)


class ReferralStartView(_ActionView):
    @extend_schema(
        request=VersionSerializer,
        responses=ReferralDetailSerializer,
        description="Start the accepted work (receiving agency).",
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_start, VersionSerializer)


class ReferralCompleteView(_ActionView):
    @extend_schema(
        request=VersionSerializer,
        responses=ReferralDetailSerializer,
        description="Complete the work in progress (receiving agency).",
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_complete, VersionSerializer)


class ReferralWithdrawView(_ActionView):
    @extend_schema(
        request=ReasonSerializer,
        responses=ReferralDetailSerializer,
        description="Withdraw (referring agency), with a reason.",
    )
    def post(self, request, referral_id: int):
        return self.act(request, referral_id, services.referral_withdraw, ReasonSerializer)
