"""Every `/api/v1/` address; anything else under it answers with the API's JSON 404."""

from django.urls import URLPattern, URLResolver, path, re_path

from api import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("search", views.search, name="api-search"),
    path("records/<int:pk>/availability", views.record_availability, name="api-record-availability"),
    path("records/<str:pk>", views.record, name="api-record"),
    path("works/<str:pk>", views.work, name="api-work"),
    path("availability", views.availability_batch, name="api-availability"),
    path("libraries", views.libraries, name="api-libraries"),
    path("suggest", views.suggest, name="api-suggest"),
    path("openapi.json", views.openapi, name="api-openapi"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
