from django.apps import AppConfig


class SampleConfig(AppConfig):
    """Tooling, not core: the sample-county generator, the demo, and a local OAI-PMH provider."""

    name = "sample"
    verbose_name = "Samsök: sample county and test tooling"
