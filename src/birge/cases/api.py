"""The cases API: the same services and the same access policy as the pages.

Stale updates are refused: GET returns an ETag (the case's version) and PATCH needs it
back in If-Match (428 without, 412 when it no longer matches). A create repeated with the
same Idempotency-Key header gets the first answer again (birge.cases.idempotency), as
every create of the API does.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.api import ScopedSerializer
from birge.access.cases import case_get_for_user, case_is_coordinating
from birge.access.fields import ScopedView, case_scopes
from birge.agencies.models import Agency, User
from birge.agencies.selectors import user_has_capability, users_with_capability
from birge.cases import selectors, services
from birge.cases.idempotency import idempotent
from birge.cases.models import Case, Incident, Person, Relationship, ViolenceForm
from birge.cases.services._common import StaleCaseError
from birge.cases.validation import (
    OLDEST_AGE,
    validate_birth_date,
    validate_consent_dates,
    validate_incident_date,
)
from birge.privacy.blind_index import validate_phone
from birge.privacy.ids import IdRelatedField
from birge.web.api import LineField, TextField, django_validator, service_error
from birge.web.api_pagination import KeysetPagination
from birge.web.api_schema import errors


class PersonInSerializer(serializers.Serializer):
    first_name = LineField(max_length=100)
    last_name = LineField(max_length=100, required=False, allow_blank=True)
    patronymic = LineField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField(
        required=False, allow_null=True, validators=[django_validator(validate_birth_date)]
    )
    approximate_age = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=OLDEST_AGE
    )
    sex = serializers.ChoiceField(choices=Person.Sex.choices, default=Person.Sex.UNKNOWN)
    phone = LineField(
        max_length=40,
        required=False,
        allow_blank=True,
        validators=[django_validator(validate_phone)],
    )
    languages = LineField(max_length=60, required=False, allow_blank=True)


class VictimInSerializer(PersonInSerializer):
    address = LineField(max_length=500, required=False, allow_blank=True)
    shelter_location = LineField(max_length=500, required=False, allow_blank=True)


class IncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    occurred_on = serializers.DateField()
    place = LineField(max_length=300, required=False, allow_blank=True)
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceForm.choices), min_length=1, max_length=8
    )
    injuries = serializers.BooleanField(default=False)
    weapon = serializers.ChoiceField(choices=Incident.Weapon.choices, default="none")
    children_present = serializers.BooleanField(default=False)
    children_witnessed = serializers.BooleanField(default=False)
    narrative = TextField(max_length=10000, required=False, allow_blank=True)

    def __init__(self, *args, birth_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.birth_date = birth_date

    def validate_occurred_on(self, value):
        django_validator(lambda v: validate_incident_date(v, birth_date=self.birth_date))(value)
        return value


class ConsentInSerializer(serializers.Serializer):
    agencies = IdRelatedField(
        queryset=Agency.objects.filter(is_active=True), many=True, allow_empty=False
    )
    given_on = serializers.DateField()
    valid_until = serializers.DateField()
    share_case_record = serializers.BooleanField(default=True)
    share_contact = serializers.BooleanField(default=False)
    share_location = serializers.BooleanField(default=False)
    share_health = serializers.BooleanField(default=False)

    def validate(self, data):
        try:
            validate_consent_dates(data["given_on"], data["valid_until"])
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return data


class CaseCreateSerializer(serializers.Serializer):
    victim = VictimInSerializer()
    perpetrator = PersonInSerializer(required=False, allow_null=True)
    relationship = serializers.ChoiceField(
        choices=Relationship.choices, required=False, allow_blank=True
    )
    children = PersonInSerializer(many=True, required=False, max_length=12)
    incident = IncidentSerializer()
    consent = ConsentInSerializer(required=False, allow_null=True)

    def validate(self, data):
        birth_date = data["victim"].get("birth_date")
        if birth_date and data["incident"]["occurred_on"] < birth_date:
            raise ValidationError(
                {
                    "incident": {
                        "occurred_on": [
                            _("The incident cannot be before the victim's date of birth.")
                        ]
                    }
                }
            )
        return data


class ParticipantSerializer(ScopedSerializer):
    part = LineField()
    relationship = LineField()
    first_name = serializers.CharField(source="person.first_name")
    last_name = serializers.CharField(source="person.last_name")
    patronymic = serializers.CharField(source="person.patronymic")
    birth_date = serializers.DateField(source="person.birth_date", allow_null=True)
    approximate_age = serializers.IntegerField(source="person.approximate_age", allow_null=True)
    sex = serializers.CharField(source="person.sex")
    phone = serializers.CharField(source="person.phone")
    address = serializers.CharField(source="person.address")
    shelter_location = LineField()


class IncidentOutSerializer(ScopedSerializer):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    place = LineField()
    forms = serializers.ListField(child=serializers.ChoiceField(choices=ViolenceForm.choices))
    injuries = serializers.BooleanField(allow_null=True)
    weapon = serializers.ChoiceField(choices=Incident.Weapon.choices)
    children_present = serializers.BooleanField()
    children_witnessed = serializers.BooleanField()
    narrative = TextField()


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = LineField()
    status = LineField()
    risk_level = LineField()
    owning_agency = serializers.IntegerField(source="owning_agency_id")
    coordinator = serializers.IntegerField(source="coordinator_id", allow_null=True)
    region = serializers.CharField(source="region.code")
    opened_at = serializers.DateTimeField()
    sealed = serializers.BooleanField()
    version = serializers.IntegerField()


class CaseQuerySerializer(serializers.Serializer):
    """The case list's filters: a query refused is a 400, never an unfiltered list."""

    q = LineField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="A reference or its number alone, a first name or a surname, "
        "or a first and last name.",
    )
    status = serializers.ChoiceField(choices=["open", "closed"], required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=["agency", "mine"], required=False, default="agency")


class CaseListRowSerializer(CaseSummarySerializer):
    victim_name = serializers.SerializerMethodField()

    def get_victim_name(self, case) -> str | None:
        victim = self.context["victims"].get(case.pk)
        return victim.person.full_name if victim else None


class CaseDetailSerializer(CaseSummarySerializer):
    participants = serializers.SerializerMethodField()
    incidents = IncidentOutSerializer(many=True)
    circle = serializers.SerializerMethodField()

    def get_participants(self, case) -> list[dict]:
        return ParticipantSerializer(
            self.context["participants"], many=True, context=self.context
        ).data

    def get_circle(self, case) -> list[dict]:
        return [
            {"agency": m.agency_id, "route": m.route, "basis": m.basis}
            for m in self.context["circle"]
            if m.removed_at is None
        ]


class CaseUpdateSerializer(serializers.Serializer):
    """Who coordinates the case. The risk level is not set here: it comes from an
    assessment (`POST …/assessments/`) or a judgement (`POST …/risk-level/`), under the
    one rule for a level going down; a `risk_level` in the body is a field error."""

    coordinator = IdRelatedField(
        # Only who may coordinate this case (the service's rule), set per case in __init__:
        # another agency's user, a colleague who may not coordinate and a missing id get
        # the same answer.
        queryset=User.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": _("The coordinator must be a case coordinator of the owning agency.")
        },
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.fields["coordinator"].queryset = users_with_capability(
                "case.coordinate", agency_id=case.owning_agency_id
            )

    def validate(self, data):
        if {"risk_level", "risk_reason"} & set(self.initial_data):
            route = f"/api/v1/cases/{self.context.get('case_id', '{id}')}/risk-level/"
            raise ValidationError(
                {
                    "risk_level": [
                        _(
                            "The risk level is not changed here: POST the level and its reason to %(route)s."
                        )
                        % {"route": route}
                    ]
                }
            )
        return data


class ShareSerializer(serializers.Serializer):
    agency = IdRelatedField(queryset=Agency.objects.filter(is_active=True))
    reason = TextField(max_length=2000, required=False, allow_blank=True)


def _etag(case: Case) -> str:
    return f'"{case.pk}-{case.version}"'


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "stale"

    def __init__(self):
        super().__init__(StaleCaseError().messages[0])


def _if_match_version(request, case: Case) -> int | None:
    """An append (an incident) needs no version; a client that sends If-Match anyway
    gets the check it asked for: the version it names, or 412."""
    if_match = request.headers.get("If-Match")
    if not if_match:
        return None
    if if_match.strip() != _etag(case):
        raise PreconditionFailed
    return case.version


def _detail_response(request, case: Case, *, status_code=status.HTTP_200_OK) -> Response:
    detail = selectors.case_detail(user=request.user, case=case)
    serializer = CaseDetailSerializer(
        case, context={"participants": detail.participants, "circle": detail.circle}
    )
    data = {**serializer.data, "incidents": IncidentOutSerializer(detail.incidents, many=True).data}
    response = Response(data, status=status_code)
    response["ETag"] = _etag(case)
    return response


class CaseListView(APIView):
    """Cases visible to you, newest first. Page with `before` (the last id you saw)."""

    pagination_class = KeysetPagination

    @extend_schema(
        parameters=[CaseQuerySerializer],
        responses={200: CaseListRowSerializer(many=True), **errors(400)},
    )
    def get(self, request):
        paginator = self.pagination_class()
        before = paginator.before(request)
        query = CaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not user_has_capability(request.user, "case.view"):
            return paginator.page_response([], next_before=None)
        page = selectors.case_list(user=request.user, before=before, **query.validated_data)
        victims = {row.case.pk: row.victim for row in page.rows if row.victim}
        rows = CaseListRowSerializer(
            [row.case for row in page.rows], many=True, context={"victims": victims}
        ).data
        return paginator.page_response(rows, next_before=page.next_before)

    @extend_schema(
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer},
    )
    @idempotent(case_in_answer=True)
    def post(self, request):
        if not user_has_capability(request.user, "case.create"):
            raise PermissionDenied
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        perpetrator = data.get("perpetrator")
        try:
            registration = services.case_register(
                actor=request.user,
                victim=data["victim"],
                perpetrator=perpetrator,
                relationship=data.get("relationship", ""),
                children=data.get("children", []),
                incident=data["incident"],
                consent=data.get("consent"),
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        case = case_get_for_user(user=request.user, case_id=registration.case.pk)
        response = _detail_response(request, case, status_code=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/cases/{case.pk}/"
        response["X-Birge-Known-In-Other-Cases"] = str(len(registration.matches))
        # Apart: a surname that differs only in its ending, for a coordinator to confirm.
        response["X-Birge-Possibly-Known-In-Other-Cases"] = str(len(registration.possible_matches))
        return response


class CaseDetailView(APIView):
    """One case. GET gives an ETag; PATCH needs it in If-Match."""

    @extend_schema(responses=CaseDetailSerializer)
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        services.case_view_record(user=request.user, case=case, channel="api")
        return _detail_response(request, case)

    @extend_schema(
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, **errors(412, 428)},
        parameters=[
            OpenApiParameter("If-Match", str, location=OpenApiParameter.HEADER, required=True)
        ],
    )
    def patch(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        if_match = request.headers.get("If-Match")
        if not if_match:
            return Response(
                {
                    "detail": _(
                        "Send the case's ETag in If-Match, so that no change is overwritten."
                    )
                },
                status=status.HTTP_428_PRECONDITION_REQUIRED,
            )
        if if_match.strip() != _etag(case):
            raise PreconditionFailed
        if (
            isinstance(request.data, dict)
            and "coordinator" in request.data
            and not case_is_coordinating(user=request.user, case=case)
        ):
            # Refused before the id is looked at: whoever may not choose learns nothing of it.
            raise PermissionDenied
        serializer = CaseUpdateSerializer(
            data=request.data, case=case, context={"case_id": case.pk}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if "coordinator" in data:
                services.case_update(
                    actor=request.user,
                    case=case,
                    version=case.version,
                    coordinator=data["coordinator"],
                )
        except DjangoValidationError as error:
            if getattr(error, "code", "") == "stale":
                return Response(
                    {"detail": error.messages[0]}, status=status.HTTP_412_PRECONDITION_FAILED
                )
            raise service_error(error) from error
        return _detail_response(request, case)


class IncidentListView(APIView):
    @extend_schema(responses=IncidentOutSerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        services.case_view_record(user=request.user, case=case, channel="api")
        scopes = case_scopes(user=request.user, case=case)
        incidents = [ScopedView(i, scopes) for i in case.incidents.all()]
        return Response(IncidentOutSerializer(incidents, many=True).data)

    @extend_schema(
        request=IncidentSerializer,
        responses={201: IncidentOutSerializer, **errors(412)},
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                location=OpenApiParameter.HEADER,
                required=False,
                description=(
                    "Optional: an incident needs no version. Sent, it must still be the "
                    "case's ETag (412 otherwise)."
                ),
            )
        ],
    )
    @idempotent
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        victim = case.participants.filter(part="victim").select_related("person").first()
        serializer = IncidentSerializer(
            data=request.data, birth_date=victim.person.birth_date if victim else None
        )
        serializer.is_valid(raise_exception=True)
        expected_version = _if_match_version(request, case)
        try:
            incident = services.incident_record(
                actor=request.user,
                case=case,
                data=serializer.validated_data,
                expected_version=expected_version,
            )
        except StaleCaseError:
            raise PreconditionFailed from None
        scopes = case_scopes(user=request.user, case=case)
        return Response(
            IncidentOutSerializer(ScopedView(incident, scopes)).data, status=status.HTTP_201_CREATED
        )


class ConsentCreateView(APIView):
    @extend_schema(request=ConsentInSerializer, responses={201: None})
    @idempotent
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        serializer = ConsentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            consent = services.consent_record(
                actor=request.user, case=case, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response({"id": consent.pk}, status=status.HTTP_201_CREATED)


class ShareView(APIView):
    """Add an agency to the case's circle (consent, or high risk with a reason)."""

    @extend_schema(request=ShareSerializer, responses={201: None})
    @idempotent
    def post(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id, write=True)
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            member = services.case_share(
                actor=request.user,
                case=case,
                agency=serializer.validated_data["agency"],
                reason=serializer.validated_data.get("reason", ""),
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(
            {"agency": member.agency_id, "basis": member.basis}, status=status.HTTP_201_CREATED
        )
