"""The API of proceedings and perpetrator programmes: the same access policy, the same rule
for a proceeding's details (`birge.access.justice`) and the same services as the pages.

A proceeding's details (the holding agency, dates, sentence, stages) are `null` for a
reader the rule does not give them to, and `details` says so. Creates are idempotent
under `Idempotency-Key`; a step may carry the `version` last read (409 when stale)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.agencies.models import Agency
from birge.cases.idempotency import idempotent
from birge.cases.models import Case, CasePerson, Incident, Part
from birge.cases.services import case_view_record
from birge.justice import selectors_proceedings as selectors
from birge.justice.models import Proceeding, ProgrammeReferral
from birge.justice.selectors_proceedings import ProceedingView
from birge.justice.services import proceedings as services
from birge.justice.services import programmes as programme_services
from birge.justice.services.proceedings import TEXT_MAX_LENGTH
from birge.justice.services.programmes import ENDINGS, MAX_SESSIONS
from birge.web.api import TextField, service_error
from birge.web.api_fields import IdField


class StageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Proceeding.Stage.choices)
    began_on = serializers.DateField()
    agency = serializers.IntegerField(source="agency_id")
    note = serializers.CharField()


class ProceedingSerializer(serializers.Serializer):
    """A proceeding; the fields after `details` are null when it is false."""

    id = serializers.IntegerField(source="proceeding.pk")
    case = serializers.IntegerField(source="proceeding.case_id")
    perpetrator = serializers.IntegerField(source="proceeding.perpetrator_id")
    kind = serializers.ChoiceField(source="proceeding.kind", choices=Proceeding.Kind.choices)
    stage = serializers.ChoiceField(source="proceeding.stage", choices=Proceeding.Stage.choices)
    outcome = serializers.CharField(source="proceeding.outcome")
    version = serializers.IntegerField(source="proceeding.version")
    details = serializers.BooleanField(
        help_text=_("Whether you see the details (the holding agency, dates, sentence, stages).")
    )
    agency = serializers.SerializerMethodField()
    incident = serializers.SerializerMethodField()
    opened_on = serializers.SerializerMethodField()
    sentence = serializers.SerializerMethodField()
    stages = serializers.SerializerMethodField()

    def _detail(self, view: ProceedingView, value):
        return value if view.details else None

    def get_agency(self, view: ProceedingView) -> int | None:
        return self._detail(view, view.proceeding.agency_id)

    def get_incident(self, view: ProceedingView) -> int | None:
        return self._detail(view, view.proceeding.incident_id)

    def get_opened_on(self, view: ProceedingView) -> str | None:
        return self._detail(view, view.proceeding.opened_on.isoformat())

    def get_sentence(self, view: ProceedingView) -> str | None:
        return self._detail(view, view.proceeding.sentence)

    @extend_schema_field(StageSerializer(many=True, allow_null=True))
    def get_stages(self, view: ProceedingView) -> list[dict] | None:
        if not view.details:
            return None
        return list(StageSerializer(view.stages, many=True).data)


class ProceedingCreateSerializer(serializers.Serializer):
    perpetrator = IdField(help_text=_("The person's id: a perpetrator of the case."))
    incident = IdField(required=False, allow_null=True)
    kind = serializers.ChoiceField(choices=Proceeding.Kind.choices)
    opened_on = serializers.DateField(help_text=_("When the complaint was made."))
    note = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class StageCreateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Proceeding.Stage.choices)
    began_on = serializers.DateField()
    outcome = serializers.ChoiceField(
        choices=Proceeding.Outcome.choices, required=False, allow_blank=True
    )
    sentence = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    note = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text=_("The version you last read; refused if stale.")
    )


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    perpetrator = serializers.IntegerField(source="perpetrator_id")
    provider = serializers.IntegerField(source="provider_id")
    mandated = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ProgrammeReferral.Status.choices)
    referred_on = serializers.DateField()
    sessions_planned = serializers.IntegerField(allow_null=True)
    sessions_attended = serializers.IntegerField()
    ended_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    version = serializers.IntegerField()


class ProgrammeCreateSerializer(serializers.Serializer):
    perpetrator = IdField(help_text=_("The person's id: a perpetrator of the case."))
    provider = IdField(help_text=_("An agency offering a perpetrator programme."))
    referred_on = serializers.DateField()
    mandated = serializers.BooleanField(default=False)
    sessions_planned = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SESSIONS
    )
    note = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)


class AttendanceSerializer(serializers.Serializer):
    sessions_attended = serializers.IntegerField(min_value=0, max_value=MAX_SESSIONS)
    version = serializers.IntegerField(min_value=1, required=False)


class ProgrammeEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[c for c in ENDINGS])
    ended_on = serializers.DateField()
    sessions_attended = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SESSIONS
    )
    note = TextField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
    version = serializers.IntegerField(min_value=1, required=False)


def _perpetrator(case: Case, person_id: int):
    part = CasePerson.objects.filter(case=case, person_id=person_id, part=Part.PERPETRATOR)
    found = part.select_related("person").first()
    if found is None:
        raise ValidationError({"perpetrator": [_("Choose a perpetrator of this case.")]})
    return found.person


def _recordable(request, case_id: int, may_record) -> Case:
    case = case_get_for_user(user=request.user, case_id=case_id, write=True)
    if not may_record(user=request.user, case=case):
        raise Http404
    return case


class _CaseView(APIView):
    """A case's routes look the case up first: outside it every method is a 404."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        case_get_for_user(user=request.user, case_id=kwargs.get("case_id"))
        return super().http_method_not_allowed(request, *args, **kwargs)


class ProceedingListView(_CaseView):
    """A case's proceedings, newest first; POST records new ones (justice agencies)."""

    @extend_schema(responses=ProceedingSerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        views = selectors.proceedings_of_case(user=request.user, case=case, stages=True)
        if any(v.details for v in views):
            case_view_record(user=request.user, case=case, channel="api")
        return Response(ProceedingSerializer(views, many=True).data)

    @extend_schema(request=ProceedingCreateSerializer, responses={201: ProceedingSerializer})
    @idempotent
    def post(self, request, case_id: int):
        case = _recordable(request, case_id, services.may_record_proceedings)
        serializer = ProceedingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        incident = None
        if data.get("incident"):
            incident = Incident.objects.filter(case=case, pk=data["incident"]).first()
            if incident is None:
                raise ValidationError({"incident": [_("Choose an incident of this case.")]})
        try:
            proceeding = services.proceeding_open(
                actor=request.user,
                case=case,
                perpetrator=_perpetrator(case, data["perpetrator"]),
                incident=incident,
                kind=data["kind"],
                opened_on=data["opened_on"],
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        view = selectors.proceeding_view(user=request.user, proceeding=proceeding)
        response = Response(ProceedingSerializer(view).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/proceedings/{proceeding.pk}/"
        return response


class _ProceedingView(APIView):
    """Every method of a proceeding's routes looks it up first: 404 to whom it does not
    concern, even for a method the route does not serve."""

    def http_method_not_allowed(self, request, *args, **kwargs):
        selectors.proceeding_get_for_user(
            user=request.user, proceeding_id=kwargs.get("proceeding_id")
        )
        return super().http_method_not_allowed(request, *args, **kwargs)


class ProceedingDetailView(_ProceedingView):
    @extend_schema(responses=ProceedingSerializer)
    def get(self, request, proceeding_id: int):
        proceeding = selectors.proceeding_get_for_user(
            user=request.user, proceeding_id=proceeding_id
        )
        view = selectors.proceeding_view(user=request.user, proceeding=proceeding)
        if view.details:
            case_view_record(user=request.user, case=proceeding.case, channel="api")
        return Response(ProceedingSerializer(view).data)


class ProceedingStageView(_ProceedingView):
    @extend_schema(
        request=StageCreateSerializer,
        responses={201: ProceedingSerializer},
        description=(
            "Record the stage that began (justice agencies): after the current one, not "
            "before the previous stage began, not in the future; the outcome (and a "
            "conviction's sentence) at the outcome stage only."
        ),
    )
    @idempotent
    def post(self, request, proceeding_id: int):
        proceeding = selectors.proceeding_get_for_user(
            user=request.user, proceeding_id=proceeding_id
        )
        if not services.may_record_proceedings(user=request.user, case=proceeding.case):
            raise Http404
        serializer = StageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.proceeding_stage_record(
                actor=request.user, proceeding=proceeding, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        view = selectors.proceeding_view(user=request.user, proceeding=proceeding)
        return Response(ProceedingSerializer(view).data, status=status.HTTP_201_CREATED)


class ProgrammeListView(_CaseView):
    """A case's referrals to perpetrator programmes; POST refers (`justice.record`)."""

    @extend_schema(responses=ProgrammeSerializer(many=True))
    def get(self, request, case_id: int):
        case = case_get_for_user(user=request.user, case_id=case_id)
        programmes = selectors.programmes_of_case(case=case)
        return Response(ProgrammeSerializer(programmes, many=True).data)

    @extend_schema(request=ProgrammeCreateSerializer, responses={201: ProgrammeSerializer})
    @idempotent
    def post(self, request, case_id: int):
        case = _recordable(request, case_id, programme_services.may_record_programmes)
        serializer = ProgrammeCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        provider = Agency.objects.filter(pk=data["provider"]).first()
        if provider is None:
            raise ValidationError(
                {"provider": [_("Choose an agency that offers a perpetrator programme.")]}
            )
        try:
            programme = programme_services.programme_refer(
                actor=request.user,
                case=case,
                perpetrator=_perpetrator(case, data["perpetrator"]),
                provider=provider,
                referred_on=data["referred_on"],
                mandated=data["mandated"],
                sessions_planned=data.get("sessions_planned"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise service_error(error) from error
        response = Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/programmes/{programme.pk}/"
        return response


class _ProgrammeView(APIView):
    def http_method_not_allowed(self, request, *args, **kwargs):
        selectors.programme_get_for_user(user=request.user, programme_id=kwargs.get("programme_id"))
        return super().http_method_not_allowed(request, *args, **kwargs)

    def step(self, request, programme_id: int, service, serializer_class) -> Response:
        programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
        if not programme_services.may_record_programmes(user=request.user, case=programme.case):
            raise Http404
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            service(actor=request.user, programme=programme, **serializer.validated_data)
        except DjangoValidationError as error:
            raise service_error(error) from error
        return Response(ProgrammeSerializer(programme).data)


class ProgrammeDetailView(_ProgrammeView):
    @extend_schema(responses=ProgrammeSerializer)
    def get(self, request, programme_id: int):
        programme = selectors.programme_get_for_user(user=request.user, programme_id=programme_id)
        return Response(ProgrammeSerializer(programme).data)


class ProgrammeAttendanceView(_ProgrammeView):
    @extend_schema(
        request=AttendanceSerializer,
        responses=ProgrammeSerializer,
        description="The sessions he attended so far, as the provider reports it.",
    )
    def post(self, request, programme_id: int):
        return self.step(
            request,
            programme_id,
            programme_services.programme_attendance_record,
            AttendanceSerializer,
        )


class ProgrammeEndView(_ProgrammeView):
    @extend_schema(
        request=ProgrammeEndSerializer,
        responses=ProgrammeSerializer,
        description=(
            "He completed the programme, dropped out, or did not start it; the case's "
            "coordinators and the circle's justice recorders are told."
        ),
    )
    def post(self, request, programme_id: int):
        return self.step(
            request, programme_id, programme_services.programme_end, ProgrammeEndSerializer
        )
