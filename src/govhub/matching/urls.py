from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "matching"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cpv-suggest/", views.cpv_suggest, name="cpv-suggest"),
    path(
        "recommendations/need/<uuid:public_id>/",
        views.need_recommendations,
        name="need-recommendations",
    ),
    path(
        "recommendations/challenge/<uuid:public_id>/",
        views.challenge_recommendations,
        name="challenge-recommendations",
    ),
    path(
        "recommendations/company/<uuid:public_id>/",
        views.company_recommendations,
        name="company-recommendations",
    ),
]
