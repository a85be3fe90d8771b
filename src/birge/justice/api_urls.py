"""The justice API's routes, included under /api/v1/ by birge.api_urls."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
