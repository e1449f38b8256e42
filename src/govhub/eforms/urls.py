from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "eforms"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<uuid:phase_id>/contract-notice.xml", views.contract_notice, name="contract-notice"),
    path("<uuid:challenge_id>/award-notice.xml", views.award_notice, name="award-notice"),
]
