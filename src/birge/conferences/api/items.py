"""An agenda item: the research brief and research, taking it off the agenda, the
discussion, deferring, actions."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from birge.access.fields import case_scopes
from birge.audit.services import event_record
from birge.cases.idempotency import idempotent
from birge.conferences import selectors, services
from birge.conferences.api._common import _call, _require_chair
from birge.conferences.api.meetings import _meeting, _MeetingView
from birge.conferences.api.serializers import (
    ConferenceActionAddSerializer,
    ConferenceActionSerializer,
    ConferenceDiscussionSerializer,
    ConferenceItemDetailSerializer,
    ConferenceMeetingDetailSerializer,
    ConferenceResearchAddSerializer,
    ConferenceResearchSerializer,
    _valid,
)
from birge.conferences.models import (
    AgendaItem,
    ConferenceAction,
)
from birge.risk.selectors import assessment_reasons, items_hidden_from

# --- Agenda items -----------------------------------------------------------------------


def _item(request, item: AgendaItem) -> Response:
    user, meeting = request.user, item.meeting
    item.brief = selectors.research_brief(user=user, item=item)
    assessment = item.referral.risk_assessment
    # The reasons describe her situation: a sealed case withholds them, as it does the people.
    item.risk_reasons = (
        []
        if item.brief.sealed or assessment is None
        else assessment_reasons(
            assessment, hidden=items_hidden_from(case_scopes(user=user, case=item.case))
        )
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
    @idempotent
    def post(self, request, meeting_id: int, item_id: int):
        data = _valid(ConferenceResearchAddSerializer, request.data)
        note = services.research_add(actor=request.user, item=self.item, **data)
        return Response(ConferenceResearchSerializer(note).data, status=status.HTTP_201_CREATED)


class ItemRemoveView(_ItemView):
    @extend_schema(
        request=None,
        responses=ConferenceMeetingDetailSerializer,
        description=(
            "Take a case off the agenda before it is discussed (the chair side): it goes "
            "back to the queue. The answer is the meeting."
        ),
    )
    def post(self, request, meeting_id: int, item_id: int):
        _call(services.agenda_remove, actor=request.user, item=self.item)
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=self.meeting.pk)
        return _meeting(request, meeting)


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
    @idempotent
    def post(self, request, meeting_id: int, item_id: int):
        _require_chair(request.user, self.meeting.series)
        data = _valid(ConferenceActionAddSerializer, request.data)
        action = services.action_add(actor=request.user, item=self.item, **data)
        action = selectors.action_get_for_user(user=request.user, action_id=action.pk)
        response = Response(ConferenceActionSerializer(action).data, status=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-conference-action", args=[action.pk])
        return response
