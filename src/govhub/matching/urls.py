from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cpv-suggest/", views.cpv_suggest, name="cpv-suggest"),
]
