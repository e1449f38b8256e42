"""Mounted at /api/v1/ (outside i18n_patterns): Ninja's routes in the "api-v1" namespace."""

from .api import api

urlpatterns, _ninja, app_name = api.urls
