"""The ISO 18626 endpoint partners outside the county post their messages to (no login, no CSRF)."""

from django.urls import URLPattern, URLResolver, path

from ill import partner_views

app_name = "ill_iso"

urlpatterns: list[URLPattern | URLResolver] = [
    path("iso18626", partner_views.endpoint, name="endpoint"),
]
