"""Records whose stored match keys are not the keys today's code gives them.

Keys are stored when a record is clustered; an upgrade that keys differently (a blocking key
that reads a surname better) leaves the records it did not touch with yesterday's keys, and a
record keyed today would not meet them. ``remap_records`` re-clusters such records too.
"""

from typing import Any

from catalog.clustering.bulk import keys_of_records
from catalog.clustering.keys import match_keys


def stale_keys(records: dict[int, dict[str, Any]]) -> list[int]:
    """Ids of these (live, bibliographic) records, given with their stored description, whose
    stored match keys differ from today's (librarians' merge keys aside)."""
    stored: dict[int, set[str]] = {record_id: set() for record_id in records}
    for record_id, key in keys_of_records(list(records)):
        if not key.startswith("merge:"):
            stored[record_id].add(key)
    return [rid for rid, data in records.items() if data and set(match_keys(data)) != stored[rid]]
