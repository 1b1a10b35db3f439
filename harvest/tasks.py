"""Celery tasks: thin wrappers that take ids and call the plain service functions."""

import logging
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from harvest.locking import SourceBusy
from harvest.models import HarvestRun
from harvest.schedule import due_sources
from harvest.services import harvest_source
from portal.jobs import enqueue

logger = logging.getLogger(__name__)


class HarvestNotCompleted(Exception):
    """A run failed or was stopped by the mass-deletion guard (already recorded and logged)."""


@shared_task(name="harvest.tasks.harvest_source_task", bind=True, throws=(HarvestNotCompleted,))
def harvest_source_task(self: Task, source_id: int, full: bool = False) -> dict[str, Any]:
    """One run of one source; a run already in progress (the lock) makes this one a no-op.

    Returns ``{"source", "run", "status"}`` for a complete run. A run that does not complete
    (failed, or stopped for a librarian to confirm its deletions) is recorded on the run and the
    source and logged as a WARNING naming the source and the reason (harvest.services); then
    this task raises ``HarvestNotCompleted``, so its state is FAILURE for ``celery events``,
    flower and the result. The exception is in ``throws``: an expected outcome, which the worker
    logs in one INFO line without a traceback. No ``autoretry_for``: Celery never retries it on
    its own; beat queues the source again when it is due (a failed run backs off, an interrupted
    one resumes at once: harvest.schedule), and that run resumes from the saved state.

    Called directly (the embedded default runs background work in-process, portal.jobs), it
    returns the run's status instead of raising: the WARNING is logged already, and a raise would
    fail the caller (beat's pass over every due source) and make the job runner retry it.
    """
    try:
        run = harvest_source(source_id, full=full)
    except SourceBusy:
        logger.info("source %s is being harvested already; skipped", source_id)
        return {"source": source_id, "skipped": "busy"}
    if run.status != HarvestRun.Status.COMPLETE and not self.request.called_directly:
        reason = (run.errors or [{}])[-1].get("message", "")
        raise HarvestNotCompleted(f"source {source_id}: run {run.pk} {run.status}: {reason}")
    return {"source": source_id, "run": run.pk, "status": run.status}


@shared_task(name="harvest.tasks.harvest_due_sources")
def harvest_due_sources() -> list[int]:
    """Beat entry: queue a run for every source whose schedule has come round."""
    ids = due_sources(timezone.now())
    for source_id in ids:
        enqueue(harvest_source_task, source_id, False)
    return ids
