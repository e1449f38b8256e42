from django.urls import URLPattern, path

app_name = "evaluation"
urlpatterns: list[URLPattern] = []
