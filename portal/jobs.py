"""One place that decides how background work runs: on a Celery worker or in-process.

With a broker (REDIS_URL set) the task is queued after the surrounding transaction commits.
Without one (the embedded default) the same task body runs in-process after commit, so
management commands, views and tests call exactly the same code either way.
"""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def enqueue(task: Any, *args: Any) -> None:
    """Run `task(*args)` in the background once the current transaction commits."""
    if settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: _send(task, args))
    else:
        transaction.on_commit(lambda: task(*args))


def _send(task: Any, args: tuple[Any, ...]) -> None:
    # The data is committed already: a broker outage must not turn the response into an error.
    # What the task would do stays recorded (outbox rows, due sources) for the scheduled passes.
    try:
        task.delay(*args)
    except OperationalError as error:
        log.error("could not queue %s, the broker is unavailable: %s", task.name, error)
