from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<uuid:public_id>/", views.notice_detail, name="detail"),
]
