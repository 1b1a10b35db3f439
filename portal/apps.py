from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Samsök"

    def ready(self) -> None:
        from portal import lockout  # noqa: F401  (connects the lockout's signal receivers)
