"""Conference actions: the list, one action, the chair's change while in session,
reporting it done, the chair's cancel."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.conferences import selectors, services
from birge.conferences.api._common import _call, _require_chair
from birge.conferences.api.serializers import (
    ConferenceActionCancelSerializer,
    ConferenceActionChangeSerializer,
    ConferenceActionCompleteSerializer,
    ConferenceActionQuerySerializer,
    ConferenceActionSerializer,
    _valid,
)
from birge.web.api_pagination import KeysetPagination

# --- Actions ----------------------------------------------------------------------------


class ActionListView(APIView):
    """Actions of meetings you attended, and your agency's (to carry them out), newest
    first. Page with `before` (the last id you saw)."""

    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="conferences_actions_list",
        parameters=[ConferenceActionQuerySerializer],
        responses=ConferenceActionSerializer(many=True),
    )
    def get(self, request):
        query = _valid(ConferenceActionQuerySerializer, request.query_params)
        actions = selectors.actions_visible_to(request.user).select_related("case", "item")
        if "status" in query:
            actions = actions.filter(status=query["status"])
        if query.get("mine"):
            actions = actions.filter(agency_id=request.user.agency_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(actions, request)
        return paginator.get_paginated_response(ConferenceActionSerializer(page, many=True).data)


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

    @extend_schema(
        request=ConferenceActionChangeSerializer,
        responses=ConferenceActionSerializer,
        description=(
            "Change the action, all of it, while its meeting is in session (the chair side): "
            "e.g. name the person responsible, who then hears of it."
        ),
    )
    def put(self, request, action_id: int):
        _require_chair(request.user, self.conference_action.series)
        data = _valid(ConferenceActionChangeSerializer, request.data)
        # The action as changed, even should its new agency take it out of her view.
        action = _call(
            services.action_update, actor=request.user, action=self.conference_action, **data
        )
        return Response(ConferenceActionSerializer(action).data)


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
