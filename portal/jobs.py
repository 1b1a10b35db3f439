"""One place that decides how background work runs: on a Celery worker or in-process.

With a broker (REDIS_URL set) the task is queued after the surrounding transaction commits.
Without one (the embedded default) the same task body runs in-process after commit, so
management commands, views and tests call exactly the same code either way.
"""

from typing import Any

from django.conf import settings
from django.db import transaction


def enqueue(task: Any, *args: Any) -> None:
    """Run `task(*args)` in the background once the current transaction commits."""
    if settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: task.delay(*args))
    else:
        transaction.on_commit(lambda: task(*args))
