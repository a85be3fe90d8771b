"""The justice app's pages, under /justice/: protection orders and their breaches,
proceedings, perpetrator programmes, the perpetrator across cases and the accountability
figures."""

from django.urls import path

from birge.justice.views import orders

app_name = "justice"

urlpatterns: list = [
    # Protection orders (views/orders.py).
    path("cases/<id:case_id>/orders/new/", orders.order_new, name="order_new"),
    path("orders/attention/", orders.orders_attention, name="orders_attention"),
    path("orders/<id:order_id>/", orders.order_detail, name="order_detail"),
    path("orders/<id:order_id>/issue/", orders.order_issue, name="order_issue"),
    path("orders/<id:order_id>/refuse/", orders.order_refuse, name="order_refuse"),
    path("orders/<id:order_id>/serve/", orders.order_serve, name="order_serve"),
    path("orders/<id:order_id>/extend/", orders.order_extend, name="order_extend"),
    path("orders/<id:order_id>/vary/", orders.order_vary, name="order_vary"),
    path("orders/<id:order_id>/revoke/", orders.order_revoke, name="order_revoke"),
    path("orders/<id:order_id>/breach/", orders.breach_new, name="breach_new"),
    path(
        "orders/<id:order_id>/breaches/<id:breach_id>/sanction/",
        orders.breach_sanction,
        name="breach_sanction",
    ),
]
