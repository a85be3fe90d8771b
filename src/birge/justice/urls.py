"""The justice app's pages, under /justice/: protection orders and their breaches,
proceedings, perpetrator programmes, the perpetrator across cases and the accountability
figures."""

from django.urls import path

from birge.justice.views import figures as figures_views
from birge.justice.views import perpetrators as perpetrator_views
from birge.justice.views import proceedings

app_name = "justice"

urlpatterns: list = [
    # proceedings and perpetrator programmes (birge.justice.views.proceedings)
    path("cases/<id:case_id>/proceedings/new/", proceedings.proceeding_new, name="proceeding_new"),
    path(
        "proceedings/<id:proceeding_id>/", proceedings.proceeding_detail, name="proceeding_detail"
    ),
    path("cases/<id:case_id>/programmes/new/", proceedings.programme_new, name="programme_new"),
    path("programmes/<id:programme_id>/", proceedings.programme_detail, name="programme_detail"),
    path(
        "perpetrators/<id:perpetrator_id>/",
        perpetrator_views.perpetrator_detail,
        name="perpetrator",
    ),
    path("figures/", figures_views.accountability, name="figures"),
    path("figures/export.csv", figures_views.export, {"format": "csv"}, name="figures_csv"),
    path("figures/export.xlsx", figures_views.export, {"format": "xlsx"}, name="figures_xlsx"),
]
