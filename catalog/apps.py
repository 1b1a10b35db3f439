from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Katalog"

    def ready(self) -> None:
        from catalog import checks, lookups  # noqa: F401 - register the system checks and ``__any``
