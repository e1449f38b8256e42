"""Language-neutral machine endpoints of the open-data catalogue (DCAT-AP, bulk files, feeds)."""

from django.urls import path, re_path

from . import views

app_name = "opendata-data"

urlpatterns = [
    re_path(r"^bulk/(?P<name>[a-z0-9-]+)\.(?P<fmt>csv|json)$", views.bulk, name="bulk"),
    path("dcat.ttl", views.dcat_turtle, name="dcat-ttl"),
    path("dcat.jsonld", views.dcat_jsonld, name="dcat-jsonld"),
    path("feeds/opportunities.atom", views.opportunities_feed, name="opportunities-atom"),
    re_path(
        r"^calendar/(?P<secret>cal_[A-Za-z0-9_-]{20,80})\.ics$",
        views.calendar_feed,
        name="calendar-ics",
    ),
]
