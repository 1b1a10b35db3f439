"""Harvest one source: the run loop, saved state, convergence and the mass-deletion guard.

``harvest_source`` is what the command, the Celery task and the staff "run now" button call.
Each page is stored together with the state that says where the next request starts, in one
transaction; a crash therefore resumes after the last stored page, never duplicating or skipping.
"""

import gc
import logging
from contextlib import closing
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from catalog import datestamps
from catalog.bulk_work import no_cyclic_gc, refresh_statistics
from catalog.clustering import LaterReindex, recluster, reindex_later
from catalog.models import Holding, SourceRecord
from harvest.convergence import forget_seen, missing_records, record_seen
from harvest.encoding import storable
from harvest.ingest import PageResult, RecordWriter
from harvest.locking import SourceBusy, source_lock
from harvest.models import HarvestRun, Source
from harvest.protocols import HarvestError, HarvestProtocol, get_protocol
from harvest.reader import prepared_pages
from harvest.reasons import mass_deletion

logger = logging.getLogger(__name__)
MAX_ERRORS_KEPT = 200
# What storing a page changes on its run (all but the staged deletions, saved when they change).
_PAGE_FIELDS = ["added", "updated", "unchanged", "failed", "errors", "resumption_token", "position"]
_PAGE_FIELDS += ["window_until"]
FIRST_ANALYSIS = 2_000  # records written by a run before its tables are first analyzed

__all__ = ["MassDeletion", "SourceBusy", "harvest_source"]


class MassDeletion(Exception):
    """The run would delete more than the guard allows; nothing of it was deleted."""


def mass_delete_share() -> float:
    return settings.HARVEST_MASS_DELETE_SHARE


def harvest_source(source_id: int, full: bool = False) -> HarvestRun:
    """Harvest a source now (resuming its unfinished run, if any); returns the run.

    Raises ``SourceBusy`` if another run of the source holds its lock. Failures of the source
    itself (unreachable, OAI errors, a stop by the mass-deletion guard) do not raise: they are
    recorded on the run (``status``, ``errors``) and on the source (``state``).
    """
    source = Source.objects.select_related("library").get(pk=source_id)
    # The run's changes reach the index as one job when it ends (one commit of the index instead of
    # one a page), or every HARVEST_INDEX_SECONDS of a long run: catalog.clustering.reindex_later.
    with source_lock(source.pk), reindex_later(settings.HARVEST_INDEX_SECONDS) as later:
        protocol = get_protocol(source)
        run = _resume_or_start(source, full or protocol.delivers_complete_set)
        if run.attempts > 1:  # what earlier attempts stored: their index job may be lost with them
            later.cluster_ids.update(datestamps.changed_since(run.started_at))
        return Harvester(source, run, protocol, later=later).run()


def _resume_or_start(source: Source, full: bool) -> HarvestRun:
    """The unfinished last run, resumed, or a new one. A run stopped by the mass-deletion guard
    resumes only once confirmed (its staged deletions are what was confirmed); otherwise a new run
    reads the source again, so a feed that was repaired meanwhile is not held up."""
    last = source.runs.order_by("-started_at", "-id").first()
    unfinished = {HarvestRun.Status.RUNNING, HarvestRun.Status.FAILED}
    if source.mass_deletion_confirmed:
        unfinished.add(HarvestRun.Status.STOPPED)
    if last and last.status in unfinished and (last.full or not full):
        logger.info(
            "source %s (%s): resuming run %s (%s, %s, attempt %d) from its saved state",
            source.pk,
            source,
            last.pk,
            last.status,
            last.phase,
            last.attempts + 1,
        )
        last.status = HarvestRun.Status.RUNNING
        last.finished_at = None
        last.attempts += 1
        last.save(update_fields=["status", "finished_at", "attempts"])
        return last
    return HarvestRun.objects.create(
        source=source, full=full, window_from=None if full else source.harvest_from
    )


def _append_error(run: HarvestRun, kind: str, message: str, **extra: Any) -> None:
    errors = list(run.errors or [])
    # Messages and ids may quote harvested text; jsonb cannot hold every character it may carry.
    extra = {key: storable(value) if isinstance(value, str) else value for key, value in extra.items()}
    errors.append(
        {"kind": kind, "message": storable(message[:1000]), "at": timezone.now().isoformat(), **extra}
    )
    run.errors = errors[-MAX_ERRORS_KEPT:]


def _count_unknown_sigel(run: HarvestRun, sigel: str, count: int) -> None:
    """One entry per unknown sigel and run, counting its holdings that could not be stored."""
    for error in run.errors or []:
        if error.get("kind") == "unknown_sigel" and error.get("sigel") == sigel:
            error["count"] = int(error.get("count", 0)) + count
            return
    _append_error(
        run, "unknown_sigel", f"unknown sigel {sigel!r}: holdings not stored", sigel=sigel, count=count
    )


class Harvester:
    """One run of one source from its saved state to complete (or failed, or stopped)."""

    def __init__(
        self, source: Source, run: HarvestRun, protocol: HarvestProtocol, *, later: LaterReindex | None = None
    ) -> None:
        self.source = source
        self.later = later
        self.run_row = run
        self.protocol = protocol
        self.writer = RecordWriter(source)
        self.guard_off = source.mass_deletion_confirmed
        self.staged: set[int] = set(run.staged_deletions or [])
        live = SourceRecord.objects.filter(source=source, deleted=False).count()
        self.next_analysis = max(live, FIRST_ANALYSIS)

    def run(self) -> HarvestRun:
        run = self.run_row
        try:
            if run.phase == HarvestRun.Phase.LISTING:
                # closing(): the reader process is stopped and reaped however the loop ends.
                with no_cyclic_gc(), closing(prepared_pages(self.protocol, run)) as pages:
                    for number, page in enumerate(pages, start=1):
                        self._store_page(page)
                        self._keep_statistics_fresh()
                        if number % 20 == 0:
                            gc.collect(1)  # what the pages made: the old heap is not walked
                run.phase = HarvestRun.Phase.LISTED
                run.save(update_fields=["phase"])
            self._apply_deletions()
            self._complete()
        except MassDeletion as exc:
            self._stop(str(exc))
        except HarvestError as exc:
            self._fail(str(exc))
        except Exception as exc:
            logger.exception("harvest of source %s failed", self.source.pk)
            self._fail(f"{type(exc).__name__}: {exc}")
        return run

    # -- pages -----------------------------------------------------------------------------

    def _guard(self, deleting: int, baseline: int) -> None:
        """Raise if the run's deletions, all of them, exceed the allowed share of the source."""
        allowed = mass_delete_share() * baseline
        if deleting and not self.guard_off and deleting > allowed:
            # English, as stored and logged; the staff pages translate it (harvest.reasons).
            raise MassDeletion(mass_deletion(deleting, baseline, mass_delete_share()))

    def _store_page(self, page: Any) -> None:
        run = self.run_row
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            result = self.writer.write(page.items)
            staged_before = len(self.staged)
            if self.staged and result.kept_ids:  # deleted earlier in the run, delivered again since
                self.staged.difference_update(result.kept_ids)
            self.staged.update(result.staged_ids)
            if run.full:
                record_seen(run, result.seen_ids)
            self._after_write(result)
            run.resumption_token = page.resumption_token
            run.position = page.position
            if page.window_until and not run.window_until:
                run.window_until = page.window_until
            for note in page.notes:
                _append_error(run, "note", note)
            if result.staged_ids or len(self.staged) != staged_before:
                run.staged_deletions = sorted(self.staged)
                run.save()
            else:  # the staged list may be long: not rewritten with every page
                run.save(update_fields=_PAGE_FIELDS)
        if self.later:
            self.later.queue_due()

    def _keep_statistics_fresh(self) -> None:
        """A big run grows its tables faster than autovacuum analyzes them, and with statistics
        from when the source was small PostgreSQL plans each page's lookups as a scan of the whole
        source: quadratic over the run. So the run analyzes whenever it has doubled what it wrote."""
        run = self.run_row
        written = run.added + run.updated + len(self.staged)
        if written >= self.next_analysis:
            refresh_statistics()
            self.next_analysis = 2 * written

    def _after_write(self, result: PageResult) -> None:
        run = self.run_row
        run.added += result.added
        run.updated += result.updated
        run.unchanged += result.unchanged
        run.failed += result.failed
        for failure in result.failures[:50]:
            _append_error(run, "record", failure["error"], local_id=failure["local_id"])
        for sigel, count in result.unknown_sigels.items():
            _count_unknown_sigel(run, sigel, count)
        recluster(result.changed_ids, result.changed_data)

    # -- end of run ------------------------------------------------------------------------

    def _apply_deletions(self) -> None:
        """Delete, in one pass, what the run staged (deleted at the source) and, for a full run,
        what it did not see (the source no longer has it) — unless together they are more than
        the guard allows, in which case nothing is deleted and MassDeletion stops the run."""
        run = self.run_row
        missing = set(missing_records(self.source, run)) if run.full else set()
        missing -= self.staged
        removed = sorted(self.staged | missing)
        if not removed:
            return
        self._guard(len(removed), SourceRecord.objects.filter(source=self.source, deleted=False).count())
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            SourceRecord.objects.filter(id__any=removed).update(deleted=True, harvested_at=timezone.now())
            Holding.objects.filter(record_id__any=removed).delete()
            # Holdings rows hang on the bib: a vanished holdings record changes its parent's rows.
            parents = self.writer.refresh_holdings(removed)
            run.deleted += len(removed)
            if missing:
                _append_error(run, "converged", f"deleted {len(missing)} records the source no longer has")
                logger.info("source %s: full run deleted %d missing records", self.source.pk, len(missing))
            recluster(set(removed) | parents)
            self.staged = set()
            run.staged_deletions = []
            run.save()

    def _counts(self) -> tuple[int, int]:
        records = SourceRecord.objects.filter(source=self.source, deleted=False, kind=SourceRecord.Kind.BIB)
        holdings = Holding.objects.filter(record__source=self.source).aggregate(n=Sum("item_count"))["n"]
        return records.count(), int(holdings or 0)

    def _complete(self) -> None:
        run, source = self.run_row, self.source
        now = timezone.now()
        run.record_count, run.holding_count = self._counts()
        run.status = HarvestRun.Status.COMPLETE
        run.finished_at = now
        run.save()
        forget_seen(source)
        if run.window_until:
            source.harvest_from = run.window_until
        source.last_success_at = now
        source.state = Source.State.OK
        source.attention_reason = ""
        source.mass_deletion_confirmed = False
        source.save(
            update_fields=[
                "harvest_from",
                "last_success_at",
                "state",
                "attention_reason",
                "mass_deletion_confirmed",
            ]
        )

    def _stop(self, reason: str) -> None:
        run, source = self.run_row, self.source
        run.status = HarvestRun.Status.STOPPED
        run.finished_at = timezone.now()
        _append_error(run, "mass_deletion", reason)
        run.save()
        source.state = Source.State.NEEDS_ATTENTION
        source.attention_reason = reason
        source.save(update_fields=["state", "attention_reason"])
        logger.warning(
            "source %s (%s): run %s stopped, nothing deleted: %s", source.pk, source, run.pk, reason
        )

    def _fail(self, message: str) -> None:
        run, source = self.run_row, self.source
        run.status = HarvestRun.Status.FAILED
        run.finished_at = timezone.now()
        _append_error(run, "run", message)
        run.save()
        logger.warning("source %s (%s): run %s failed: %s", source.pk, source, run.pk, message)
        if source.state != Source.State.NEEDS_ATTENTION:
            source.state = Source.State.FAILING
            source.save(update_fields=["state"])


def _commit_without_waiting_for_disk() -> None:
    """Let this page's commit return before its WAL reaches the disk (PostgreSQL; a wait of about
    25 ms a page). A server crash may then lose the last pages stored, but never half a page: each
    page's saved state is in its own transaction, so the next run reads those pages again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
