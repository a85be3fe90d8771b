"""The justice app's pages, under /justice/: protection orders and their breaches,
proceedings, perpetrator programmes, the perpetrator across cases and the accountability
figures."""

from django.urls import path

from birge.justice.views import figures as figures_views
from birge.justice.views import orders, proceedings
from birge.justice.views import perpetrators as perpetrator_views

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
