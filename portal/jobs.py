"""One place that decides how background work runs: on a Celery worker, or by the scheduler process.

With a broker (REDIS_URL set) the task is queued for Celery after the surrounding transaction
commits. Without one (the embedded default) it becomes a `Job` row in the same transaction, and the
scheduler process (`manage.py run_scheduled`) runs it: a web request that asks for a harvest or a
patron e-mail only records it and returns at once, whatever the SMTP server or the source does.
Management commands that promise to do the work now (`harvest`, `demo_county`, the scheduler itself)
run inside `in_this_process()`, where the task runs here, right after commit.
"""

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from portal.celery import app
from portal.models import Job

log = logging.getLogger(__name__)

# A job whose runner died is run again after this; a harvest outlasting it is safe, since a second
# run of the same source finds the source's lock taken and does nothing.
CLAIM = timedelta(hours=1)
# A job that keeps failing is kept with its error for the operator instead of being retried forever.
MAX_ATTEMPTS = 5

_here = contextvars.ContextVar("jobs_in_this_process", default=False)


def enqueue(task: Any, *args: Any) -> None:
    """Run `task(*args)` in the background once the current transaction commits.

    `task` is a Celery task or its name ("ill.tasks.send_outbox_message"): by name, a service need
    not import the tasks module that wraps it (and imports it in turn).
    """
    name = task if isinstance(task, str) else task.name
    if settings.CELERY_BROKER_URL:
        transaction.on_commit(lambda: _send(name, args))
    elif _here.get():
        transaction.on_commit(lambda: _task(name)(*args))
    else:
        Job.objects.create(task=name, args=list(args))


@contextmanager
def in_this_process() -> Iterator[None]:
    """Without a broker, run what is enqueued inside this block here, after commit, not as a Job."""
    token = _here.set(True)
    try:
        yield
    finally:
        _here.reset(token)


@cache
def _import_tasks() -> None:
    # Once per process: through Celery's Django fix-up this also runs django.setup() and the
    # system checks again (some 6 ms), which an enqueue inside a web request must not pay.
    app.loader.import_default_modules()


def _task(name: str) -> Any:
    _import_tasks()
    task = app.tasks.get(name)
    if task is None:
        raise LookupError(f"no task named {name}")
    return task


def _send(name: str, args: tuple[Any, ...]) -> None:
    # The data is committed already: a broker outage must not turn the response into an error.
    # What the task would do stays recorded (outbox rows, due sources) for the scheduled passes.
    try:
        _task(name).delay(*args)
    except OperationalError as error:
        log.error("could not queue %s, the broker is unavailable: %s", name, error)


def run_pending(limit: int = 100) -> tuple[int, int]:
    """Run waiting jobs in this process, oldest first; returns (done, failed).

    Each job is claimed with one conditional UPDATE, so several runners (the scheduler, cron, a
    second scheduler by mistake) never run the same job at once, on SQLite and PostgreSQL alike.
    """
    done = failed = 0
    with in_this_process():
        for job_id in _waiting_ids(limit):
            job = _claim(job_id)
            if job is None:
                continue
            if _run(job):
                done += 1
            else:
                failed += 1
    return done, failed


def _unclaimed() -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=timezone.now())


def _waiting_ids(limit: int) -> list[int]:
    waiting = Job.objects.filter(_unclaimed(), attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True)
    return list(waiting[:limit])


def _claim(job_id: int) -> Job | None:
    if not Job.objects.filter(_unclaimed(), pk=job_id).update(claimed_until=timezone.now() + CLAIM):
        return None  # another runner took it
    return Job.objects.filter(pk=job_id).first()


def _run(job: Job) -> bool:
    try:
        _task(job.task)(*job.args)
    except Exception as error:  # kept with its error; retried by the next pass until MAX_ATTEMPTS
        log.exception("background job %s (%s) failed", job.pk, job.task)
        Job.objects.filter(pk=job.pk).update(
            claimed_until=timezone.now() + timedelta(minutes=2**job.attempts),
            attempts=job.attempts + 1,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return False
    Job.objects.filter(pk=job.pk).delete()
    return True
