"""Language-neutral exports of the catalogue (ADMS-AP RDF, publiccode.yml)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "catalogue-data"

urlpatterns: list[URLPattern | URLResolver] = [
    path("adms.ttl", views.catalogue_adms, {"fmt": "turtle"}, name="adms-ttl"),
    path("adms.jsonld", views.catalogue_adms, {"fmt": "json-ld"}, name="adms-jsonld"),
    path("<uuid:public_id>/adms.ttl", views.solution_adms, {"fmt": "turtle"}, name="solution-ttl"),
    path(
        "<uuid:public_id>/adms.jsonld",
        views.solution_adms,
        {"fmt": "json-ld"},
        name="solution-jsonld",
    ),
    path("<uuid:public_id>/publiccode.yml", views.solution_publiccode, name="solution-publiccode"),
]
