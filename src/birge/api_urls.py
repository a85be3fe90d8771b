from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from birge.accounts import api as accounts_api
from birge.agencies import api as agencies_api
from birge.agencies import api_directory
from birge.cases import api as cases_api
from birge.home import api as home_api
from birge.notifications import api as notifications_api
from birge.referrals import api_compliance
from birge.reports import api as reports_api
from birge.risk import api as risk_api
from birge.risk import api_instruments
from birge.safety import api as safety_api

urlpatterns = [
    path("", include("birge.justice.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts_api.TokenCreateView.as_view(), name="api-token"),
    path("auth/token/revoke/", accounts_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", agencies_api.MeView.as_view(), name="api-me"),
    path("me/work/", home_api.MyWorkView.as_view(), name="api-me-work"),
    path(
        "notifications/",
        notifications_api.NotificationListView.as_view(),
        name="api-notifications",
    ),
    path("agencies/", agencies_api.AgencyListView.as_view(), name="api-agency-list"),
    path("agencies/<id:pk>/", agencies_api.AgencyDetailView.as_view(), name="api-agency-detail"),
    path("cases/", cases_api.CaseListView.as_view(), name="api-case-list"),
    path("cases/<id:case_id>/", cases_api.CaseDetailView.as_view(), name="api-case-detail"),
    path(
        "cases/<id:case_id>/incidents/",
        cases_api.IncidentListView.as_view(),
        name="api-case-incidents",
    ),
    path(
        "cases/<id:case_id>/consents/",
        cases_api.ConsentCreateView.as_view(),
        name="api-case-consents",
    ),
    path("cases/<id:case_id>/share/", cases_api.ShareView.as_view(), name="api-case-share"),
    path(
        "cases/<id:case_id>/assessments/",
        risk_api.AssessmentListView.as_view(),
        name="api-case-assessments",
    ),
    path(
        "cases/<id:case_id>/risk-level/",
        risk_api.LevelByJudgementView.as_view(),
        name="api-case-risk-level",
    ),
    path(
        "cases/<id:case_id>/assessments/<id:assessment_id>/",
        risk_api.AssessmentDetailView.as_view(),
        name="api-case-assessment",
    ),
    path("instruments/", api_instruments.InstrumentListView.as_view(), name="api-instruments"),
    path(
        "instruments/<slug:instrument_id>/<str:version>/",
        api_instruments.InstrumentDetailView.as_view(),
        name="api-instrument",
    ),
    path(
        "cases/<id:case_id>/safety-plans/",
        safety_api.SafetyPlanListView.as_view(),
        name="api-case-safety-plans",
    ),
    path(
        "cases/<id:case_id>/safety-plans/<id:plan_id>/",
        safety_api.SafetyPlanDetailView.as_view(),
        name="api-case-safety-plan",
    ),
    path(
        "referrals/compliance/",
        api_compliance.ComplianceView.as_view(),
        name="api-referral-compliance",
    ),
    path("statistics/", reports_api.StatisticsView.as_view(), name="api-statistics"),
    path("referrals/", include("birge.referrals.api_urls")),
    path("conferences/", include("birge.conferences.api_urls")),
    path("services/", api_directory.ServiceListView.as_view(), name="api-services"),
    path("protocol/", api_directory.ProtocolInForceView.as_view(), name="api-protocol"),
    path(
        "protocol/<id:number>/",
        api_directory.ProtocolVersionView.as_view(),
        name="api-protocol-version",
    ),
]
