"""What a full run saw, and what it did not: the records the source no longer has.

A full run (``--full``, every marc-file run) deletes at its end the live records none of its pages
delivered. It used to find them by ``harvested_at`` older than the run, which meant writing every
unchanged record again (5,000,000 row updates a night for a county that changed by 1 %). Instead
each page stores the ids it saw as one ``SeenPage`` row, in the page's transaction, so a crash or a
stop by the mass-deletion guard loses none of them; the end of the run compares them with the
source's live ids in a bitmap (one bit per record id: under a megabyte for a county).
"""

from array import array
from collections.abc import Iterable, Iterator

from catalog.models import SourceRecord
from harvest.models import HarvestRun, SeenPage, Source

_ID = "q"  # 8-byte ids, the machine's byte order: written and read by the same installation
_CHUNK = 20_000


def record_seen(run: HarvestRun, record_ids: Iterable[int]) -> None:
    """Remember that this page of ``run`` delivered these stored records."""
    ids = array(_ID, record_ids)
    if ids:
        SeenPage.objects.create(run=run, record_ids=ids.tobytes())


def missing_records(source: Source, run: HarvestRun) -> list[int]:
    """Ids of the source's live records that no page of ``run`` delivered."""
    seen = _seen_bitmap(run)
    live = SourceRecord.objects.filter(source=source, deleted=False).values_list("id", flat=True)
    return [pk for pk in live.iterator(chunk_size=_CHUNK) if not _has(seen, pk)]


def forget_seen(source: Source) -> None:
    """Drop what the source's runs saw (its run completed: nothing is left to compare)."""
    SeenPage.objects.filter(run__source=source).delete()


def _pages(run: HarvestRun) -> Iterator["array[int]"]:
    for packed in SeenPage.objects.filter(run=run).values_list("record_ids", flat=True).iterator(200):
        ids = array(_ID)
        ids.frombytes(bytes(packed))
        yield ids


def _seen_bitmap(run: HarvestRun) -> bytearray:
    seen = bytearray()
    for ids in _pages(run):
        needed = (max(ids) >> 3) + 1
        if needed > len(seen):
            seen.extend(bytes(needed - len(seen)))
        for pk in ids:
            seen[pk >> 3] |= 1 << (pk & 7)
    return seen


def _has(seen: bytearray, pk: int) -> bool:
    byte = pk >> 3
    return byte < len(seen) and bool(seen[byte] & (1 << (pk & 7)))
