from django.urls import path

from birge.reports import open_data

app_name = "open_data"

urlpatterns = [
    path("<str:language>/", open_data.open_data, name="page"),
    path("<str:language>/totals.csv", open_data.open_data_csv, name="csv"),
]
