"""When each source is due: ``schedule_minutes`` after the start of its last run, sooner when that
run did not complete.

A run left ``running`` by a process that died (its lock is free) is due at once, to be resumed
from its saved state; a failed run is retried after 5, 15, 45 … minutes (by its attempts), never
later than the schedule would have it.
"""

from datetime import datetime, timedelta

from django.db.models import OuterRef, Subquery

from harvest.locking import source_lock_held
from harvest.models import HarvestRun, Source

RETRY_FIRST_MINUTES = 5
RETRY_FACTOR = 3


def retry_delay(attempts: int, schedule_minutes: int) -> timedelta:
    """How long after its failure a run is tried again: grows with each attempt, up to the schedule."""
    minutes = RETRY_FIRST_MINUTES * RETRY_FACTOR ** min(max(attempts - 1, 0), 20)
    return timedelta(minutes=min(minutes, schedule_minutes))


def is_interrupted(run: HarvestRun | None) -> bool:
    """A run marked running whose lock nobody holds: the process harvesting it is gone."""
    if run is None or run.status != HarvestRun.Status.RUNNING or source_lock_held(run.source_id):
        return False
    # Read again: the run may have ended between reading it and finding its lock free.
    return HarvestRun.objects.filter(pk=run.pk, status=HarvestRun.Status.RUNNING).exists()


def next_run_at(source: Source, last: HarvestRun | None, interrupted: bool = False) -> datetime | None:
    """None for sources harvested only by hand (or disabled); a past time means due now.
    ``interrupted``: ``last`` was interrupted (``is_interrupted``), so it is due now, even when
    the source is otherwise harvested only by hand (someone started that run)."""
    if not source.enabled:
        return None
    if interrupted and last is not None:
        return last.started_at
    if not source.schedule_minutes:
        return None
    if last is None:
        return source.created_at
    regular = last.started_at + timedelta(minutes=source.schedule_minutes)
    if last.status == HarvestRun.Status.FAILED:
        failed_at = last.finished_at or last.started_at
        return min(regular, failed_at + retry_delay(last.attempts, source.schedule_minutes))
    return regular


def last_runs(sources: list[Source]) -> dict[int, HarvestRun]:
    """Each source's latest run (by start), without its long fields."""
    latest = HarvestRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-id").values("pk")[:1]
    ids = Source.objects.filter(pk__in=[s.pk for s in sources]).annotate(run=Subquery(latest))
    run_ids = [run_id for run_id in ids.values_list("run", flat=True) if run_id]
    fields = ["id", "source_id", "status", "started_at", "finished_at", "attempts"]
    return {run.source_id: run for run in HarvestRun.objects.filter(pk__in=run_ids).only(*fields)}


def due_sources(now: datetime) -> list[int]:
    """Ids of enabled sources whose next run time has come (scheduled, retried or interrupted)."""
    sources = list(Source.objects.filter(enabled=True))
    runs = last_runs(sources)
    due = []
    for source in sources:
        last = runs.get(source.pk)
        when = next_run_at(source, last, is_interrupted(last))
        if when is not None and when <= now:
            due.append(source.pk)
    return due
