from django.urls import URLPattern, URLResolver, path

from portal import staff_views

app_name = "staff"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", staff_views.dashboard, name="dashboard"),
    path("login/", staff_views.StaffLoginView.as_view(), name="login"),
    path("logout/", staff_views.StaffLogoutView.as_view(), name="logout"),
]
