from django.apps import AppConfig


class OpacConfig(AppConfig):
    """The patron-facing site (the OPAC): search, record, library and language pages."""

    name = "opac"
    verbose_name = "Samsök: patron site"
