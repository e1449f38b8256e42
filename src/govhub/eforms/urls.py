from django.urls import URLPattern, URLResolver

app_name = "eforms"

urlpatterns: list[URLPattern | URLResolver] = []
