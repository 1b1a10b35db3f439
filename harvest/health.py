"""Source health for staff: state, last success, counts and their change, failures, next run."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet, Sum

from catalog.access import is_regional, staff_libraries
from catalog.models import Holding, SourceRecord
from harvest.models import HarvestRun, Source
from harvest.schedule import is_interrupted, next_run_at

FAILURES_SHOWN = 50


@dataclass
class SourceHealth:
    source: Source
    last_run: HarvestRun | None
    records: int
    holdings: int
    record_change: int | None
    holding_change: int | None
    failed_records: int
    next_run: datetime | None
    failures: list[SourceRecord] = field(default_factory=list)
    runs: list[HarvestRun] = field(default_factory=list)
    # The last run is marked running but nobody holds its lock: its process died mid-run.
    interrupted: bool = False


def visible_sources(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Source]:
    """Regional staff see every source; librarians the sources of their own libraries."""
    sources = Source.objects.select_related("library")
    if is_regional(user):
        return sources.all()
    return sources.filter(library__in=staff_libraries(user))


def _change(now: int, before: int | None) -> int | None:
    return None if before is None else now - before


def source_health(source: Source, with_details: bool = False) -> SourceHealth:
    # A run's staged deletions can list every record of the source: not for a health page.
    runs = list(source.runs.defer("staged_deletions").order_by("-started_at", "-id")[:10])
    complete = [run for run in runs if run.status == HarvestRun.Status.COMPLETE]
    live = SourceRecord.objects.filter(source=source, deleted=False)
    records = live.filter(kind=SourceRecord.Kind.BIB).count()
    holdings = int(Holding.objects.filter(record__source=source).aggregate(n=Sum("item_count"))["n"] or 0)
    previous = complete[1] if len(complete) > 1 else None
    failed = live.exclude(error="")
    last_run = runs[0] if runs else None
    interrupted = is_interrupted(last_run)
    return SourceHealth(
        source=source,
        last_run=last_run,
        records=records,
        holdings=holdings,
        record_change=_change(records, previous.record_count if previous else None),
        holding_change=_change(holdings, previous.holding_count if previous else None),
        failed_records=failed.count(),
        next_run=next_run_at(source, last_run, interrupted),
        failures=list(failed.only("id", "local_id", "error", "harvested_at")[:FAILURES_SHOWN])
        if with_details
        else [],
        runs=runs if with_details else [],
        interrupted=interrupted,
    )
