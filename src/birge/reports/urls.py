from django.urls import path

from birge.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export.<str:format>", views.export, name="export"),
]
