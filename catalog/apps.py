from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Katalog"

    def ready(self) -> None:
        from catalog import lookups  # noqa: F401 - registers the ``__any`` lookup
