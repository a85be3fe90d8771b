from django.urls import path

from birge.risk import views

app_name = "risk"

urlpatterns = [
    path("cases/<id:case_id>/risk/", views.judgement, name="judgement"),
    path("cases/<id:case_id>/risk/new/", views.assessment_new, name="assessment_new"),
    path(
        "cases/<id:case_id>/risk/<id:assessment_id>/",
        views.assessment_detail,
        name="assessment_detail",
    ),
    path(
        "cases/<id:case_id>/risk/<id:assessment_id>/edit/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path(
        "cases/<id:case_id>/risk/<id:assessment_id>/submit/",
        views.assessment_submit,
        name="assessment_submit",
    ),
    path(
        "cases/<id:case_id>/risk/<id:assessment_id>/approve/",
        views.assessment_approve,
        name="assessment_approve",
    ),
    path(
        "cases/<id:case_id>/risk/<id:assessment_id>/correct/",
        views.assessment_correct,
        name="assessment_correct",
    ),
    path("risk/reassessments/", views.reassessments, name="reassessments"),
    path("risk/instruments/", views.instruments, name="instruments"),
]
