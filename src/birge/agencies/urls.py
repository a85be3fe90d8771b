from django.urls import path

from birge.agencies import views, views_directory, views_protocol

app_name = "agencies"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:user_id>/", views.user_detail, name="user_detail"),
    path("users/<id:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<id:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<id:user_id>/reset-2fa/", views.user_two_factor_reset, name="user_2fa_reset"),
    path("users/<id:user_id>/invite/", views.user_invite, name="user_invite"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_edit, name="agency_create"),
    path("agencies/<id:agency_id>/", views.agency_edit, name="agency_edit"),
    path("regions/", views.region_list, name="region_list"),
    path("regions/new/", views.region_edit, name="region_create"),
    path("regions/<id:region_id>/", views.region_edit, name="region_edit"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<id:role_id>/", views.role_edit, name="role_edit"),
    path("services/", views_directory.service_list, name="service_list"),
    path("services/new/", views_directory.service_edit, name="service_create"),
    path("services/<id:service_id>/", views_directory.service_edit, name="service_edit"),
    path(
        "services/<id:service_id>/capacity/",
        views_directory.service_capacity,
        name="service_capacity",
    ),
    path("protocol/", views_protocol.protocol_index, name="protocol"),
    path("protocol/new/", views_protocol.protocol_draft, name="protocol_draft_new"),
    path("protocol/<id:number>/", views_protocol.protocol_detail, name="protocol_detail"),
    path("protocol/<id:number>/pdf/", views_protocol.protocol_version_pdf, name="protocol_pdf"),
    path("protocol/<id:number>/edit/", views_protocol.protocol_draft, name="protocol_draft"),
    path("protocol/<id:number>/propose/", views_protocol.protocol_propose, name="protocol_propose"),
    path("protocol/<id:number>/adopt/", views_protocol.protocol_adopt, name="protocol_adopt"),
]
