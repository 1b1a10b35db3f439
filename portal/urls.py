"""URL map: each area owns its own url module; this file only mounts them."""

from django.contrib import admin
from django.urls import include, path

from portal import views
from portal.staff_views import AdminLockoutAuthenticationForm

# The admin's login says "locked" like the staff login (the lockout itself is in portal.lockout).
admin.site.login_form = AdminLockoutAuthenticationForm
handler400 = "api.errors.bad_request"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("api.urls")),
    path("oai", include("oai.urls")),
    path("fjarrlan/", include("ill.urls")),
    path("ill/", include("ill.iso_urls")),
    path("staff/sources/", include("harvest.urls")),
    path("staff/catalog/", include("catalog.staff_urls")),
    path("staff/ill/", include("ill.staff_urls")),
    path("staff/", include("portal.staff_urls")),
    path("admin/", admin.site.urls),
    path("", include("opac.urls")),
]
