"""Re-mapping what is stored after the mapping learned something (accessible media, 880 forms,
a fixed rule): every bibliographic record is read again from its stored raw bytes, exactly as a
harvest reads it, and the records whose description changed are re-clustered and re-indexed, as
are those whose stored match keys are not today's (an upgrade that keys differently). Records
clustered before migration 0018 are given their signature (``rekey.sign``), so that the next
harvest's notes and subjects do not decide their neighbours again.

A harvest alone cannot do it: it skips records whose bytes did not change. Batches are committed
one by one, so an interrupted run keeps what it did and a second run finishes it; a run over
unchanged records writes nothing.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from catalog.clustering import recluster
from catalog.clustering.rekey import sign, stale_keys
from catalog.models import SourceRecord
from harvest import bulk
from harvest.models import Source
from harvest.prepare import BIB, describe
from harvest.records import parse_by_format

BATCH = 2000


@dataclass
class Remapped:
    """What a run did: records read, described anew, failing now, and the titles touched."""

    seen: int = 0
    changed: int = 0
    rekeyed: int = 0  # described as before, but keyed differently today
    signed: int = 0  # described and keyed as before, clustered before signatures were kept
    failing: int = 0
    clusters: int = 0


def remap(sources: Sequence[Source] | None = None, batch: int = BATCH) -> Remapped:
    """Re-map the stored bibliographic records (of these sources, or all) and re-cluster the changed."""
    done = Remapped()
    for rows in _batches(sources, batch):
        with transaction.atomic():
            changed = [row for row in rows if _redescribe(row, done)]
            bulk.update(SourceRecord, changed, ["data", "error"])
            done.changed += len(changed)
            known = {row.pk: row.data for row in changed}
            stale = set(stale_keys({row.pk: row.data for row in rows if row.pk not in known}))
            done.rekeyed += len(stale)
            done.signed += sign([row for row in rows if row.pk not in known and row.pk not in stale])
            done.clusters += len(recluster([*known, *stale], known, descriptions_only=True))
    return done


def _batches(sources: Sequence[Source] | None, size: int) -> Iterator[list[SourceRecord]]:
    """Bibliographic records with stored bytes, in id order, a batch at a time (keyset)."""
    records = SourceRecord.objects.filter(deleted=False, kind=BIB).exclude(raw_format="")
    if sources is not None:
        records = records.filter(source__in=sources)
    records = records.select_related("source__library")
    last = 0
    while rows := list(records.filter(pk__gt=last).order_by("pk")[:size]):
        yield rows
        last = rows[-1].pk


def _redescribe(row: SourceRecord, done: Remapped) -> bool:
    """Describe one record from its bytes again; True when what is stored must change. A record
    the mapping now fails on keeps its last good description (and says nothing new)."""
    done.seen += 1
    source = row.source
    parsed = parse_by_format(bytes(row.raw), row.raw_format)
    description = describe(parsed, row.parent_local_id, source.holdings_profile, source.library_code)
    if description.kind != BIB:  # holdings now: the next harvest of the source moves it
        return False
    if description.error:
        done.failing += 1
        return False
    if description.data == row.data and not row.error:
        return False
    row.data, row.error = description.data, ""
    return True
