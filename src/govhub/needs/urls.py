from django.urls import path

from . import views

app_name = "needs"
urlpatterns = [
    path("", views.need_list, name="list"),
    path("new/", views.need_create, name="create"),
    path("plan/<uuid:public_id>/", views.innovation_plan, name="plan"),
    path("<uuid:public_id>/", views.need_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.need_edit, name="edit"),
    path("<uuid:public_id>/publish/", views.need_publish, name="publish"),
    path("<uuid:public_id>/withdraw/", views.need_withdraw, name="withdraw"),
    path("<uuid:public_id>/interest/", views.interest_create, name="interest"),
    path(
        "<uuid:public_id>/interest/<uuid:interest_id>/withdraw/",
        views.interest_withdraw,
        name="interest_withdraw",
    ),
]
