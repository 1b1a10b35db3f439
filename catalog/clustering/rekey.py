"""Records whose stored match keys are not the keys today's code gives them, and records
clustered before their signatures were kept.

Keys are stored when a record is clustered; an upgrade that keys differently (a blocking key
that reads a surname better) leaves the records it did not touch with yesterday's keys, and a
record keyed today would not meet them. ``remap_records`` re-clusters such records too, and
signs the others that have no signature yet (``sign``).
"""

from typing import Any

from catalog.clustering.bulk import keys_of_records, write_signatures
from catalog.clustering.keys import match_keys
from catalog.clustering.partition import signature
from catalog.models import PendingRecord, SourceRecord


def stale_keys(records: dict[int, dict[str, Any]]) -> list[int]:
    """Ids of these (live, bibliographic) records, given with their stored description, whose
    stored match keys differ from today's (librarians' merge keys aside)."""
    stored: dict[int, set[str]] = {record_id: set() for record_id in records}
    for record_id, key in keys_of_records(list(records)):
        if not key.startswith("merge:"):
            stored[record_id].add(key)
    return [rid for rid, data in records.items() if data and set(match_keys(data)) != stored[rid]]


def sign(records: list[SourceRecord]) -> int:
    """Give these clustered records, keyed as today (not ``stale_keys``), the signature they were
    decided with where they have none: records clustered before migration 0018. A record waiting
    to be clustered (``PendingRecord``), or changed since it was read here (its checksum), is left
    for its own run. Returns how many were written.

    Their stored keys and description are what their clusters were decided from (every change
    to either is clustered), so a later harvest that changes nothing the decision reads keeps
    their titles without deciding again (``assign``'s ``descriptions_only``), as it does for
    records clustered since."""
    unsigned = {r.pk: r for r in records if r.cluster_id and r.clustered_as is None and r.data}
    waiting = PendingRecord.objects.filter(record_id__in=list(unsigned)).values_list("pk", flat=True)
    for record_id in waiting:
        del unsigned[record_id]
    return write_signatures(
        [(r.pk, r.checksum, signature(match_keys(r.data), r.data)) for r in unsigned.values()]
    )
