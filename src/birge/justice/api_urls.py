"""The justice API's routes, included under /api/v1/ by birge.api_urls."""

from django.urls import path

from birge.justice import api_proceedings
from birge.justice.api import figures as figures_api
from birge.justice.api import perpetrators as perpetrators_api

urlpatterns: list = [
    # proceedings and perpetrator programmes (birge.justice.api_proceedings)
    path(
        "cases/<id:case_id>/proceedings/",
        api_proceedings.ProceedingListView.as_view(),
        name="api-case-proceedings",
    ),
    path(
        "proceedings/<id:proceeding_id>/",
        api_proceedings.ProceedingDetailView.as_view(),
        name="api-proceeding",
    ),
    path(
        "proceedings/<id:proceeding_id>/stages/",
        api_proceedings.ProceedingStageView.as_view(),
        name="api-proceeding-stages",
    ),
    path(
        "cases/<id:case_id>/programmes/",
        api_proceedings.ProgrammeListView.as_view(),
        name="api-case-programmes",
    ),
    path(
        "programmes/<id:programme_id>/",
        api_proceedings.ProgrammeDetailView.as_view(),
        name="api-programme",
    ),
    path(
        "programmes/<id:programme_id>/attendance/",
        api_proceedings.ProgrammeAttendanceView.as_view(),
        name="api-programme-attendance",
    ),
    path(
        "programmes/<id:programme_id>/end/",
        api_proceedings.ProgrammeEndView.as_view(),
        name="api-programme-end",
    ),
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
