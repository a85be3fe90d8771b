from django.urls import path

from birge.conferences import urls_papers, views

app_name = "conferences"

MEETING = "meetings/<id:meeting_id>/"
ITEM = MEETING + "items/<id:item_id>/"
ACTION = "actions/<id:action_id>/"

# The pages' routes (views.py); the minutes and figures add theirs (urls_papers.py).
urlpatterns = [
    path("", views.index, name="index"),
    path("series/new/", views.series_new, name="series_new"),
    path("series/<id:series_id>/", views.series_detail, name="series_detail"),
    path("series/<id:series_id>/edit/", views.series_edit, name="series_edit"),
    path("series/<id:series_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path(
        "series/<id:series_id>/queue/<id:referral_id>/withdraw/",
        views.queue_withdraw,
        name="queue_withdraw",
    ),
    path(
        "series/<id:series_id>/watch/<id:referral_id>/close/",
        views.watch_close,
        name="watch_close",
    ),
    path("refer/<id:case_id>/", views.refer, name="refer"),
    path(MEETING, views.meeting_detail, name="meeting_detail"),
    path(MEETING + "agenda/build/", views.agenda_build, name="agenda_build"),
    path(MEETING + "agenda/add/", views.agenda_add, name="agenda_add"),
    path(MEETING + "agenda/arrange/", views.agenda_arrange, name="agenda_arrange"),
    path(MEETING + "agenda/send/", views.agenda_send, name="agenda_send"),
    path(MEETING + "open/", views.meeting_open, name="meeting_open"),
    path(MEETING + "attend/", views.meeting_attend, name="meeting_attend"),
    path(MEETING + "close/", views.meeting_close, name="meeting_close"),
    path(MEETING + "cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(ITEM, views.item_detail, name="item_detail"),
    path(ITEM + "remove/", views.item_remove, name="item_remove"),
    path(ITEM + "defer/", views.item_defer, name="item_defer"),
    path(ITEM + "research/", views.item_research, name="item_research"),
    path(ITEM + "discussion/", views.item_discussion, name="item_discussion"),
    path(ITEM + "actions/new/", views.item_action_new, name="item_action_new"),
    path("actions/", views.actions_list, name="actions_list"),
    path(ACTION, views.action_detail, name="action_detail"),
    path(ACTION + "complete/", views.action_complete, name="action_complete"),
    path(ACTION + "cancel/", views.action_cancel, name="action_cancel"),
    path(ACTION + "edit/", views.action_edit, name="action_edit"),
    *urls_papers.urlpatterns,
]
