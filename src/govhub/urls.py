from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from govhub.web import views as web_views

# Machine endpoints are language-neutral; pages live under a language prefix (none for English).
urlpatterns: list[URLPattern | URLResolver] = [
    path("health/", web_views.health, name="health"),
    path("api/v1/", include("govhub.api.urls")),
    # Machine-readable publications (OCDS packages, eForms XML, DCAT-AP, feeds, bulk files).
    path("data/ocds/", include("govhub.ocds.urls")),
    path("data/eforms/", include("govhub.eforms.urls")),
    path("data/catalogue/", include("govhub.catalogue.interchange.urls")),
    path("data/", include("govhub.opendata.data_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("govhub.web.urls")),
    path("accounts/", include("govhub.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("organisations/", include("govhub.organisations.urls")),
    path("organisations/", include("govhub.api.html_urls")),
    path("reference/", include("govhub.reference.urls")),
    path("needs/", include("govhub.needs.urls")),
    path("challenges/", include("govhub.challenges.urls")),
    path("evaluation/", include("govhub.evaluation.urls")),
    path("proposals/", include("govhub.proposals.urls")),
    path("opportunities/", include("govhub.opportunities.urls")),
    path("catalogue/", include("govhub.catalogue.urls")),
    path("assessments/", include("govhub.assessments.urls")),
    path("participation/", include("govhub.participation.urls")),
    path("notifications/", include("govhub.notifications.urls")),
    path("open-data/", include("govhub.opendata.urls")),
    path("search/", include("govhub.search.urls")),
    path("matching/", include("govhub.matching.urls")),
    path("audit/", include("govhub.core.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
