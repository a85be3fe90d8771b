"""The risk conference's API: the same access rules (birge.conferences.selectors) and the
same services as the pages.

Every series, meeting, agenda item and action is looked up before anything else: to
whom it does not concern, every method on its routes is a 404, as for one that was never
there. A write on a visible object that is not hers to make is a 403; a refused change is
a 400 with the reason (per field where there is one); a change made on a stale `version`
is a 409, and nothing changes.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.agencies.models import Agency, User
from birge.audit.services import event_record
from birge.conferences import selectors, services
from birge.conferences.figures import series_figures
from birge.conferences.models import (
    AgendaItem,
    Cadence,
    Concern,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    ResearchTopic,
)
from birge.conferences.services.meetings import MAX_MINUTES
from birge.risk.selectors import assessment_reasons

PAGE_SIZE = 50
MAX_ID = 2**62
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _id(**kwargs) -> serializers.IntegerField:
    """A database id in a body: never one the database cannot hold."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _text(**kwargs) -> serializers.CharField:
    """A text the service checks (and explains when it is missing or too long)."""
    return serializers.CharField(required=False, allow_blank=True, default="", **kwargs)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Someone else changed this meanwhile. Reload and try again.")
    default_code = "stale"


def _call(service, **kwargs):
    """One service call; a stale version is a 409."""
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        if getattr(error, "code", "") == "stale":
            raise Conflict(error.messages[0]) from None
        raise


def _require_chair(user, series: ConferenceSeries) -> None:
    """Checked before ids in the body are resolved: a member learns nothing from them."""
    if not selectors.series_is_chair(user=user, series=series):
        raise PermissionDenied


# --- Output -----------------------------------------------------------------------------


class ConferenceSeriesSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.IntegerField(source="region_id")
    chair = serializers.IntegerField(source="chair_id")
    members = serializers.SerializerMethodField()
    cadence = serializers.ChoiceField(choices=Cadence.choices)
    quorum = serializers.IntegerField(help_text=_("Member agencies present for a quorum."))
    minutes_per_case = serializers.IntegerField()
    is_active = serializers.BooleanField()

    def get_members(self, series) -> list[int]:
        return sorted(agency.pk for agency in series.members.all())


class ConferenceQueueRowSerializer(serializers.Serializer):
    """A case waiting in the queue: identifiers and why it is there; nothing about her."""

    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    criterion = serializers.ChoiceField(choices=ConferenceReferral.Criterion.choices)
    is_repeat = serializers.BooleanField()
    risk_level = serializers.CharField()
    referred_at = serializers.DateTimeField()
    risk_assessment = serializers.IntegerField(source="risk_assessment_id", allow_null=True)


class ConferenceWatchRowSerializer(ConferenceQueueRowSerializer):
    heard_at = serializers.DateTimeField()
    heard_meeting = serializers.IntegerField(source="heard_meeting_id")


class ConferenceSeriesDetailSerializer(ConferenceSeriesSerializer):
    queue = ConferenceQueueRowSerializer(
        many=True, allow_null=True, help_text=_("The chair side only; null for others.")
    )
    watch = ConferenceWatchRowSerializer(
        many=True,
        allow_null=True,
        help_text=_("Cases heard and under the watch. The chair side only; null for others."),
    )


class ConferenceReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    series = serializers.IntegerField(source="series_id")
    criterion = serializers.ChoiceField(choices=ConferenceReferral.Criterion.choices)
    status = serializers.ChoiceField(
        choices=ConferenceReferral.Status.choices,
    )
    is_repeat = serializers.BooleanField()
    risk_level = serializers.CharField()
    risk_assessment = serializers.IntegerField(source="risk_assessment_id", allow_null=True)
    referred_at = serializers.DateTimeField()


class ConferenceAgencyAttendanceSerializer(serializers.Serializer):
    agency = serializers.IntegerField(source="agency_id")
    agency_name = serializers.CharField()
    attended = serializers.IntegerField()
    held = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)


class ConferenceMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text=_("YYYY-MM"))
    cases_heard = serializers.IntegerField()


class ConferenceFiguresSerializer(serializers.Serializer):
    """Aggregates of the meetings held in the period: no case, no person."""

    series = serializers.IntegerField(source="series_id")
    since = serializers.DateField()
    until = serializers.DateField()
    meetings_held = serializers.IntegerField()
    cases_heard = serializers.IntegerField()
    distinct_cases = serializers.IntegerField()
    repeat_cases = serializers.IntegerField()
    repeat_rate = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)
    per_10000 = serializers.FloatField(allow_null=True)
    actions_agreed = serializers.IntegerField()
    actions_judged = serializers.IntegerField()
    actions_on_time = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True)
    actions_open = serializers.IntegerField()
    actions_overdue = serializers.IntegerField()
    attendance = ConferenceAgencyAttendanceSerializer(many=True)
    by_month = serializers.SerializerMethodField()

    @extend_schema_field(ConferenceMonthSerializer(many=True))
    def get_by_month(self, figures):
        rows = [{"month": month, "cases_heard": n} for month, n in figures.by_month]
        return ConferenceMonthSerializer(rows, many=True).data


class ConferenceMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    starts_at = serializers.DateTimeField()
    place = serializers.CharField()
    status = serializers.ChoiceField(choices=Meeting.Status.choices)
    agenda_sent_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ConferenceItemSerializer(serializers.Serializer):
    """A case on the agenda: identifiers, why it is there and what came of it."""

    id = serializers.IntegerField()
    position = serializers.IntegerField()
    minutes = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    risk_level = serializers.CharField(source="referral.risk_level")
    criterion = serializers.ChoiceField(
        source="referral.criterion", choices=ConferenceReferral.Criterion.choices
    )
    is_repeat = serializers.BooleanField(source="referral.is_repeat")
    outcome = serializers.ChoiceField(choices=AgendaItem.Outcome.choices)


class ConferenceActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    series = serializers.IntegerField(source="series_id")
    meeting = serializers.IntegerField(source="item.meeting_id")
    item = serializers.IntegerField(source="item_id")
    case = serializers.IntegerField(source="case_id")
    case_reference = serializers.CharField(source="case.reference")
    text = serializers.CharField()
    agency = serializers.IntegerField(source="agency_id")
    person = serializers.IntegerField(source="person_id", allow_null=True)
    due_on = serializers.DateField()
    concerns = serializers.ListField(child=serializers.ChoiceField(choices=Concern.choices))
    status = serializers.ChoiceField(
        choices=ConferenceAction.Status.choices,
    )
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(help_text=_("The completion note, or why it was cancelled."))
    version = serializers.IntegerField()


class ConferenceMeetingDetailSerializer(ConferenceMeetingSerializer):
    quorum = serializers.IntegerField(source="series.quorum")
    agencies_present = serializers.ListField(child=serializers.IntegerField())
    quorum_reached = serializers.BooleanField()
    you_attend = serializers.BooleanField(
        help_text=_("You accepted this meeting's confidentiality statement.")
    )
    items = ConferenceItemSerializer(many=True, source="visible_items")
    open_actions_from_earlier = ConferenceActionSerializer(
        many=True,
        allow_null=True,
        help_text=_("Open actions of the series' earlier meetings: attendees and the chair side."),
    )


class ConferenceBriefPersonSerializer(serializers.Serializer):
    part = serializers.CharField()
    name = serializers.CharField()
    birth = serializers.CharField(help_text=_("The date of birth, or ≈ the age."))


class ConferenceBriefSerializer(serializers.Serializer):
    sealed = serializers.BooleanField(help_text=_("A sealed case shows nobody in it."))
    people = ConferenceBriefPersonSerializer(many=True)


class ConferenceResearchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.IntegerField(source="agency_id")
    topic = serializers.ChoiceField(choices=ResearchTopic.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class ConferenceItemDetailSerializer(ConferenceItemSerializer):
    """An agenda case with what research needs; the discussion and the actions for the
    meeting's attendees (null for others)."""

    brief = ConferenceBriefSerializer()
    risk_reasons = serializers.ListField(child=serializers.CharField())
    research = ConferenceResearchSerializer(many=True, source="visible_research")
    summary = serializers.CharField(source="shown_summary", allow_null=True)
    victim_view = serializers.CharField(source="shown_victim_view", allow_null=True)
    risks = serializers.CharField(source="shown_risks", allow_null=True)
    actions = ConferenceActionSerializer(many=True, source="shown_actions", allow_null=True)
    version = serializers.IntegerField()


# --- Input ------------------------------------------------------------------------------


class ConferenceVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text=_("The version you last read; refused if stale."),
    )


class ConferenceReasonSerializer(serializers.Serializer):
    reason = _text()


class ConferenceFiguresQuerySerializer(serializers.Serializer):
    since = serializers.DateField(
        required=False, help_text=_("The first day (default: a year before `until`).")
    )
    until = serializers.DateField(required=False, help_text=_("The last day (default: today)."))

    def validate(self, data):
        errors = {
            name: [_("Give a date from 2000 to 2099.")]
            for name in ("since", "until")
            if name in data and not FIRST_DAY <= data[name] <= LAST_DAY
        }
        if errors:
            raise ValidationError(errors)
        if "since" in data and "until" in data and data["since"] > data["until"]:
            raise ValidationError({"since": [_("The period starts after it ends.")]})
        return data


class ConferenceMeetingPlanSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ConferenceReferSerializer(serializers.Serializer):
    case = _id()
    reason = _text(help_text=_("Why the case needs the conference, in your own judgement."))


class ConferenceAgendaSerializer(serializers.Serializer):
    referral = _id(required=False, help_text=_("A referral waiting in the series' queue."))
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_MINUTES, required=False)
    build = serializers.BooleanField(
        default=False,
        help_text=_("Instead of `referral`: list the queue's cases, critical first."),
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text=_("With `build`: at most so many.")
    )

    def validate(self, data):
        if data["build"] == ("referral" in data):
            raise ValidationError(
                {"referral": [_("Choose a case from the queue, or build the agenda from it.")]}
            )
        return data


class ConferenceAttendSerializer(serializers.Serializer):
    accept = serializers.BooleanField(
        help_text=_("You accept the confidentiality statement (in the language you read).")
    )


class ConferenceResearchAddSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=ResearchTopic.choices)
    text = _text(help_text=_("What your agency holds about this case."))


class ConferenceDiscussionSerializer(ConferenceVersionSerializer):
    summary = _text()
    victim_view = _text(help_text=_("Her view, as her coordinator gave it."))
    risks = _text()


class ConferenceActionAddSerializer(serializers.Serializer):
    text = _text(help_text=_("What will be done."))
    agency = _id(required=False, allow_null=True, help_text=_("The responsible agency."))
    person = _id(required=False, allow_null=True, help_text=_("The responsible person."))
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    concerns = serializers.ListField(
        child=serializers.ChoiceField(choices=Concern.choices),
        required=False,
        default=list,
        max_length=len(Concern.choices),
        help_text=_("Whom it protects or addresses."),
    )

    def validate(self, data):
        errors = {}
        agency_id, person_id = data.get("agency"), data.get("person")
        data["agency"] = data["person"] = None
        if agency_id is not None:
            data["agency"] = Agency.objects.filter(pk=agency_id).first()
            if data["agency"] is None:
                errors["agency"] = [_("There is no such agency.")]
        if person_id is not None:
            data["person"] = User.objects.filter(pk=person_id).first()
            if data["person"] is None:
                errors["person"] = [_("There is no such person.")]
        if errors:
            raise ValidationError(errors)
        return data


class ConferenceActionCompleteSerializer(ConferenceVersionSerializer):
    note = _text()


class ConferenceActionCancelSerializer(ConferenceVersionSerializer):
    reason = _text(help_text=_("Why the action is no longer needed."))


class ConferenceActionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ConferenceAction.Status.choices,
        required=False,
    )
    mine = serializers.BooleanField(required=False, help_text=_("Only your agency's actions."))
    before = _id(required=False, help_text=_("Return actions older than this id."))


class ConferenceActionPageSerializer(serializers.Serializer):
    results = ConferenceActionSerializer(many=True)
    next_before = serializers.IntegerField(
        allow_null=True, help_text=_("Pass as `before` for the next page; null on the last.")
    )


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Series -----------------------------------------------------------------------------


class SeriesListView(APIView):
    """The conference series you chair or sit in (every one for the coordinating body and
    administrators: settings and figures only)."""

    @extend_schema(responses=ConferenceSeriesSerializer(many=True))
    def get(self, request):
        series = selectors.series_visible_to(request.user).prefetch_related("members")
        return Response(ConferenceSeriesSerializer(series.order_by("code"), many=True).data)


class _SeriesView(APIView):
    """A series' routes look it up before anything else (in `initial`, which every method
    passes, even one the route does not serve): a 404 for whom it does not concern."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.series = selectors.series_get_for_user(
            user=request.user, series_id=kwargs.get("series_id")
        )


class SeriesDetailView(_SeriesView):
    @extend_schema(responses=ConferenceSeriesDetailSerializer)
    def get(self, request, series_id: int):
        """The series; for its chair side also the queue and the cases under its watch."""
        series = self.series
        series.queue = series.watch = None
        if selectors.series_is_chair(user=request.user, series=series):
            series.queue = list(selectors.queue_of_series(series, viewer=request.user))
            series.watch = list(selectors.watch_of_series(series, viewer=request.user))
        return Response(ConferenceSeriesDetailSerializer(series).data)


class SeriesFiguresView(_SeriesView):
    @extend_schema(
        parameters=[ConferenceFiguresQuerySerializer],
        responses=ConferenceFiguresSerializer,
        description=(
            "The series' figures over a period: the chair side, member agencies' leads and "
            "the coordinating body."
        ),
    )
    def get(self, request, series_id: int):
        if not selectors.figures_visible(user=request.user, series=self.series):
            raise Http404
        period = _valid(ConferenceFiguresQuerySerializer, request.query_params)
        figures = series_figures(self.series, since=period.get("since"), until=period.get("until"))
        return Response(ConferenceFiguresSerializer(figures).data)


class SeriesMeetingsView(_SeriesView):
    @extend_schema(responses=ConferenceMeetingSerializer(many=True))
    def get(self, request, series_id: int):
        """The series' meetings, the latest first (its chair side and members)."""
        meetings = selectors.meetings_visible_to(request.user).filter(series=self.series)
        return Response(ConferenceMeetingSerializer(meetings, many=True).data)

    @extend_schema(
        request=ConferenceMeetingPlanSerializer,
        responses={201: ConferenceMeetingDetailSerializer},
        description="Plan a meeting (the chair side).",
    )
    def post(self, request, series_id: int):
        data = _valid(ConferenceMeetingPlanSerializer, request.data)
        meeting = services.meeting_plan(actor=request.user, series=self.series, **data)
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting.pk)
        response = _meeting(request, meeting, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-conference-meeting", args=[meeting.pk])
        return response


class ReferView(APIView):
    @extend_schema(
        request=ConferenceReferSerializer,
        responses={201: ConferenceReferralSerializer},
        description=(
            "Refer a case to its area's conference on your professional judgement, with "
            "a written reason. It waits in the queue with its latest risk assessment."
        ),
    )
    def post(self, request):
        data = _valid(ConferenceReferSerializer, request.data)
        case = case_get_for_user(user=request.user, case_id=data["case"])
        referral = services.conference_refer(actor=request.user, case=case, reason=data["reason"])
        return Response(ConferenceReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


# --- Meetings ---------------------------------------------------------------------------


def _meeting(request, meeting: Meeting, *, status_code=status.HTTP_200_OK) -> Response:
    user = request.user
    meeting.visible_items = list(selectors.items_visible_to(user=user, meeting=meeting))
    meeting.agencies_present = sorted(services.agencies_present(meeting))
    meeting.quorum_reached = services.quorum_reached(meeting)
    meeting.you_attend = selectors.meeting_attends(user=user, meeting=meeting)
    meeting.open_actions_from_earlier = None
    if meeting.you_attend or selectors.series_is_chair(user=user, series=meeting.series):
        meeting.open_actions_from_earlier = list(
            selectors.open_actions_of_series(
                meeting.series, before=meeting.starts_at, viewer=request.user
            )
        )
    return Response(ConferenceMeetingDetailSerializer(meeting).data, status=status_code)


class _MeetingView(APIView):
    """A meeting's routes look it up before anything else, as a series' do."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.meeting = selectors.meeting_get_for_user(
            user=request.user, meeting_id=kwargs.get("meeting_id")
        )

    def act(self, request, service, serializer_class=None) -> Response:
        """Call the service on the meeting; the answer is the meeting as it now is."""
        data = _valid(serializer_class, request.data) if serializer_class else {}
        _call(service, actor=request.user, meeting=self.meeting, **data)
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=self.meeting.pk)
        return _meeting(request, meeting)


class MeetingDetailView(_MeetingView):
    @extend_schema(responses=ConferenceMeetingDetailSerializer)
    def get(self, request, meeting_id: int):
        """The meeting, its agenda (as far as you may see it) and its attendance."""
        event_record(
            action="conference.meeting_viewed",
            actor=request.user,
            object_type="meeting",
            object_id=self.meeting.pk,
            data={"series": self.meeting.series_id, "channel": "api"},
        )
        return _meeting(request, self.meeting)


class MeetingAgendaView(_MeetingView):
    @extend_schema(
        request=ConferenceAgendaSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description=(
            "List a queued case on the agenda (`referral`), or the queue's cases until the "
            "meeting's time is full (`build`). The chair side."
        ),
    )
    def post(self, request, meeting_id: int):
        _require_chair(request.user, self.meeting.series)
        data = _valid(ConferenceAgendaSerializer, request.data)
        if data["build"]:
            services.agenda_build(actor=request.user, meeting=self.meeting, limit=data.get("limit"))
        else:
            referral = ConferenceReferral.objects.filter(
                pk=data["referral"], series_id=self.meeting.series_id
            ).first()
            if referral is None:
                raise ValidationError(
                    {"referral": [_("This case is not waiting in this series' queue.")]}
                )
            _call(
                services.agenda_add,
                actor=request.user,
                meeting=self.meeting,
                referral=referral,
                minutes=data.get("minutes"),
            )
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=self.meeting.pk)
        return _meeting(request, meeting)


class MeetingAgendaSendView(_MeetingView):
    @extend_schema(
        request=None,
        responses=ConferenceMeetingDetailSerializer,
        description="Tell the member agencies that the agenda is ready for their research.",
    )
    def post(self, request, meeting_id: int):
        return self.act(request, services.agenda_send)


class MeetingOpenView(_MeetingView):
    @extend_schema(
        request=ConferenceVersionSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description="Open the meeting (the chair side): it is in session.",
    )
    def post(self, request, meeting_id: int):
        return self.act(request, services.meeting_open, ConferenceVersionSerializer)


class MeetingAttendView(_MeetingView):
    @extend_schema(
        request=ConferenceAttendSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description=(
            "Accept the meeting's confidentiality statement, in the language you read: that "
            "is your attendance. Once per meeting."
        ),
    )
    def post(self, request, meeting_id: int):
        data = _valid(ConferenceAttendSerializer, request.data)
        language = (translation.get_language() or "az")[:2]
        services.meeting_attend(
            actor=request.user, meeting=self.meeting, accept=data["accept"], language=language
        )
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=self.meeting.pk)
        return _meeting(request, meeting)


class MeetingCloseView(_MeetingView):
    @extend_schema(
        request=ConferenceVersionSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description=(
            "Close the meeting (the chair side): the quorum reached, every case discussed or "
            "deferred, every action with a named person. Its minutes then stand."
        ),
    )
    def post(self, request, meeting_id: int):
        return self.act(request, services.meeting_close, ConferenceVersionSerializer)


class MeetingCancelView(_MeetingView):
    @extend_schema(
        request=ConferenceReasonSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description="Cancel a meeting that has not sat, saying why: its cases go back to the queue.",
    )
    def post(self, request, meeting_id: int):
        return self.act(request, services.meeting_cancel, ConferenceReasonSerializer)


# --- Agenda items -----------------------------------------------------------------------


def _item(request, item: AgendaItem) -> Response:
    user, meeting = request.user, item.meeting
    item.brief = selectors.research_brief(user=user, item=item)
    assessment = item.referral.risk_assessment
    # The reasons describe her situation: a sealed case withholds them, as it does the people.
    item.risk_reasons = (
        [] if item.brief.sealed or assessment is None else assessment_reasons(assessment)
    )
    item.visible_research = list(selectors.research_visible_to(user=user, item=item))
    attends = selectors.may_see_discussion(user=user, meeting=meeting)
    item.shown_summary = item.summary if attends else None
    item.shown_victim_view = item.victim_view if attends else None
    item.shown_risks = item.risks if attends else None
    item.shown_actions = None
    if attends:
        item.shown_actions = list(
            ConferenceAction.objects.filter(item=item).select_related("case", "item")
        )
    return Response(ConferenceItemDetailSerializer(item).data)


class _ItemView(_MeetingView):
    """An agenda item's routes look up its meeting, then the item."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.item = selectors.item_get_for_user(
            user=request.user, meeting=self.meeting, item_id=kwargs.get("item_id")
        )
        self.item.meeting = self.meeting

    def fresh_item(self, request) -> AgendaItem:
        item = selectors.item_get_for_user(
            user=request.user, meeting=self.meeting, item_id=self.item.pk
        )
        item.meeting = self.meeting
        return item


class ItemDetailView(_ItemView):
    @extend_schema(responses=ConferenceItemDetailSerializer)
    def get(self, request, meeting_id: int, item_id: int):
        """The case as research needs it (who is who, the risk level and its reasons), the
        research you may read, and for attendees the discussion and the actions."""
        event_record(
            action="conference.research_viewed",
            actor=request.user,
            object_type="case",
            object_id=self.item.case_id,
            data={"meeting": self.meeting.pk, "item": self.item.pk, "channel": "api"},
        )
        return _item(request, self.item)


class ItemResearchView(_ItemView):
    @extend_schema(
        request=ConferenceResearchAddSerializer,
        responses={201: ConferenceResearchSerializer},
        description="Record what your agency holds about the case (member agencies).",
    )
    def post(self, request, meeting_id: int, item_id: int):
        data = _valid(ConferenceResearchAddSerializer, request.data)
        note = services.research_add(actor=request.user, item=self.item, **data)
        return Response(ConferenceResearchSerializer(note).data, status=status.HTTP_201_CREATED)


class ItemDiscussionView(_ItemView):
    @extend_schema(
        request=ConferenceDiscussionSerializer,
        responses=ConferenceItemDetailSerializer,
        description=(
            "Record the discussion (the chair side, attending, quorum reached). The first "
            "time, the attending agencies join the case's circle."
        ),
    )
    def post(self, request, meeting_id: int, item_id: int):
        data = _valid(ConferenceDiscussionSerializer, request.data)
        _call(services.item_discuss, actor=request.user, item=self.item, **data)
        return _item(request, self.fresh_item(request))


class ItemDeferView(_ItemView):
    @extend_schema(
        request=None,
        responses=ConferenceItemDetailSerializer,
        description="Not discussed at this meeting: the case goes back to the queue.",
    )
    def post(self, request, meeting_id: int, item_id: int):
        _call(services.item_defer, actor=request.user, item=self.item)
        return _item(request, self.fresh_item(request))


class ItemActionsView(_ItemView):
    @extend_schema(
        request=ConferenceActionAddSerializer,
        responses={201: ConferenceActionSerializer},
        description="Record an action agreed for the case (the chair side, in session).",
    )
    def post(self, request, meeting_id: int, item_id: int):
        _require_chair(request.user, self.meeting.series)
        data = _valid(ConferenceActionAddSerializer, request.data)
        action = services.action_add(actor=request.user, item=self.item, **data)
        action = selectors.action_get_for_user(user=request.user, action_id=action.pk)
        response = Response(ConferenceActionSerializer(action).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-conference-action", args=[action.pk])
        return response


# --- Actions ----------------------------------------------------------------------------


class ActionListView(APIView):
    """Actions of meetings you attended, and your agency's (to carry them out), newest
    first. Page with `before` (the last id you saw)."""

    @extend_schema(
        operation_id="conferences_actions_list",
        parameters=[ConferenceActionQuerySerializer],
        responses=ConferenceActionPageSerializer,
    )
    def get(self, request):
        query = _valid(ConferenceActionQuerySerializer, request.query_params)
        actions = selectors.actions_visible_to(request.user).select_related("case", "item")
        if "status" in query:
            actions = actions.filter(status=query["status"])
        if query.get("mine"):
            actions = actions.filter(agency_id=request.user.agency_id)
        if "before" in query:
            actions = actions.filter(pk__lt=query["before"])
        page = list(actions.order_by("-id")[: PAGE_SIZE + 1])
        more = len(page) > PAGE_SIZE
        page = page[:PAGE_SIZE]
        return Response(
            {
                "results": ConferenceActionSerializer(page, many=True).data,
                "next_before": page[-1].pk if more else None,
            }
        )


class _ActionView(APIView):
    """An action's routes look it up before anything else, as a series' do."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.conference_action = selectors.action_get_for_user(
            user=request.user, action_id=kwargs.get("action_id")
        )

    def act(self, request, service, serializer_class) -> Response:
        data = _valid(serializer_class, request.data)
        _call(service, actor=request.user, action=self.conference_action, **data)
        action = selectors.action_get_for_user(
            user=request.user, action_id=self.conference_action.pk
        )
        return Response(ConferenceActionSerializer(action).data)


class ActionDetailView(_ActionView):
    @extend_schema(responses=ConferenceActionSerializer)
    def get(self, request, action_id: int):
        return Response(ConferenceActionSerializer(self.conference_action).data)


class ActionCompleteView(_ActionView):
    @extend_schema(
        request=ConferenceActionCompleteSerializer,
        responses=ConferenceActionSerializer,
        description="Report the action done (its agency, or the person named).",
    )
    def post(self, request, action_id: int):
        return self.act(request, services.action_complete, ConferenceActionCompleteSerializer)


class ActionCancelView(_ActionView):
    @extend_schema(
        request=ConferenceActionCancelSerializer,
        responses=ConferenceActionSerializer,
        description="Cancel an action no longer needed, saying why (the chair side).",
    )
    def post(self, request, action_id: int):
        return self.act(request, services.action_cancel, ConferenceActionCancelSerializer)
