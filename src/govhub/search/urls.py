from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "search"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.search_page, name="search"),
    path("saved/", views.saved_search_list, name="saved"),
    path("saved/new/", views.saved_search_create, name="saved-create"),
    path("saved/<uuid:public_id>/delete/", views.saved_search_delete, name="saved-delete"),
]
