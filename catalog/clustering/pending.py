"""Records stored now and clustered later, together: what makes a first load cluster each title once.

Clustering page by page re-decides a title's whole connected set whenever another library's
copy of it arrives: k libraries holding a title cost about k²/2 decisions, and each page is a
small run that cannot use the bulk path (``assignment._assign``: one statement for the keys'
holders, two processes). A run that writes many records therefore marks them pending, in the
transaction that stores them, and clusters all of them at its end in one run; ``harvest
--all`` does so once after all its sources. The marks outlive a failed or killed run: the
next run of the source clusters what is still pending. The result is the same as page by page
(a connected set is decided by its records alone, whatever order they came in).

On PostgreSQL a harvest also stores a new record's match keys with it (``store_new_keys``, the
keys derived by its page reader), and its mark the row version they belong to: the clustering
takes them as they are while the record is still at that version, instead of reading and
decoding every record of a first load once more only to derive its keys. Only new records: a
changed record's stored keys are the ones it was clustered with, which its clustering compares
with its new keys to find the records it leaves.
"""

from collections.abc import Iterable

from catalog.clustering import recluster
from catalog.clustering.bulk import chunked, postgres, store_new_keys
from catalog.models import PendingRecord, SourceRecord


def keys_stored_with_records() -> bool:
    """Whether a harvest stores a new record's match keys with it (a record's row version, which
    tells that they are still its own, is PostgreSQL's)."""
    return postgres()


def keep_keys(keys: dict[int, list[str]]) -> dict[int, int]:
    """Store the match keys of these new records, inside the transaction that inserted them;
    returns the row version of each, for ``mark_pending`` or ``recluster``'s ``stored_at``."""
    return store_new_keys(keys) if keys else {}


def mark_pending(record_ids: Iterable[int], keyed_at: dict[int, int] | None = None) -> None:
    """Leave these records to a later ``cluster_pending`` (inside the caller's transaction);
    ``keyed_at``: the row versions ``keep_keys`` stored some of their keys at."""
    versions = keyed_at or {}
    marks = [PendingRecord(record_id=rid, keyed_at=versions.get(rid)) for rid in record_ids]
    PendingRecord.objects.bulk_create(marks, batch_size=5000, ignore_conflicts=True)


def pending_records(source_ids: Iterable[int]) -> list[int]:
    """The pending records of these sources, in id order."""
    return sorted(_pending(source_ids))


def _pending(source_ids: Iterable[int]) -> dict[int, int | None]:
    """{pending record of these sources: the row version its keys were stored at, or None}.
    Looked up by their ids (few, after a nightly run): as a join by source, PostgreSQL may scan
    the whole record table for them (10.8 s in a nightly run at five million records)."""
    sources = list(source_ids)
    marked = dict(PendingRecord.objects.values_list("record_id", "keyed_at"))
    found: dict[int, int | None] = {}
    for batch in chunked(sorted(marked)):
        of_sources = SourceRecord.objects.filter(id__any=batch, source_id__in=sources)
        found.update((rid, marked[rid]) for rid in of_sources.values_list("id", flat=True))
    return found


def cluster_pending(source_ids: Iterable[int]) -> set[int]:
    """Cluster every pending record of these sources in one run and forget them; returns the
    affected cluster ids (queued for re-indexing, as ``recluster`` does). The caller holds the
    sources' locks, so no run writes their records meanwhile. If clustering fails the records
    stay pending; clustering them again gives the same result."""
    pending = _pending(source_ids)
    if not pending:
        return set()
    record_ids = sorted(pending)
    keyed_at = {rid: version for rid, version in pending.items() if version is not None}
    del pending  # a first load's five million
    cluster_ids = recluster(record_ids, descriptions_only=True, stored_at=keyed_at)
    for batch in chunked(record_ids):
        PendingRecord.objects.filter(record_id__any=batch).delete()
    return cluster_ids
