"""The API tokens page, under /organisations/ (and the language prefixes)."""

from django.urls import path

from . import views

app_name = "api_tokens"
urlpatterns = [
    path("<uuid:public_id>/api-tokens/", views.token_list, name="list"),
    path(
        "<uuid:public_id>/api-tokens/<uuid:token_id>/revoke/",
        views.token_revoke,
        name="revoke",
    ),
]
