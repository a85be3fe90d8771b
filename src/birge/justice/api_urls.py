"""The justice API's routes, included under /api/v1/ by birge.api_urls."""

from django.urls import path

from birge.justice import api_orders as orders

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
]
