from django.urls import path

from birge.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_register, name="case_register"),
    path("emergency/", views.emergency_access, name="emergency_access"),
    path("emergency/<id:grant_id>/end/", views.emergency_access_end, name="emergency_access_end"),
    path("emergency/review/", views.emergency_review_list, name="emergency_review_list"),
    path("emergency/review/<id:grant_id>/", views.emergency_review, name="emergency_review"),
    path("relations/", views.relations, name="relations"),
    path(
        "relations/<id:declaration_id>/withdraw/",
        views.relation_withdraw,
        name="relation_withdraw",
    ),
    path("retired/", views.retired_list, name="retired_list"),
    path("retired/<id:case_id>/restore/", views.case_restore, name="case_restore"),
    path("<id:case_id>/", views.case_detail, name="case_detail"),
    path("<id:case_id>/print/", views.case_print, name="case_print"),
    path("<id:case_id>/access/", views.case_access_log, name="case_access_log"),
    path("<id:case_id>/possible-match/", views.possible_match_answer, name="possible_match_answer"),
    path("<id:case_id>/incidents/new/", views.incident_add, name="incident_add"),
    path("<id:case_id>/consents/new/", views.consent_add, name="consent_add"),
    path(
        "<id:case_id>/consents/<id:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<id:case_id>/share/", views.case_share, name="case_share"),
    path("<id:case_id>/circle/<id:member_id>/remove/", views.case_unshare, name="case_unshare"),
    path("<id:case_id>/seal/", views.case_seal, name="case_seal"),
    path("<id:case_id>/unseal/", views.case_unseal, name="case_unseal"),
    path("<id:case_id>/close/", views.case_close, name="case_close"),
    path("<id:case_id>/reopen/", views.case_reopen, name="case_reopen"),
    path("<id:case_id>/retire/", views.case_retire, name="case_retire"),
]
