"""The justice app's pages, under /justice/: protection orders and their breaches,
proceedings, perpetrator programmes, the perpetrator across cases and the accountability
figures."""

from django.urls import path  # noqa: F401

app_name = "justice"

urlpatterns: list = []
