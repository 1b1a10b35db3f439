"""Helpers for work over many records at once (clustering, building search documents)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from catalog.models import Holding, MatchKey, SourceRecord

BULK_RUN = 20_000  # records or clusters in one run from which statistics are refreshed first


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. With many decoded records alive it walks them all
    again and again as new objects are made: a third of a clustering run, half of building
    search documents. Bulk work over records makes no reference cycles, so nothing is lost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def refresh_statistics() -> None:
    """After a bulk load PostgreSQL has no statistics yet (autovacuum comes later), so it plans
    whole-table scans: a quarter of a second per key lookup batch at a million keys, 60 ms per
    1,000 clusters' holdings at 175,000 holdings, instead of a fraction of that. Bulk clustering
    and bulk indexing call this first; ANALYZE samples each table once (well under a second)."""
    if connection.vendor == "postgresql":
        tables = ", ".join(model._meta.db_table for model in (MatchKey, SourceRecord, Holding))
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")
