"""Bulk reads and writes for clustering: fast paths on PostgreSQL (arrays, COPY), the ORM elsewhere.

IN-lists with thousands of parameters are slow to bind, so on PostgreSQL every list travels
as one binary array parameter (``= ANY(%b)``, ``unnest``) bound apart from the query, and match
keys are written with COPY. Record ids are looked up without a cast: psycopg sends them as the
smallest integer type that holds them, and before the key table's first ANALYZE (a first bulk
load) PostgreSQL plans ``record_id = ANY(<int4[]>)`` with the index, but ``= ANY(<bigint[]>)`` as
a scan of the whole table, once per batch.
"""

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import reduce
from operator import itemgetter, or_
from typing import Any, TypeVar

import orjson
import psycopg
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from catalog.bulk_work import copy_binary, jsonb
from catalog.clustering.keys import linked_keys, prefix_end, undated_block
from catalog.models import Cluster, MatchKey, PendingRecord, SourceRecord, Work

T = TypeVar("T")
# One advisory lock id for "clustering is running": merges of different harvests queue up.
_LOCK_ID = 0x53414D534F4B  # "SAMSOK"
_RECORDS = SourceRecord._meta.db_table
_KEYS = MatchKey._meta.db_table
_CLUSTERS = Cluster._meta.db_table
_WORKS = Work._meta.db_table
# The key column's index (``MatchKey.Meta``), which a first load builds once it has stored its keys.
_KEY_INDEX = next(i for i in MatchKey._meta.indexes if i.fields == ["key"] and not i.condition)


def postgres() -> bool:
    return connection.vendor == "postgresql"


def chunk_size() -> int:
    """IN-list size that every backend accepts (SQLite counts bound parameters)."""
    if postgres():
        return 5000
    limit = connection.features.max_query_params or 5000
    return max(100, min(5000, limit - 10))


def chunked(values: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    size = size or chunk_size()
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@contextmanager
def clustering_lock() -> Iterator[None]:
    """Serialize clustering runs across processes (PostgreSQL advisory lock; SQLite has one writer)."""
    if not postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_LOCK_ID])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_ID])


_index_deferred = False  # a first load's key pass is storing keys without the key index


@contextmanager
def key_index_built_after(records: int, smallest: int) -> Iterator[None]:
    """Store the keys of a first load (at least ``smallest`` records into an empty key table,
    outside any transaction of the caller's) with the key column's index dropped, and build it
    once they are stored. A key lands at a random place in that index, so inserting millions one
    by one costs more than sorting them into a new index once: a million records' 5.3 million
    keys were stored in 59-84 s with the build (3.3-3.9 s), against 66-97 s (12 % less over five
    interleaved pairs), writing 1.24 GB of WAL instead of 2.1 GB (21,000 whole pages instead of
    56,000). The lookups by record, the key pass's own, keep their index. A run killed before the
    build leaves the table without the index: the next key pass builds it first. Called holding
    the clustering lock. Inside another such call (``_runs``' key pass, a run's worth of
    records at a time) it leaves the index to that one."""
    global _index_deferred
    if not postgres() or _index_deferred:
        yield
        return
    present = _fetch("SELECT to_regclass(%s) IS NOT NULL", [_KEY_INDEX.name])[0][0]
    first_load = not connection.in_atomic_block and records >= smallest
    first_load = first_load and not _fetch(f"SELECT 1 FROM {_KEYS} LIMIT 1", [])  # noqa: S608
    if present and first_load:
        with connection.schema_editor() as editor:
            editor.remove_index(MatchKey, _KEY_INDEX)
    elif not present and not first_load:
        _build_key_index()
    _index_deferred = first_load
    try:
        yield
    finally:
        _index_deferred = False
        if first_load:
            _build_key_index()


def _build_key_index() -> None:
    with connection.schema_editor() as editor:
        editor.add_index(MatchKey, _KEY_INDEX)


def _run(sql: str, params: Sequence[Any], fetch: bool) -> list[tuple[Any, ...]]:
    """Run one statement on a psycopg cursor in Django's transaction that sends the parameters
    apart from the query, so a list goes as one binary array (``%b``). Django's own cursor binds
    client-side: it spells every array out as SQL text, escaping each element in Python (20,000
    keys: 41 ms against 8 ms). Logged like Django's own queries when those are."""
    connection.ensure_connection()
    started = time.monotonic()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        # Never prepared: a generic plan cannot see how long the array is.
        cursor.execute(sql, params, prepare=False)
        rows = list(cursor.fetchall()) if fetch else []
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return rows


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    return _run(sql, params, fetch=True)


def _execute(sql: str, params: Sequence[Any]) -> None:
    _run(sql, params, fetch=False)


def records_of_sources(ids: list[int], source_ids: list[int]) -> list[int]:
    """Those of these records that belong to these sources."""
    if not postgres():
        found = SourceRecord.objects.filter(id__in=ids, source_id__in=source_ids)
        return list(found.values_list("id", flat=True))
    sql = f"SELECT id FROM {_RECORDS} WHERE id = ANY(%b) AND source_id = ANY(%b)"  # noqa: S608
    return [record_id for (record_id,) in _fetch(sql, [ids, source_ids])]


def add_pending(ids: Sequence[int]) -> None:
    """Mark these records pending (``clustering.pending``); a mark there already stays. On
    PostgreSQL one statement, the ids one binary array (no model object a record)."""
    if not ids:
        return
    if not postgres():
        marks = [PendingRecord(record_id=record_id) for record_id in ids]
        PendingRecord.objects.bulk_create(marks, batch_size=5000, ignore_conflicts=True)
        return
    _execute(
        f"INSERT INTO {PendingRecord._meta.db_table} (record_id) "
        "SELECT unnest(%b::bigint[]) ON CONFLICT DO NOTHING",
        [list(ids)],
    )


def forget_pending(ids: list[int]) -> None:
    """Delete the pending marks of these records (``clustering.pending``)."""
    if not postgres():
        PendingRecord.objects.filter(record_id__in=ids).delete()
        return
    _execute(f"DELETE FROM {PendingRecord._meta.db_table} WHERE record_id = ANY(%b)", [ids])  # noqa: S608


def record_rows(ids: list[int], fields: Sequence[str]) -> list[tuple[Any, ...]]:
    """Columns of these source records; ``data`` comes back decoded."""
    if not postgres():
        return list(SourceRecord.objects.filter(id__in=ids).values_list(*fields))
    columns = ", ".join(fields)
    return _fetch(f"SELECT {columns} FROM {_RECORDS} WHERE id = ANY(%b)", [ids])  # noqa: S608 - our columns


def keys_of_records(ids: list[int]) -> list[tuple[int, str]]:
    if not postgres():
        return list(MatchKey.objects.filter(record_id__in=ids).values_list("record_id", "key"))
    sql = f"SELECT record_id, key FROM {_KEYS} WHERE record_id = ANY(%b)"  # noqa: S608
    return [(r, k) for r, k in _fetch(sql, [ids])]


def only_keys_stored(count: int) -> bool:
    """Does the key table hold exactly ``count`` keys? Counted only when its statistics (the
    run's ANALYZE) say it may: a count reads the whole table."""
    if postgres():
        estimate = _fetch("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [_KEYS])
        if not estimate or estimate[0][0] > 2 * count + 1000:
            return False
    return MatchKey.objects.count() == count


def _lookups(keys: list[str]) -> tuple[list[str], list[str]]:
    """(keys whose holders are wanted, prefixes whose keys' holders are wanted): the keys, a dated
    key's undated one in its place, and the prefixes an undated key links (``keys.linked_keys``)."""
    exact, prefixes = [], []
    for key in keys:
        linked, prefix = linked_keys(key)
        exact.append(key if linked is None else linked)  # a dated key: its undated key's holders
        if prefix is not None:
            prefixes.append(prefix)
    return exact, prefixes


def holders_by_key(keys: list[str]) -> dict[str, set[int]]:
    """The records these keys link (``keys.linked_keys``), by the key they hold: each key's
    holders, a dated key's undated one's instead, and under an undated key also the holders of
    every dated key it links."""
    exact, prefixes = _lookups(keys)
    rows = linked_by(prefixes)
    if not postgres():
        rows += MatchKey.objects.filter(key__in=exact).values_list("key", "record_id")
    else:
        rows += _fetch(f"SELECT key, record_id FROM {_KEYS} WHERE key = ANY(%b::text[])", [exact])  # noqa: S608
    found: dict[str, set[int]] = {}
    for key, record_id in rows:
        found.setdefault(undated_block(key) or key, set()).add(record_id)
    return found


def records_with_keys(keys: list[str]) -> set[int]:
    """The records these keys link (``keys.linked_keys``)."""
    return set().union(*holders_by_key(keys).values())


def linked_by(prefixes: list[str]) -> list[tuple[str, int]]:
    """(key, record) for every stored key these prefixes link (``keys.linked_keys``). Each range
    has bounds of its own in the statement: PostgreSQL then estimates each from the key column's
    statistics (bounds it cannot see, from an array, it guesses at a tenth of the table, and plans
    a sort and a compilation for that)."""
    found: list[tuple[str, int]] = []
    for batch in chunked(prefixes, 100):
        ranges = reduce(or_, (Q(key__gte=prefix, key__lt=prefix_end(prefix)) for prefix in batch))
        found += MatchKey.objects.filter(ranges).values_list("key", "record_id")
    return found


def other_holders(ids: list[int]) -> dict[str, list[int]]:
    """{key: records outside ``ids`` holding it} for every stored key of these records, in one
    statement that PostgreSQL plans as a whole (a hash join when ``ids`` are many). PostgreSQL only:
    elsewhere keys are looked up batch by batch (``holders_by_key``)."""
    rows = _fetch(
        f"SELECT o.key, o.record_id FROM {_KEYS} o WHERE o.record_id <> ALL(%b::bigint[]) "  # noqa: S608
        f"AND o.key IN (SELECT r.key FROM {_KEYS} r WHERE r.record_id = ANY(%b::bigint[]))",
        [ids, ids],
    )
    return _by_key(rows)


def undated_holders(ids: list[int]) -> dict[str, list[int]]:
    """{key: records outside ``ids`` holding it} for every key of the undated block
    (``keys.undated_block``): the few records without a year, each of which a dated key of the run
    may link (their own index, ``matchkey_undated_idx``). PostgreSQL only."""
    rows = _fetch(
        f"SELECT key, record_id FROM {_KEYS} WHERE key LIKE 'fuzzy:%%' AND key LIKE '%%|' "  # noqa: S608
        "AND record_id <> ALL(%b::bigint[])",
        [ids],
    )
    return _by_key(rows)


def prefix_holders(prefixes: list[str], ids: list[int]) -> dict[str, list[int]]:
    """{prefix: records outside ``ids`` holding a key it links}: the dated keys of the undated keys
    of a run's records (``keys.linked_keys``)."""
    run = set(ids)
    found: dict[str, list[int]] = {}
    for key, record_id in linked_by(prefixes):
        block = undated_block(key)
        if record_id not in run and block is not None:
            found.setdefault(block, []).append(record_id)
    return found


def _by_key(rows: list[tuple[Any, ...]]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for key, record_id in rows:
        found.setdefault(key, []).append(record_id)
    return found


def replace_keys(keys: dict[int, list[str]], stored: Iterable[int]) -> None:
    """Make these records' stored match keys exactly the given ones; ``stored``: those of them
    that have keys stored now (a new record has none to delete)."""
    ids, old = list(keys), list(stored)
    if not postgres():
        MatchKey.objects.filter(record_id__in=old).delete()
        fresh = [MatchKey(record_id=rid, key=key) for rid in ids for key in keys[rid]]
        MatchKey.objects.bulk_create(fresh, batch_size=2000)
        return
    if old:
        _execute(f"DELETE FROM {_KEYS} WHERE record_id = ANY(%b)", [old])  # noqa: S608
    copy_binary(
        _KEYS, ["record_id", "key"], ["int8", "text"], ((rid, key) for rid in ids for key in keys[rid])
    )


def create_clusters(rows: Sequence[tuple[dict[str, Any], int | None, str, int | None]]) -> list[int]:
    """New clusters from (data, display record id, work key, work id); returns their ids in order."""
    if not rows:
        return []
    if not postgres():
        created = Cluster.objects.bulk_create(
            [
                Cluster(data=data, display_record_id=display, work_key=key, work_id=work)
                for data, display, key, work in rows
            ],
            batch_size=500,
        )
        return [c.pk for c in created]
    ids = [
        i
        for (i,) in _fetch(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [_CLUSTERS, len(rows)],
        )
    ]
    now = timezone.now()
    columns = ["id", "data", "display_record_id", "work_key", "work_id", "created_at", "updated_at"]
    types = ["int8", "bytea", "int8", "text", "int8", "timestamptz", "timestamptz"]  # data: jsonb()
    values = (
        (cid, jsonb(data), display, key, work, now, now)
        for cid, (data, display, key, work) in zip(ids, rows, strict=True)
    )
    copy_binary(_CLUSTERS, columns, types, values)
    return ids


def update_memberships(rows: Sequence[tuple[int, int | None, str, int | None]]) -> None:
    """Set (cluster_id, merge_reason, clustered_as) of many records:
    [(record id, cluster id, reason, signature)]."""
    if not rows:
        return
    if not postgres():
        objects = [
            SourceRecord(id=rid, cluster_id=cid, merge_reason=reason, clustered_as=signed)
            for rid, cid, reason, signed in rows
        ]
        SourceRecord.objects.bulk_update(objects, ["cluster", "merge_reason", "clustered_as"], batch_size=500)
        return
    # In id order: the rows are visited in table order, not all over it.
    for batch in chunked(sorted(rows, key=itemgetter(0)), 20000):
        _execute(
            f"UPDATE {_RECORDS} AS t SET cluster_id = v.cid, merge_reason = v.reason, "  # noqa: S608
            "clustered_as = v.signed FROM unnest(%b::bigint[], %b::bigint[], %b::text[], %b::bigint[]) "
            "AS v(id, cid, reason, signed) WHERE t.id = v.id",
            [[r[0] for r in batch], [r[1] for r in batch], [r[2] for r in batch], [r[3] for r in batch]],
        )


def write_signatures(rows: Sequence[tuple[int, str, int]]) -> int:
    """Set the signature of records that have none and still hold the bytes they were read with:
    [(record id, checksum, signature)]. Returns how many were written."""
    if not postgres():  # the embedded default: one small statement a record
        return sum(
            SourceRecord.objects.filter(pk=rid, checksum=checksum, clustered_as__isnull=True).update(
                clustered_as=signed
            )
            for rid, checksum, signed in rows
        )
    written = 0
    with connection.cursor() as cursor:
        for batch in chunked(sorted(rows), 20000):
            cursor.execute(
                f"UPDATE {_RECORDS} AS t SET clustered_as = v.signed "  # noqa: S608
                "FROM unnest(%b::bigint[], %b::text[], %b::bigint[]) AS v(id, checksum, signed) "
                "WHERE t.id = v.id AND t.checksum = v.checksum AND t.clustered_as IS NULL",
                [[r[0] for r in batch], [r[1] for r in batch], [r[2] for r in batch]],
            )
            written += cursor.rowcount
    return written


def update_clusters(rows: Sequence[tuple[int, dict[str, Any], int | None, str]]) -> None:
    """Set (data, display record, work key) of many clusters: [(id, data, display id, work key)]."""
    if not rows:
        return
    if not postgres():
        now = timezone.now()
        objects = [
            Cluster(id=cid, data=data, display_record_id=display, work_key=key, updated_at=now)
            for cid, data, display, key in rows
        ]
        Cluster.objects.bulk_update(
            objects, ["data", "display_record", "work_key", "updated_at"], batch_size=500
        )
        return
    for batch in chunked(rows, 5000):
        _execute(
            f"UPDATE {_CLUSTERS} AS t SET data = v.data::jsonb, display_record_id = v.display, "  # noqa: S608
            "work_key = v.work_key, updated_at = now() "
            "FROM unnest(%b::bigint[], %b::text[], %b::bigint[], %b::text[]) "
            "AS v(id, data, display, work_key) "
            "WHERE t.id = v.id",
            [
                [r[0] for r in batch],
                [orjson.dumps(r[1]).decode() for r in batch],
                [r[2] for r in batch],
                [r[3] for r in batch],
            ],
        )


def works_by_key(keys: Iterable[str]) -> dict[str, int]:
    """The ids of the works with these keys: {key: id}."""
    found: dict[str, int] = {}
    if not postgres():
        for batch in chunked(sorted(keys)):
            found.update(Work.objects.filter(key__in=batch).values_list("key", "pk"))
        return found
    for batch in chunked(sorted(keys), 20000):
        found.update(_fetch(f"SELECT key, id FROM {_WORKS} WHERE key = ANY(%b::text[])", [batch]))  # noqa: S608
    return found


def create_works(keys: set[str]) -> dict[str, int]:
    """Works for these keys, made in key order, and their ids: {key: id}. On PostgreSQL one
    statement a batch that returns the ids (a first load makes a work for most of its clusters:
    50 µs a work through ``bulk_create`` and a second look-up, 13 to 16 this way)."""
    if not postgres():
        made = [Work(key=key) for key in sorted(keys)]
        Work.objects.bulk_create(made, batch_size=2000, ignore_conflicts=True)
        return works_by_key(keys)
    sql = (
        f"INSERT INTO {_WORKS} (key, created_at) SELECT k, now() FROM unnest(%b::text[]) AS k "  # noqa: S608
        "ON CONFLICT (key) DO NOTHING RETURNING key, id"
    )
    found: dict[str, int] = {}
    for batch in chunked(sorted(keys), 20000):
        found.update(_fetch(sql, [batch]))
    return found | works_by_key(keys - found.keys())  # any that were there already
