from django.urls import path

from birge.referrals import views_compliance

app_name = "referrals_compliance"

urlpatterns = [
    path("", views_compliance.compliance, name="table"),
    path("export.csv", views_compliance.export, {"format": "csv"}, name="export_csv"),
    path("export.xlsx", views_compliance.export, {"format": "xlsx"}, name="export_xlsx"),
]
