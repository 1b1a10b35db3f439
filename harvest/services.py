"""Harvest one source: the run loop, saved state, convergence and the mass-deletion guard.

``harvest_source`` is what the Celery task and the staff "run now" button call, ``harvest_sources``
what the command calls. Each page is stored together with the state that says where the next
request starts, in one transaction; a crash therefore resumes after the last stored page, never
duplicating or skipping.

A run clusters its first pages as it stores them, so that a small incremental run is searchable
at once; once it has written more than ``PAGE_CLUSTERING_UP_TO`` records it marks the rest pending
(``catalog.clustering.pending``) and clusters them together at its end, whether it completes,
fails or is stopped. ``harvest_sources`` defers all of its runs' clustering to one run after
the last source: each title is then decided once, not once per library holding it.
"""

import gc
import logging
import math
from collections.abc import Iterable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from catalog import datestamps
from catalog.bulk_work import analyzed_records, copies_held, live_records, no_cyclic_gc, refresh_statistics
from catalog.clustering import LaterReindex, recluster, reindex_later
from catalog.clustering.pending import cluster_pending, mark_pending
from catalog.models import Holding, SourceRecord
from harvest.convergence import forget_seen, missing_records, record_seen
from harvest.encoding import storable
from harvest.ingest import PageResult, RecordWriter
from harvest.locking import SourceBusy, source_lock
from harvest.models import HarvestRun, Source
from harvest.protocols import HarvestError, HarvestProtocol, get_protocol
from harvest.reader import PageReaders, prepared_pages, reads_in_processes
from harvest.reasons import mass_deletion

logger = logging.getLogger(__name__)
MAX_ERRORS_KEPT = 200
# What storing a page changes on its run (all but the staged deletions, saved when they change).
_PAGE_FIELDS = ["added", "updated", "unchanged", "failed", "errors", "resumption_token", "position"]
_PAGE_FIELDS += ["window_until"]
FIRST_ANALYSIS = 2_000  # records written by a run before its tables are first analyzed
# Records a run writes before it analyzes its tables once more, even if they have not doubled.
RUN_ANALYSIS = 20_000
# Records a run clusters page by page; the rest it clusters at its end, in one bulk run.
PAGE_CLUSTERING_UP_TO = 2_000

__all__ = ["MassDeletion", "SourceBusy", "harvest_source", "harvest_sources"]


class MassDeletion(Exception):
    """The run would delete more than the guard allows; nothing of it was deleted."""


def mass_delete_share() -> float:
    return settings.HARVEST_MASS_DELETE_SHARE


def harvest_source(source_id: int, full: bool = False, defer_clustering: bool = False) -> HarvestRun:
    """Harvest a source now (resuming its unfinished run, if any); returns the run.

    Raises ``SourceBusy`` if another run of the source holds its lock. Failures of the source
    itself (unreachable, OAI errors, a stop by the mass-deletion guard) do not raise: they are
    recorded on the run (``status``, ``errors``) and on the source (``state``).
    ``defer_clustering``: every record written stays pending, for the caller to cluster
    (``harvest_sources``); otherwise the run has clustered all it wrote when it returns.
    """
    source = Source.objects.select_related("library").get(pk=source_id)
    with source_lock(source.pk):
        protocol = get_protocol(source)
        run = _resume_or_start(source, full or protocol.delivers_complete_set)
        return _harvest(source, protocol, run, defer_clustering)


def _harvest(
    source: Source,
    protocol: HarvestProtocol,
    run: HarvestRun,
    defer_clustering: bool,
    readers: PageReaders | None = None,
) -> HarvestRun:
    """Run the source's run, its lock held (``readers``: its pages' readers, started ahead)."""
    # The run's changes reach the index as one job when it ends (one commit of the index instead of
    # one a page), or every HARVEST_INDEX_SECONDS of a long run: catalog.clustering.reindex_later.
    with reindex_later(settings.HARVEST_INDEX_SECONDS) as later:
        if run.attempts > 1:  # what earlier attempts stored: their index job may be lost with them
            later.cluster_ids.update(datestamps.changed_since(run.started_at))
        return Harvester(source, run, protocol, defer_clustering, later=later, readers=readers).run()


def harvest_sources(source_ids: Iterable[int], full: bool = False) -> dict[int, HarvestRun | Exception]:
    """Harvest these sources one after the other, then cluster what all of them wrote in one
    run (also when one of them raised, or when this is interrupted: what was stored must not
    stay invisible). Returns each source's run, or what it raised instead (``SourceBusy`` …;
    logged here). Sources busy with another run when the clustering starts are left to it.

    While a source is stored, the next one's pages are read already where that costs only a
    core (``_start_ahead``): in a nightly, where listing a source is most of its run, the two
    readers then use both cores."""
    outcomes: dict[int, HarvestRun | Exception] = {}
    started: list[int] = []
    ids = list(dict.fromkeys(source_ids))  # once each: a source's lock is its run's alone
    ahead: _Ahead | None = None
    try:
        for index, source_id in enumerate(ids):
            started.append(source_id)
            current, ahead = ahead, None
            try:
                if index + 1 < len(ids):
                    ahead = _start_ahead(ids[index + 1], full)
                if current is None:
                    outcomes[source_id] = harvest_source(source_id, full, defer_clustering=True)
                else:
                    with current.held:
                        outcomes[source_id] = _harvest(
                            *current.run_parts, defer_clustering=True, readers=current.readers
                        )
            except SourceBusy as exc:
                outcomes[source_id] = exc
            except Exception as exc:
                logger.exception("harvest of source %s failed", source_id)
                outcomes[source_id] = exc
    finally:
        if ahead is not None:
            ahead.held.close()
        cluster_stored(started)
    return outcomes


@dataclass
class _Ahead:
    """A source whose run started ahead of its turn: its lock held and its pages being read."""

    run_parts: tuple[Source, HarvestProtocol, HarvestRun]
    readers: PageReaders | None  # None: its reader could not start; its turn starts one
    held: ExitStack  # the lock and the readers, released in reverse


def _start_ahead(source_id: int, full: bool) -> _Ahead | None:
    """Start the source's run and its one page reader now, if its pages are a local file and it
    has records already (a nightly: listing, one core's work). None otherwise, and if it cannot
    start (busy, or anything else): its turn then starts it as usual, and records what fails.
    A feed over the network is not read ahead (its resumption tokens could expire while the
    reader waits), nor a first load (it has two readers, which use both cores already)."""
    with ExitStack() as held:
        try:
            source = Source.objects.select_related("library").get(pk=source_id)
            held.enter_context(source_lock(source.pk))
            protocol = get_protocol(source)
            stored = SourceRecord.objects.filter(source=source, deleted=False).exists()
            if not (reads_in_processes() and protocol.lists_cheaply() and stored):
                return None
            run = _resume_or_start(source, full or protocol.delivers_complete_set)
        except Exception as exc:  # its turn tries again, and records what fails
            logger.debug("source %s not started ahead: %s", source_id, exc)
            return None
        readers = None
        if run.phase == HarvestRun.Phase.LISTING:
            try:
                readers = PageReaders(protocol, run, stored)
                held.callback(readers.close)
            except Exception as exc:  # the run is started: its turn reads it, or fails it
                logger.debug("source %s: no reader started ahead: %s", source_id, exc)
        return _Ahead((source, protocol, run), readers, held.pop_all())


def cluster_stored(source_ids: list[int]) -> set[int]:
    """Cluster the pending records of these sources in one run, holding the lock of each that
    no run holds now (a running one clusters its source's records itself)."""
    with ExitStack() as locks:
        free = []
        for source_id in source_ids:
            try:
                locks.enter_context(source_lock(source_id))
            except SourceBusy:
                continue
            free.append(source_id)
        return cluster_pending(free)


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
        self,
        source: Source,
        run: HarvestRun,
        protocol: HarvestProtocol,
        defer_clustering: bool = False,
        *,
        later: LaterReindex | None = None,
        readers: PageReaders | None = None,
    ) -> None:
        self.source = source
        self.readers = readers
        self.later = later
        self.run_row = run
        self.protocol = protocol
        self.writer = RecordWriter(source)
        self.guard_off = source.mass_deletion_confirmed
        self.staged: set[int] = set(run.staged_deletions or [])
        self.defer_clustering = defer_clustering
        self.written = 0  # records this attempt wrote (added, updated, staged)
        self._plan_analysis()
        self.clustering_failed = False

    def run(self) -> HarvestRun:
        run = self.run_row
        try:
            if run.phase == HarvestRun.Phase.LISTING:
                # closing(): the reader process is stopped and reaped however the loop ends.
                with no_cyclic_gc(), closing(prepared_pages(self.protocol, run, self.readers)) as pages:
                    for number, page in enumerate(pages, start=1):
                        self._store_page(page)
                        self._keep_statistics_fresh()
                        if number % 20 == 0:
                            gc.collect(1)  # what the pages made: the old heap is not walked
                run.phase = HarvestRun.Phase.LISTED
                run.save(update_fields=["phase"])
            self._apply_deletions()
            self._cluster_stored()
            self._complete()
        except MassDeletion as exc:
            self._stop(str(exc))
        except HarvestError as exc:
            self._fail(str(exc))
        except Exception as exc:
            logger.exception("harvest of source %s failed", self.source.pk)
            self._fail(f"{type(exc).__name__}: {exc}")
        if run.status != HarvestRun.Status.COMPLETE and not self.clustering_failed:
            self._cluster_stored(quietly=True)  # what was stored is searchable even so
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
            result = self.writer.write(page.items, page.unchanged)
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
        source: quadratic over the run. So the tables are analyzed whenever the records' table
        has doubled since its statistics were taken, by this run or others before it: a few
        times in a first load of a county, however many sources it has (per source and run, 180
        times at 100,000 records). And once when this run has written ``RUN_ANALYSIS`` records: a
        source whose first load begins in a big table (the 20th of a county's 26) would otherwise
        stay unknown to the statistics, estimated at one row, until the table doubles; its page
        lookups then scanned every record it had so far (in a county of 5 million, 145 to 193 ms
        a page at 150,000 records of the source, and twice the writer's own CPU in the server).
        Once its statistics count tens of thousands, the lookups go by (source, local id) for the
        rest of the run. Clustering needs no more: a large clustering run analyzes first
        (``BULK_RUN``)."""
        if self.written >= self.next_analysis:
            refresh_statistics()
            self._plan_analysis()

    def _plan_analysis(self) -> None:
        """When to analyze next: once the table has doubled, and at RUN_ANALYSIS if not yet past."""
        until = self.written + _records_until_analysis()
        self.next_analysis = until if self.written >= RUN_ANALYSIS else min(until, RUN_ANALYSIS)

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
        self.written += result.added + result.updated + len(result.staged_ids)
        self._cluster_now_or_later(result.changed_ids, result.changed_data)

    def _cluster_now_or_later(
        self, record_ids: Iterable[int], known_data: dict[int, dict[str, Any]] | None
    ) -> None:
        """Cluster these records now, while the run is small; else mark them pending, in the
        caller's transaction (the one that stores them): never lost, whatever happens next."""
        if self.defer_clustering or self.written > PAGE_CLUSTERING_UP_TO:
            mark_pending(record_ids)
        else:
            recluster(record_ids, known_data, descriptions_only=True)

    def _cluster_stored(self, quietly: bool = False) -> None:
        """Cluster the source's pending records (this run's, and any an earlier run left) in one
        run. ``quietly``: the run has failed already; a failure here is logged, and the records
        stay pending for the next run."""
        if self.defer_clustering:
            return
        try:
            cluster_pending([self.source.pk])
        except Exception:
            self.clustering_failed = True
            if not quietly:
                raise
            logger.exception(
                "source %s: clustering its stored records failed; the next run retries", self.source.pk
            )

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
            self.written += len(missing)
            self._cluster_now_or_later(set(removed) | parents, None)
            self.staged = set()
            run.staged_deletions = []
            run.save()

    def _counts(self) -> tuple[int, int]:
        live = SourceRecord.objects.filter(source=self.source, deleted=False)
        return live.filter(kind=SourceRecord.Kind.BIB).count(), copies_held(live)

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


def _records_until_analysis() -> float:
    """Records to write before the records' table is twice as big as when it was last analyzed
    (at first: FIRST_ANALYSIS records); never, except on PostgreSQL."""
    if connection.vendor != "postgresql":
        return math.inf
    return max(2 * analyzed_records(), FIRST_ANALYSIS) - live_records()


def _commit_without_waiting_for_disk() -> None:
    """Let this page's commit return before its WAL reaches the disk (PostgreSQL; a wait of about
    25 ms a page). A server crash may then lose the last pages stored, but never half a page: each
    page's saved state is in its own transaction, so the next run reads those pages again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
