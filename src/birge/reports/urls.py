from django.urls import path

from birge.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export.csv", views.export, {"format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"format": "xlsx"}, name="export_xlsx"),
]
