"""The referrals API's routes, included under /api/v1/referrals/ by birge.api_urls."""

from django.urls import path

from birge.referrals import api

urlpatterns = [
    path("", api.ReferralListView.as_view(), name="api-referral-list"),
    path("<id:referral_id>/", api.ReferralDetailView.as_view(), name="api-referral-detail"),
    path("<id:referral_id>/send/", api.ReferralSendView.as_view(), name="api-referral-send"),
    path("<id:referral_id>/accept/", api.ReferralAcceptView.as_view(), name="api-referral-accept"),
    path(
        "<id:referral_id>/decline/",
        api.ReferralDeclineView.as_view(),
        name="api-referral-decline",
    ),
    path("<id:referral_id>/start/", api.ReferralStartView.as_view(), name="api-referral-start"),
    path(
        "<id:referral_id>/complete/",
        api.ReferralCompleteView.as_view(),
        name="api-referral-complete",
    ),
    path(
        "<id:referral_id>/withdraw/",
        api.ReferralWithdrawView.as_view(),
        name="api-referral-withdraw",
    ),
]
