"""Included at cases/<id:case_id>/safety/: every route here takes the case's id."""

from django.urls import path

from birge.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/<id:victim_id>/", views.plan_create, name="plan_create"),
    path("<id:plan_id>/", views.plan_detail, name="plan_detail"),
    path("<id:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<id:plan_id>/print/", views.plan_print, name="plan_print"),
    path("<id:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("<id:plan_id>/actions/new/", views.action_add, name="action_add"),
    path(
        "<id:plan_id>/actions/<id:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
]
