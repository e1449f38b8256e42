"""Language-neutral machine endpoints of the open-data catalogue (DCAT-AP, bulk files, feeds)."""

from django.urls import URLPattern, URLResolver

app_name = "opendata-data"

urlpatterns: list[URLPattern | URLResolver] = []
