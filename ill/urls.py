from django.urls import URLPattern, URLResolver, path

from ill import views

app_name = "ill"

urlpatterns: list[URLPattern | URLResolver] = [
    path("ny/", views.new_request, name="new"),
    path("tack/", views.received, name="received"),
    path("tack/<str:token>/", views.confirmation, name="confirmation"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/avbryt/", views.cancel, name="cancel"),
    path("integritet/", views.privacy, name="privacy"),
]
