from django.urls import path

from . import views

app_name = "catalogue"
urlpatterns = [
    path("", views.solution_list, name="list"),
    path("new/", views.solution_create, name="create"),
    path("mine/", views.my_solutions, name="mine"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path(
        "from-challenge/<uuid:challenge_id>/",
        views.adopt_from_challenge,
        name="adopt-from-challenge",
    ),
    path("<uuid:public_id>/", views.solution_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.solution_edit, name="edit"),
    path("<uuid:public_id>/translations/", views.translations, name="translations"),
    path(
        "<uuid:public_id>/translations/<str:language>/",
        views.translation_edit,
        name="translation-edit",
    ),
    path(
        "<uuid:public_id>/translations/<str:language>/remove/",
        views.translation_remove,
        name="translation-remove",
    ),
    path("<uuid:public_id>/propose/", views.solution_propose, name="propose"),
    path("<uuid:public_id>/withdraw/", views.solution_withdraw, name="withdraw"),
    path("<uuid:public_id>/archive/", views.solution_archive, name="archive"),
    path("<uuid:public_id>/reopen/", views.solution_reopen, name="reopen"),
    path("<uuid:public_id>/moderate/", views.solution_moderate, name="moderate"),
    path("<uuid:public_id>/adopt/", views.adoption_create, name="adopt"),
    path(
        "<uuid:public_id>/adoptions/<uuid:adoption_id>/edit/",
        views.adoption_edit,
        name="adoption-edit",
    ),
    path(
        "<uuid:public_id>/adoptions/<uuid:adoption_id>/end/",
        views.adoption_end,
        name="adoption-end",
    ),
    path(
        "<uuid:public_id>/adoptions/<uuid:adoption_id>/review/",
        views.review_edit,
        name="review",
    ),
]
