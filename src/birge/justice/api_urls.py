"""The justice API's routes, included under /api/v1/ by birge.api_urls."""

from django.urls import path

from birge.justice import api_orders as orders
from birge.justice import api_proceedings
from birge.justice.api import figures as figures_api
from birge.justice.api import perpetrators as perpetrators_api

urlpatterns: list = [
    # Protection orders (api_orders.py).
    path("order-types/", orders.OrderTypesView.as_view(), name="api-order-types"),
    path("cases/<id:case_id>/orders/", orders.CaseOrdersView.as_view(), name="api-case-orders"),
    path("orders/<id:order_id>/", orders.OrderDetailView.as_view(), name="api-order-detail"),
    path("orders/<id:order_id>/issue/", orders.OrderIssueView.as_view(), name="api-order-issue"),
    path("orders/<id:order_id>/refuse/", orders.OrderRefuseView.as_view(), name="api-order-refuse"),
    path("orders/<id:order_id>/serve/", orders.OrderServeView.as_view(), name="api-order-serve"),
    path("orders/<id:order_id>/extend/", orders.OrderExtendView.as_view(), name="api-order-extend"),
    path("orders/<id:order_id>/vary/", orders.OrderVaryView.as_view(), name="api-order-vary"),
    path("orders/<id:order_id>/revoke/", orders.OrderRevokeView.as_view(), name="api-order-revoke"),
    path(
        "orders/<id:order_id>/breaches/", orders.OrderBreachView.as_view(), name="api-order-breach"
    ),
    path(
        "orders/<id:order_id>/breaches/<id:breach_id>/sanction/",
        orders.BreachSanctionView.as_view(),
        name="api-breach-sanction",
    ),
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
