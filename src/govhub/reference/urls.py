from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("cpv/suggest/", views.cpv_suggest, name="cpv_suggest"),
    path("nuts/suggest/", views.nuts_suggest, name="nuts_suggest"),
]
