"""The conferences API's routes, included under /api/v1/conferences/ by birge.web.api_urls."""

from django.urls import path

from birge.conferences import api

urlpatterns = [
    path("series/", api.SeriesListView.as_view(), name="api-conference-series-list"),
    path("series/<id:series_id>/", api.SeriesDetailView.as_view(), name="api-conference-series"),
    path(
        "series/<id:series_id>/figures/",
        api.SeriesFiguresView.as_view(),
        name="api-conference-series-figures",
    ),
    path(
        "series/<id:series_id>/meetings/",
        api.SeriesMeetingsView.as_view(),
        name="api-conference-series-meetings",
    ),
    path("referrals/", api.ReferView.as_view(), name="api-conference-refer"),
    path(
        "meetings/<id:meeting_id>/", api.MeetingDetailView.as_view(), name="api-conference-meeting"
    ),
    path(
        "meetings/<id:meeting_id>/agenda/",
        api.MeetingAgendaView.as_view(),
        name="api-conference-meeting-agenda",
    ),
    path(
        "meetings/<id:meeting_id>/agenda/send/",
        api.MeetingAgendaSendView.as_view(),
        name="api-conference-meeting-agenda-send",
    ),
    path(
        "meetings/<id:meeting_id>/open/",
        api.MeetingOpenView.as_view(),
        name="api-conference-meeting-open",
    ),
    path(
        "meetings/<id:meeting_id>/attend/",
        api.MeetingAttendView.as_view(),
        name="api-conference-meeting-attend",
    ),
    path(
        "meetings/<id:meeting_id>/close/",
        api.MeetingCloseView.as_view(),
        name="api-conference-meeting-close",
    ),
    path(
        "meetings/<id:meeting_id>/cancel/",
        api.MeetingCancelView.as_view(),
        name="api-conference-meeting-cancel",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/",
        api.ItemDetailView.as_view(),
        name="api-conference-item",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/research/",
        api.ItemResearchView.as_view(),
        name="api-conference-item-research",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/discussion/",
        api.ItemDiscussionView.as_view(),
        name="api-conference-item-discussion",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/defer/",
        api.ItemDeferView.as_view(),
        name="api-conference-item-defer",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/actions/",
        api.ItemActionsView.as_view(),
        name="api-conference-item-actions",
    ),
    path("actions/", api.ActionListView.as_view(), name="api-conference-action-list"),
    path("actions/<id:action_id>/", api.ActionDetailView.as_view(), name="api-conference-action"),
    path(
        "actions/<id:action_id>/complete/",
        api.ActionCompleteView.as_view(),
        name="api-conference-action-complete",
    ),
    path(
        "actions/<id:action_id>/cancel/",
        api.ActionCancelView.as_view(),
        name="api-conference-action-cancel",
    ),
]
