"""The conferences API's routes, included under /api/v1/conferences/ by birge.api_urls."""

from django.urls import path

from birge.conferences.api import actions, items, meetings, series

urlpatterns = [
    path("series/", series.SeriesListView.as_view(), name="api-conference-series-list"),
    path("series/<id:series_id>/", series.SeriesDetailView.as_view(), name="api-conference-series"),
    path(
        "series/<id:series_id>/figures/",
        series.SeriesFiguresView.as_view(),
        name="api-conference-series-figures",
    ),
    path(
        "series/<id:series_id>/meetings/",
        series.SeriesMeetingsView.as_view(),
        name="api-conference-series-meetings",
    ),
    path(
        "series/<id:series_id>/queue/<id:referral_id>/withdraw/",
        series.QueueWithdrawView.as_view(),
        name="api-conference-queue-withdraw",
    ),
    path(
        "series/<id:series_id>/watch/<id:referral_id>/close/",
        series.WatchCloseView.as_view(),
        name="api-conference-watch-close",
    ),
    path("referrals/", series.ReferView.as_view(), name="api-conference-refer"),
    path(
        "meetings/<id:meeting_id>/",
        meetings.MeetingDetailView.as_view(),
        name="api-conference-meeting",
    ),
    path(
        "meetings/<id:meeting_id>/agenda/",
        meetings.MeetingAgendaView.as_view(),
        name="api-conference-meeting-agenda",
    ),
    path(
        "meetings/<id:meeting_id>/agenda/arrange/",
        meetings.MeetingAgendaArrangeView.as_view(),
        name="api-conference-meeting-agenda-arrange",
    ),
    path(
        "meetings/<id:meeting_id>/agenda/send/",
        meetings.MeetingAgendaSendView.as_view(),
        name="api-conference-meeting-agenda-send",
    ),
    path(
        "meetings/<id:meeting_id>/open/",
        meetings.MeetingOpenView.as_view(),
        name="api-conference-meeting-open",
    ),
    path(
        "meetings/<id:meeting_id>/attend/",
        meetings.MeetingAttendView.as_view(),
        name="api-conference-meeting-attend",
    ),
    path(
        "meetings/<id:meeting_id>/close/",
        meetings.MeetingCloseView.as_view(),
        name="api-conference-meeting-close",
    ),
    path(
        "meetings/<id:meeting_id>/cancel/",
        meetings.MeetingCancelView.as_view(),
        name="api-conference-meeting-cancel",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/",
        items.ItemDetailView.as_view(),
        name="api-conference-item",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/research/",
        items.ItemResearchView.as_view(),
        name="api-conference-item-research",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/remove/",
        items.ItemRemoveView.as_view(),
        name="api-conference-item-remove",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/discussion/",
        items.ItemDiscussionView.as_view(),
        name="api-conference-item-discussion",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/defer/",
        items.ItemDeferView.as_view(),
        name="api-conference-item-defer",
    ),
    path(
        "meetings/<id:meeting_id>/items/<id:item_id>/actions/",
        items.ItemActionsView.as_view(),
        name="api-conference-item-actions",
    ),
    path("actions/", actions.ActionListView.as_view(), name="api-conference-action-list"),
    path(
        "actions/<id:action_id>/", actions.ActionDetailView.as_view(), name="api-conference-action"
    ),
    path(
        "actions/<id:action_id>/complete/",
        actions.ActionCompleteView.as_view(),
        name="api-conference-action-complete",
    ),
    path(
        "actions/<id:action_id>/cancel/",
        actions.ActionCancelView.as_view(),
        name="api-conference-action-cancel",
    ),
]
