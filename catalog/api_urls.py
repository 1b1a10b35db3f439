from django.urls import URLPattern, URLResolver, path, re_path

from catalog import api
from catalog.availability import views as availability_views

# Search API (issue 5, catalog/api.py).
urlpatterns: list[URLPattern | URLResolver] = [
    path("search", api.search, name="api-search"),
    path("records/<str:pk>", api.record, name="api-record"),
    path("libraries", api.libraries, name="api-libraries"),
    path("suggest", api.suggest, name="api-suggest"),
    path("openapi.json", api.openapi, name="api-openapi"),
]

# Availability (issue 7, catalog/availability/).
urlpatterns += [
    path(
        "records/<int:pk>/availability",
        availability_views.record_availability,
        name="api-record-availability",
    ),
    path("availability", availability_views.availability_batch, name="api-availability"),
]

# Anything else under /api/v1/ answers in JSON too.
urlpatterns += [re_path(r"^(?P<path>.*)$", api.not_found)]
