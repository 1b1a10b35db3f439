from django.urls import URLPattern, URLResolver, path

from harvest import views

app_name = "harvest"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.source_list, name="list"),
    path("<int:source_id>/", views.source_detail, name="detail"),
    path("<int:source_id>/run/", views.run_now, name="run"),
    path("<int:source_id>/confirm-deletion/", views.confirm_deletion, name="confirm_deletion"),
]
