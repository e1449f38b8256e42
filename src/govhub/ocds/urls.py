from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "ocds"

urlpatterns: list[URLPattern | URLResolver] = [
    path("releases.json", views.bulk_releases, name="bulk-releases"),
    path("records.json", views.bulk_records, name="bulk-records"),
]
