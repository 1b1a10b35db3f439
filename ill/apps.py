from django.apps import AppConfig


class IllConfig(AppConfig):
    name = "ill"
    verbose_name = "Fjärrlån"
