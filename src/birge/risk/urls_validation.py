from django.urls import path

from birge.risk import views_validation

app_name = "risk_validation"

urlpatterns = [
    path("", views_validation.validation, name="report"),
    path("export.csv", views_validation.export, {"format": "csv"}, name="export"),
    path("export.xlsx", views_validation.export, {"format": "xlsx"}, name="export_xlsx"),
]
