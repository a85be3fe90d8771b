from django.urls import path

from birge.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/<id:case_id>/", views.referral_new, name="referral_new"),
    path("<id:referral_id>/", views.referral_detail, name="referral_detail"),
    path("<id:referral_id>/send/", views.referral_send, name="referral_send"),
    path("<id:referral_id>/accept/", views.referral_accept, name="referral_accept"),
    path("<id:referral_id>/decline/", views.referral_decline, name="referral_decline"),
    path("<id:referral_id>/start/", views.referral_start, name="referral_start"),
    path("<id:referral_id>/complete/", views.referral_complete, name="referral_complete"),
    path("<id:referral_id>/withdraw/", views.referral_withdraw, name="referral_withdraw"),
]
