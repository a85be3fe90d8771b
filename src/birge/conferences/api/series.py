"""Series: the list, one series (with its queue and watch for the chair side), its
figures, its meetings; and referring a case on professional judgement."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.conferences import selectors, services
from birge.conferences.api.meetings import _meeting
from birge.conferences.api.serializers import (
    ConferenceFiguresQuerySerializer,
    ConferenceFiguresSerializer,
    ConferenceMeetingDetailSerializer,
    ConferenceMeetingPlanSerializer,
    ConferenceMeetingSerializer,
    ConferenceReferralSerializer,
    ConferenceReferSerializer,
    ConferenceSeriesDetailSerializer,
    ConferenceSeriesSerializer,
    _valid,
)
from birge.conferences.figures import series_figures

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
