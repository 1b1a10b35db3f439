"""Celery tasks: thin wrappers that take ids and call the plain service functions."""

import logging
from typing import Any

from celery import shared_task
from django.utils import timezone

from harvest.locking import SourceBusy
from harvest.schedule import due_sources
from harvest.services import harvest_source
from portal.jobs import enqueue

logger = logging.getLogger(__name__)


@shared_task(name="harvest.tasks.harvest_source_task")
def harvest_source_task(source_id: int, full: bool = False) -> dict[str, Any]:
    """One run of one source; a run already in progress (the lock) makes this one a no-op."""
    try:
        run = harvest_source(source_id, full=full)
    except SourceBusy:
        logger.info("source %s is being harvested already; skipped", source_id)
        return {"source": source_id, "skipped": "busy"}
    return {"source": source_id, "run": run.pk, "status": run.status}


@shared_task(name="harvest.tasks.harvest_due_sources")
def harvest_due_sources() -> list[int]:
    """Beat entry: queue a run for every source whose schedule has come round."""
    ids = due_sources(timezone.now())
    for source_id in ids:
        enqueue(harvest_source_task, source_id, False)
    return ids
