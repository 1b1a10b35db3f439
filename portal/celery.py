"""The Celery app: configured from Django settings (namespace CELERY), tasks autodiscovered."""

import os
from typing import Any

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def keep_django_logging(**kwargs: Any) -> None:
    """Worker and beat log through Django's LOGGING, applied when Django is set up (before this
    signal): while a receiver is connected, Celery leaves logging alone instead of installing its
    own handlers and local-time format (and its `--loglevel`; LOG_LEVEL decides)."""
