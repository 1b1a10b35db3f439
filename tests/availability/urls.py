"""Only the API mount, so these tests do not depend on the rest of the site's URL map."""

from django.urls import include, path

urlpatterns = [path("api/v1/", include("api.urls"))]
