"""The staff area's own pages: sign-in, sign-out and the start page (fjärrlån queues and links)."""

from django.urls import URLPattern, URLResolver, path

from ill.staff_views import dashboard
from portal import staff_views

app_name = "staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", dashboard, name="dashboard"),
    path("login/", staff_views.StaffLoginView.as_view(), name="login"),
    path("logout/", staff_views.StaffLogoutView.as_view(), name="logout"),
]
