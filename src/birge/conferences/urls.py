from django.urls import path

from birge.conferences.views import actions, figures_export, items, meetings, papers, series

app_name = "conferences"

MEETING = "meetings/<id:meeting_id>/"
ITEM = MEETING + "items/<id:item_id>/"
ACTION = "actions/<id:action_id>/"


urlpatterns = [
    path("", series.index, name="index"),
    path("series/new/", series.series_new, name="series_new"),
    path("series/<id:series_id>/", series.series_detail, name="series_detail"),
    path("series/<id:series_id>/edit/", series.series_edit, name="series_edit"),
    path("series/<id:series_id>/meetings/new/", series.meeting_new, name="meeting_new"),
    path(
        "series/<id:series_id>/queue/<id:referral_id>/withdraw/",
        series.queue_withdraw,
        name="queue_withdraw",
    ),
    path(
        "series/<id:series_id>/watch/<id:referral_id>/close/",
        series.watch_close,
        name="watch_close",
    ),
    path("refer/<id:case_id>/", series.refer, name="refer"),
    path(MEETING, meetings.meeting_detail, name="meeting_detail"),
    path(MEETING + "agenda/build/", meetings.agenda_build, name="agenda_build"),
    path(MEETING + "agenda/add/", meetings.agenda_add, name="agenda_add"),
    path(MEETING + "agenda/arrange/", meetings.agenda_arrange, name="agenda_arrange"),
    path(MEETING + "agenda/send/", meetings.agenda_send, name="agenda_send"),
    path(MEETING + "open/", meetings.meeting_open, name="meeting_open"),
    path(MEETING + "attend/", meetings.meeting_attend, name="meeting_attend"),
    path(MEETING + "close/", meetings.meeting_close, name="meeting_close"),
    path(MEETING + "cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path(ITEM, items.item_detail, name="item_detail"),
    path(ITEM + "remove/", items.item_remove, name="item_remove"),
    path(ITEM + "defer/", items.item_defer, name="item_defer"),
    path(ITEM + "research/", items.item_research, name="item_research"),
    path(ITEM + "discussion/", items.item_discussion, name="item_discussion"),
    path(ITEM + "actions/new/", items.item_action_new, name="item_action_new"),
    path(ITEM + "actions/people/", items.item_people, name="item_people"),
    path("actions/", actions.actions_list, name="actions_list"),
    path(ACTION, actions.action_detail, name="action_detail"),
    path(ACTION + "complete/", actions.action_complete, name="action_complete"),
    path(ACTION + "cancel/", actions.action_cancel, name="action_cancel"),
    path(ACTION + "edit/", actions.action_edit, name="action_edit"),
    path(MEETING + "minutes/", papers.minutes, name="minutes"),
    path(MEETING + "minutes.pdf", papers.minutes_pdf_download, name="minutes_pdf"),
    path("series/<id:series_id>/figures/", papers.figures, name="figures"),
    path(
        "series/<id:series_id>/figures/export.csv",
        figures_export.figures_export,
        {"format": "csv"},
        name="figures_export_csv",
    ),
    path(
        "series/<id:series_id>/figures/export.xlsx",
        figures_export.figures_export,
        {"format": "xlsx"},
        name="figures_export_xlsx",
    ),
]
