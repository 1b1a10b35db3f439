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

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from catalog import datestamps
from catalog.clustering.assignment import assign
from catalog.clustering.works import assign_works
from portal.jobs import enqueue


def assign_clusters(
    record_ids: Iterable[int], known_data: dict[int, dict[str, Any]] | None = None
) -> set[int]:
    """(Re)assign these records to clusters; returns every affected cluster id (incl. deleted).
    ``known_data``: the stored ``data`` of some of them, at hand already (not read back)."""
    return assign(record_ids, known_data)


def recluster(record_ids: Iterable[int], known_data: dict[int, dict[str, Any]] | None = None) -> set[int]:
    """The one way changed records reach search: re-cluster them and queue the re-indexing of every
    affected cluster after commit. Used by harvests and by librarians' corrections."""
    record_ids = list(record_ids)
    started = timezone.now()
    cluster_ids = assign(record_ids, known_data) if record_ids else set()
    if cluster_ids:
        assign_works(cluster_ids)  # a cluster's work id is in its search document
        datestamps.touch(cluster_ids, started)
        queue_reindex(cluster_ids)
    return cluster_ids


def queue_reindex(cluster_ids: Iterable[int]) -> None:
    enqueue("catalog.tasks.index_clusters", sorted(cluster_ids))


__all__ = ["assign_clusters", "queue_reindex", "recluster"]
