from django.urls import path

from birge.training import views

app_name = "training"

SESSION = "<id:training_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.session_new, name="session_new"),
    path("join/", views.join, name="join"),
    path(SESSION, views.session_detail, name="session"),
    path(SESSION + "release/", views.release, name="release"),
    path(SESSION + "close/", views.close, name="close"),
    path(SESSION + "stages/<slug:stage_id>/", views.stage_answer, name="stage"),
    path(SESSION + "stages/<slug:stage_id>/spread/", views.stage_spread, name="spread"),
    path(SESSION + "report/", views.report, name="report"),
    path(SESSION + "report.pdf", views.report_pdf_download, name="report_pdf"),
    path(SESSION + "workshop/", views.workshop, name="workshop"),
    path(SESSION + "workshop/carry/", views.workshop_carry_view, name="workshop_carry"),
]
