from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API (`/api/v1/`)."""

    name = "api"
    verbose_name = "Samsök: JSON API"
