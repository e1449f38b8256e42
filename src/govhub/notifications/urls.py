from django.urls import URLPattern, URLResolver, path

from . import privacy_views, views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="mark_all_read"),
    path("settings/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("privacy/", privacy_views.overview, name="privacy"),
    path("privacy/download/", privacy_views.export, name="privacy_export"),
    path("privacy/erase/", privacy_views.erase_own, name="privacy_erase"),
    path("privacy/erased/", privacy_views.erased, name="privacy_erased"),
    path(
        "privacy/erase-on-request/", privacy_views.erase_on_request, name="privacy_erase_on_request"
    ),
    path(
        "privacy/download-on-request/",
        privacy_views.export_on_request,
        name="privacy_export_on_request",
    ),
    path("<uuid:public_id>/read/", views.mark_read, name="mark_read"),
]
