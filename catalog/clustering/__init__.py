"""Merging the copies of one title across libraries into clusters, explainably.

Contract: ``assign_clusters(record_ids) -> set[int]`` (re)assigns the given SourceRecords (new,
changed or deleted; bibliographic or holdings) to clusters, keeps ``Cluster.data`` current,
deletes emptied clusters and returns every affected cluster id, deleted ones included.

Rules (details in the modules):

- ``keys``: records are candidates when they share a format-scoped key: LIBRIS id, ISBN
  (ISBN-10 and -13 agree), EAN, publisher number (music, film), or normalized title + first
  author + year (+ carrier, host item); a blocking key (title's first words + surname + year)
  makes records without a shared identifier candidates of the fuzzy stage.
- ``similarity``: vetoes (carrier, edition, parts, year, publisher, host, …) and the title/author
  similarity of the fuzzy stage; ``reasons``: merge reasons shown translated.
- ``partition``: never across formats, never on conflicting identifiers; each member keeps its
  merge reason ("same ISBN 9789127108503", "same title/author/year", "similar title and author
  (0.96), year 2012, 159 p."); same records, same clusters, whatever the order they arrived in.
- ``display``: the display record is a LIBRIS record before a local one, then the most
  complete, then the first in canonical order.
- ``overrides``: librarians' splits and merges, stored as ``MergeOverride`` rows.
- Holdings records (LIBRIS 004) follow the cluster of their bibliographic record.
- ``works``: clusters of one title proper and first author share a ``Work`` (other formats
  and editions); ``recluster`` keeps the works of the clusters it touched current.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.utils import timezone

from catalog import datestamps
from catalog.clustering.assignment import assign
from catalog.clustering.works import assign_works
from portal.jobs import enqueue


def assign_clusters(
    record_ids: Iterable[int],
    known_data: dict[int, dict[str, Any]] | None = None,
    descriptions_only: bool = False,
) -> set[int]:
    """(Re)assign these records to clusters; returns every affected cluster id (incl. deleted).
    ``known_data``: the stored ``data`` of some of them, at hand already (not read back);
    ``descriptions_only``: nothing but their descriptions changed (see ``assignment.assign``)."""
    return assign(record_ids, known_data, descriptions_only)


def recluster(
    record_ids: Iterable[int],
    known_data: dict[int, dict[str, Any]] | None = None,
    descriptions_only: bool = False,
) -> set[int]:
    """The one way changed records reach search: re-cluster them and queue the re-indexing of every
    affected cluster after commit. Used by harvests (``descriptions_only``) and by librarians'
    corrections."""
    record_ids = list(record_ids)
    started = timezone.now()
    cluster_ids = assign(record_ids, known_data, descriptions_only) if record_ids else set()
    if cluster_ids:
        assign_works(cluster_ids)  # a cluster's work id is in its search document
        datestamps.touch(cluster_ids, started)
        queue_reindex(cluster_ids)
    return cluster_ids


def queue_reindex(cluster_ids: Iterable[int]) -> None:
    """Queue the re-indexing of these clusters after commit; inside ``reindex_later`` keep them
    for the block to queue together."""
    later = _later.get()
    if later is not None:
        later.cluster_ids.update(cluster_ids)
        return
    enqueue("catalog.tasks.index_clusters", sorted(cluster_ids))


class LaterReindex:
    """Clusters a long operation (a harvest run) holds back from the index, to queue them as one
    job: each index job is a commit of the index, and a tantivy commit also empties every reader's
    caches. ``every``: seconds after which ``queue_due`` queues what was kept (a long run's titles
    become searchable as it goes, not only at its end)."""

    def __init__(self, every: float) -> None:
        self.cluster_ids: set[int] = set()
        self.every = every
        self.queued_at = time.monotonic()

    def queue(self) -> None:
        """Queue what was kept now (after commit, as ``queue_reindex`` does outside the block)."""
        if self.cluster_ids:
            enqueue("catalog.tasks.index_clusters", sorted(self.cluster_ids))
        self.cluster_ids = set()
        self.queued_at = time.monotonic()

    def queue_due(self) -> None:
        if time.monotonic() - self.queued_at >= self.every:
            self.queue()


_later: ContextVar[LaterReindex | None] = ContextVar("reindex_later", default=None)


@contextmanager
def reindex_later(every: float) -> Iterator[LaterReindex]:
    """Within the block, ``queue_reindex`` (so ``recluster``) keeps the clusters; they are queued
    as one job when the block ends, however it ends (what was committed must reach the index),
    or earlier by ``queue_due``. A cluster kept though its transaction rolled back is re-indexed
    as the database has it: no harm."""
    later = LaterReindex(every)
    token = _later.set(later)
    try:
        yield later
    finally:
        _later.reset(token)
        later.queue()


__all__ = ["LaterReindex", "assign_clusters", "queue_reindex", "recluster", "reindex_later"]
