"""Helpers for work over many records at once (clustering, search documents, bulk COPY writes)."""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import connection
from django.db.models import QuerySet, Sum

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


def analyzed_records() -> int:
    """How many source records PostgreSQL's statistics counted at the table's last ANALYZE (by
    anyone: a run, autovacuum); 0 when never analyzed, and elsewhere than on PostgreSQL."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [SourceRecord._meta.db_table]
        )
        row = cursor.fetchone()
    return max(0, int(row[0])) if row else 0


def live_records() -> int:
    """About how many source records there are (PostgreSQL's statistics, kept as transactions
    end: ``count(*)`` reads the whole table, half a second a million records); 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = %s::regclass",
            [SourceRecord._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def copies_held(records: QuerySet[SourceRecord]) -> int:
    """How many copies the holdings of these records count. On PostgreSQL the holdings are read
    through their record's index, for each id of ``records`` (``= ANY(ARRAY(…))``). As a join,
    PostgreSQL hashes the ids and scans the whole county's holdings for them: that cost grows
    with the county, this one with the source alone. At five million records, for 26 sources:
    31 to 36 s as a join, 5.5 to 5.9 s this way."""
    if connection.vendor != "postgresql":
        return Holding.objects.filter(record__in=records).aggregate(n=Sum("item_count"))["n"] or 0
    ids, params = records.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT sum(item_count) FROM {Holding._meta.db_table} WHERE record_id = ANY(ARRAY({ids}))",  # noqa: S608 - the ORM's own SQL
            params,
        )
        row = cursor.fetchone()
    return int(row[0] or 0) if row else 0


# PostgreSQL column type -> the type psycopg writes for it in binary COPY; jsonb values are
# written by ``jsonb`` below and travel as bytes.
BINARY_COPY_TYPES = {
    "bigint": "int8",
    "integer": "int4",
    "smallint": "int2",
    "boolean": "bool",
    "bytea": "bytea",
    "jsonb": "bytea",
    "text": "text",
    "varchar": "text",
    "date": "date",
    "timestamp with time zone": "timestamptz",
    "double precision": "float8",
}


def jsonb(value: Any) -> bytes | None:
    """A jsonb value in its binary COPY form: a version byte (1), then the JSON text."""
    return None if value is None else b"\x01" + orjson.dumps(value)


def copy_binary(
    table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """PostgreSQL binary COPY of many rows: nothing is spelled out as text for the server to
    parse again (a record's raw bytes would travel as hex, twice their size). `types` are
    BINARY_COPY_TYPES values, one per column. A refused row raises Django's DatabaseError (the
    copy runs on psycopg's own cursor, whose errors Django would not translate)."""
    with connection.wrap_database_errors, connection.cursor() as cursor:
        raw_cursor = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw_cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT BINARY)") as copy:
            copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
