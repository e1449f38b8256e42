"""Open-data pages (in the language prefixes): the catalogue page, calendar and follows."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("regenerate/", views.regenerate, name="regenerate"),
    path("calendar/", views.calendar, name="calendar"),
    path("follow/", views.follow, name="follow"),
]
