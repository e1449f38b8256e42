"""Language-neutral exports of the catalogue (ADMS-AP RDF, publiccode.yml)."""

from django.urls import URLPattern, URLResolver

app_name = "catalogue-data"

urlpatterns: list[URLPattern | URLResolver] = []
