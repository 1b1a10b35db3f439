"""When each source is due: its ``schedule_minutes`` after the start of its last run."""

from datetime import datetime, timedelta

from django.db.models import Max

from harvest.models import Source


def next_run_at(source: Source, last_started: datetime | None) -> datetime | None:
    """None for sources harvested only by hand (or disabled); a past time means due now."""
    if not source.enabled or not source.schedule_minutes:
        return None
    if last_started is None:
        return source.created_at
    return last_started + timedelta(minutes=source.schedule_minutes)


def due_sources(now: datetime) -> list[int]:
    """Ids of enabled, scheduled sources whose next run time has come."""
    sources = Source.objects.filter(enabled=True, schedule_minutes__gt=0).annotate(
        last=Max("runs__started_at")
    )
    due = []
    for source in sources:
        when = next_run_at(source, source.last)  # type: ignore[attr-defined]
        if when is not None and when <= now:
            due.append(source.pk)
    return due
