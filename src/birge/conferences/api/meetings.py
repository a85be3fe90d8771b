"""A meeting: reading it, its agenda (listing cases, arranging them, sending it), opening,
attendance, closing and cancelling."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.audit.services import event_record
from birge.cases.idempotency import idempotent
from birge.conferences import selectors, services
from birge.conferences.api._common import _call, _require_chair
from birge.conferences.api.serializers import (
    ConferenceAgendaSerializer,
    ConferenceArrangeSerializer,
    ConferenceAttendSerializer,
    ConferenceMeetingDetailSerializer,
    ConferenceReasonSerializer,
    ConferenceVersionSerializer,
    _valid,
)
from birge.conferences.models import (
    Meeting,
)

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
    @idempotent
    def post(self, request, meeting_id: int):
        _require_chair(request.user, self.meeting.series)
        data = _valid(ConferenceAgendaSerializer, request.data)
        if data["build"]:
            services.agenda_build(actor=request.user, meeting=self.meeting, limit=data.get("limit"))
        else:
            # The queue as the chair sees it on the page: one answer for any other id.
            queue = selectors.queue_of_series(self.meeting.series, viewer=request.user)
            referral = queue.filter(pk=data["referral"]).first()
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


class MeetingAgendaArrangeView(_MeetingView):
    @extend_schema(
        request=ConferenceArrangeSerializer,
        responses=ConferenceMeetingDetailSerializer,
        description="Set the agenda cases' order and minutes (the chair side, until it closes).",
    )
    def post(self, request, meeting_id: int):
        _require_chair(request.user, self.meeting.series)
        data = _valid(ConferenceArrangeSerializer, request.data)
        order = {row["item"]: (row["position"], row["minutes"]) for row in data["items"]}
        # Only what she sees of the agenda: an item she may not see is as one of another meeting.
        visible = selectors.items_visible_to(user=request.user, meeting=self.meeting)
        if set(order) - set(visible.values_list("pk", flat=True)):
            raise ValidationError(
                {"items": [_("These agenda items are not on this meeting's agenda.")]}
            )
        _call(services.agenda_arrange, actor=request.user, meeting=self.meeting, order=order)
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
