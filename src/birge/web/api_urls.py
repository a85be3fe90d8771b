from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from birge.accounts import api as accounts_api
from birge.agencies import api as agencies_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("auth/token/", accounts_api.TokenCreateView.as_view(), name="api-token"),
    path("auth/token/revoke/", accounts_api.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("me/", agencies_api.MeView.as_view(), name="api-me"),
    path("agencies/", agencies_api.AgencyListView.as_view(), name="api-agency-list"),
    path("agencies/<int:pk>/", agencies_api.AgencyDetailView.as_view(), name="api-agency-detail"),
]
