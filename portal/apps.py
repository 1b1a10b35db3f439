from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Samsök"

    def ready(self) -> None:
        from django.conf import settings

        from portal import languages, lockout  # noqa: F401  (lockout connects its signal receivers)

        languages.register(settings.LANGUAGES)
