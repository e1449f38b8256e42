from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("moderation/", views.moderation, name="moderation"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<uuid:public_id>/", views.organisation_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.organisation_edit, name="edit"),
    path("<uuid:public_id>/moderate/", views.organisation_moderate, name="moderate"),
    path("<uuid:public_id>/join/", views.join_request_create, name="join"),
    path("<uuid:public_id>/leave/", views.organisation_leave, name="leave"),
    path("<uuid:public_id>/members/", views.organisation_members, name="members"),
    path(
        "<uuid:public_id>/members/<uuid:member_id>/",
        views.membership_edit,
        name="member",
    ),
    path(
        "<uuid:public_id>/members/<uuid:member_id>/remove/",
        views.membership_remove,
        name="member_remove",
    ),
    path(
        "<uuid:public_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<uuid:public_id>/join-requests/<uuid:request_id>/",
        views.join_request_decide,
        name="join_request",
    ),
]
