from django.urls import include, path

urlpatterns = [
    path("", include("birge.home.urls")),
    path("account/", include("birge.accounts.urls")),
    path("admin/", include("birge.agencies.urls")),
    path("audit/", include("birge.oversight.urls")),
    path("cases/", include("birge.cases.urls")),
    path("cases/<id:case_id>/safety/", include("birge.safety.urls")),
    path("referrals/compliance/", include("birge.referrals.urls_compliance")),
    path("referrals/", include("birge.referrals.urls")),
    path("conferences/", include("birge.conferences.urls")),
    path("justice/", include("birge.justice.urls")),
    path("training/", include("birge.training.urls")),
    path("reports/", include("birge.reports.urls")),
    path("open-data/", include("birge.reports.urls_open_data")),
    path("risk/validation/", include("birge.risk.urls_validation")),
    path("", include("birge.risk.urls")),
    path("notifications/", include("birge.notifications.urls")),
    path("words/", include("birge.words.urls")),
    path("api/v1/", include("birge.api_urls")),
]

handler400 = "birge.web.views.bad_request"
handler403 = "birge.web.views.permission_denied"
handler404 = "birge.web.views.page_not_found"
handler500 = "birge.web.views.server_error"
