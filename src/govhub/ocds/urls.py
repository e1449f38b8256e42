from django.urls import URLPattern, URLResolver

app_name = "ocds"

urlpatterns: list[URLPattern | URLResolver] = []
