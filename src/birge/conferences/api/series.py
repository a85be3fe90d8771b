"""Series: the list, one series (with its queue and watch for the chair side), setting
one up or changing it (administrators), its figures, its meetings, taking a case out of
its queue and closing one under its watch; and referring a case on professional
judgement."""

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from birge.access.cases import case_get_for_user
from birge.cases.idempotency import idempotent
from birge.conferences import selectors, services
from birge.conferences.api._common import _call, _require_admin, _require_chair
from birge.conferences.api.meetings import _meeting
from birge.conferences.api.serializers import (
    ConferenceFiguresQuerySerializer,
    ConferenceFiguresSerializer,
    ConferenceMeetingDetailSerializer,
    ConferenceMeetingPlanSerializer,
    ConferenceMeetingSerializer,
    ConferenceNoteSerializer,
    ConferenceReasonSerializer,
    ConferenceReferralSerializer,
    ConferenceReferSerializer,
    ConferenceSeriesDetailSerializer,
    ConferenceSeriesSaveSerializer,
    ConferenceSeriesSerializer,
    _valid,
)
from birge.conferences.figures import published_figures
from birge.conferences.models import ConferenceSeries
from birge.web.api_schema import errors
from birge.web.replica import reads_from_replica

# --- Series -----------------------------------------------------------------------------


def _series(request, series: ConferenceSeries, *, status_code=status.HTTP_200_OK) -> Response:
    """The series; for its chair side also the queue and the cases under its watch."""
    series.queue = series.watch = None
    if selectors.series_is_chair(user=request.user, series=series):
        series.queue = list(selectors.queue_of_series(series, viewer=request.user))
        series.watch = list(selectors.watch_of_series(series, viewer=request.user))
    return Response(ConferenceSeriesDetailSerializer(series).data, status=status_code)


def _series_save(request, series: ConferenceSeries | None) -> ConferenceSeries:
    """The administrators' settings, checked field by field, saved by the service."""
    _require_admin(request.user)
    data = _valid(ConferenceSeriesSaveSerializer, request.data, context={"series": series})
    members = data.pop("members")
    saved = services.series_save(actor=request.user, data=data, members=members, series=series)
    return selectors.series_get_for_user(user=request.user, series_id=saved.pk)


class SeriesListView(APIView):
    """The conference series you chair or sit in (every one for the coordinating body and
    administrators: settings and figures only)."""

    @extend_schema(responses=ConferenceSeriesSerializer(many=True))
    def get(self, request):
        series = selectors.series_visible_to(request.user).prefetch_related("members")
        return Response(ConferenceSeriesSerializer(series.order_by("code"), many=True).data)

    @extend_schema(
        request=ConferenceSeriesSaveSerializer,
        responses={201: ConferenceSeriesDetailSerializer},
        description=(
            "Set up a conference series (administrators). The open cases its area marked "
            "while no conference covered it join its queue."
        ),
    )
    @idempotent
    def post(self, request):
        series = _series_save(request, None)
        response = _series(request, series, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-conference-series", args=[series.pk])
        return response


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
        return _series(request, self.series)

    @extend_schema(
        request=ConferenceSeriesSaveSerializer,
        responses=ConferenceSeriesDetailSerializer,
        description="Change the series' settings, all of them (administrators).",
    )
    def put(self, request, series_id: int):
        return _series(request, _series_save(request, self.series))


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
        figures = reads_from_replica(published_figures)(
            self.series, since=period.get("since"), until=period.get("until")
        )
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
    @idempotent
    def post(self, request, series_id: int):
        data = _valid(ConferenceMeetingPlanSerializer, request.data)
        meeting = services.meeting_plan(actor=request.user, series=self.series, **data)
        meeting = selectors.meeting_get_for_user(user=request.user, meeting_id=meeting.pk)
        response = _meeting(request, meeting, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-conference-meeting", args=[meeting.pk])
        return response


class _SeriesReferralView(_SeriesView):
    """A case in the series' queue or under its watch: the chair side's, looked up after
    the series (a member learns nothing of which ids are there)."""

    referrals = None  # the selector of the series' list: its queue, or its watch

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _require_chair(request.user, self.series)
        listed = self.referrals(self.series, viewer=request.user)
        referral = listed.filter(pk=kwargs.get("referral_id")).first()
        if referral is None:
            raise Http404
        self.referral = referral


class QueueWithdrawView(_SeriesReferralView):
    referrals = staticmethod(selectors.queue_of_series)

    @extend_schema(
        request=ConferenceReasonSerializer,
        responses=ConferenceReferralSerializer,
        description="Take a waiting case out of the queue, saying why (the chair side).",
    )
    def post(self, request, series_id: int, referral_id: int):
        data = _valid(ConferenceReasonSerializer, request.data)
        _call(services.conference_withdraw, actor=request.user, referral=self.referral, **data)
        return Response(ConferenceReferralSerializer(self.referral).data)


class WatchCloseView(_SeriesReferralView):
    referrals = staticmethod(selectors.watch_of_series)

    @extend_schema(
        request=ConferenceNoteSerializer,
        responses=ConferenceReferralSerializer,
        description=(
            "Close a heard case at the conference once every action of it is done or "
            "cancelled (the chair side)."
        ),
    )
    def post(self, request, series_id: int, referral_id: int):
        data = _valid(ConferenceNoteSerializer, request.data)
        _call(services.watch_close, actor=request.user, referral=self.referral, **data)
        return Response(ConferenceReferralSerializer(self.referral).data)


class ReferView(APIView):
    @extend_schema(
        request=ConferenceReferSerializer,
        responses={201: ConferenceReferralSerializer, **errors(404)},
        description=(
            "Refer a case to its area's conference on your professional judgement, with "
            "a written reason. It waits in the queue with its latest risk assessment."
        ),
    )
    @idempotent
    def post(self, request):
        data = _valid(ConferenceReferSerializer, request.data)
        case = case_get_for_user(user=request.user, case_id=data["case"])
        referral = services.conference_refer(actor=request.user, case=case, reason=data["reason"])
        return Response(ConferenceReferralSerializer(referral).data, status=status.HTTP_201_CREATED)
