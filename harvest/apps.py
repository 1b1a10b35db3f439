from django.apps import AppConfig


class HarvestConfig(AppConfig):
    name = "harvest"
    verbose_name = "Skörd"

    def ready(self) -> None:
        from harvest import checks  # noqa: F401 - registers the system check
