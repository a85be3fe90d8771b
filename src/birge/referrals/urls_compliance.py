from django.urls import path

from birge.referrals import views_compliance

app_name = "referrals_compliance"

urlpatterns = [
    path("", views_compliance.compliance, name="table"),
]
