"""The justice API's routes, included under /api/v1/ by birge.api_urls."""

from django.urls import path

from birge.justice.api import figures as figures_api
from birge.justice.api import perpetrators as perpetrators_api

urlpatterns: list = [
    path(
        "perpetrators/<id:perpetrator_id>/",
        perpetrators_api.PerpetratorDetailView.as_view(),
        name="api-perpetrator",
    ),
    path(
        "justice/figures/",
        figures_api.AccountabilityView.as_view(),
        name="api-justice-figures",
    ),
]
