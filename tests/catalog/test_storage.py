"""How PostgreSQL stores what a harvest writes (migration 0020: lz4 rather than pglz; 0021: a
record's bytes and description kept out of its row; 0022: and out of ANALYZE's sample)."""

from pathlib import Path

import pytest
from django.db import connection

from catalog.clustering.bulk import update_memberships
from catalog.mapping import map_record
from catalog.models import Cluster, SourceRecord
from harvest.records import parse_iso2709
from tests.catalog.records import source
from tests.conftest import SHARED_TESTDATA, needs_postgres

HISTORICAL_BIB = SHARED_TESTDATA / "swedish-marc" / "librisxl" / "historical-bib"
LIBRIS_RECORD = HISTORICAL_BIB / "12035894.iso2709"


def _lz4_available() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
        return "lz4" in cursor.fetchone()[0]


@needs_postgres
@pytest.mark.django_db
def test_a_records_bytes_and_description_and_its_clusters_data_are_compressed_with_lz4() -> None:
    if not _lz4_available():
        pytest.skip("this PostgreSQL server was built without lz4: the columns keep pglz")
    raw = LIBRIS_RECORD.read_bytes()
    data = map_record(parse_iso2709(raw).record)
    data["notes"] = [*data["notes"], "Anteckning " * 200]  # a cluster row long enough to be compressed
    record = SourceRecord.objects.create(source=source(), local_id="12035894", raw=raw, data=data)
    cluster = Cluster.objects.create(data=data)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(raw), pg_column_compression(data) FROM catalog_sourcerecord "
            "WHERE id = %s",
            [record.pk],
        )
        assert cursor.fetchone() == ("lz4", "lz4")
        cursor.execute("SELECT pg_column_compression(data) FROM catalog_cluster WHERE id = %s", [cluster.pk])
        assert cursor.fetchone() == ("lz4",)
    record.refresh_from_db()
    assert bytes(record.raw) == raw and record.data == data


def _pages(ids: list[int]) -> int:
    """How many of the records' table pages hold these records' rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT (ctid::text::point)[0]) FROM catalog_sourcerecord WHERE id = ANY(%s)",
            [ids],
        )
        return cursor.fetchone()[0]


def _kept_apart_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = 'catalog_sourcerecord'"
        )
        return cursor.fetchone()[0]


@needs_postgres
@pytest.mark.django_db
def test_a_records_row_points_to_its_bytes_and_description_and_clustering_does_not_copy_them() -> None:
    # Records whose row is over 2 KB before compression (as most harvested ones are): PostgreSQL
    # compresses or moves nothing in a shorter row.
    files = sorted(path for path in HISTORICAL_BIB.glob("*.iso2709") if path.stat().st_size > 1400)
    described = [(raw, map_record(parse_iso2709(raw).record)) for raw in map(Path.read_bytes, files)]
    assert len(described) >= 5
    feed = source()
    records = SourceRecord.objects.bulk_create(
        SourceRecord(source=feed, local_id=f"{n}-{i}", raw=raw, data=data)
        for n, (raw, data) in enumerate(described)
        for i in range(10)
    )
    ids = [record.pk for record in records]
    # A few hundred bytes a row, 25 or more to a page (with the values in the row, compressed: 10).
    assert _pages(ids) <= len(ids) // 30
    apart = _kept_apart_bytes()
    cluster = Cluster.objects.create(data={})
    update_memberships([(rid, cluster.pk, "isbn", 7) for rid in ids])
    assert _pages(ids) <= len(ids) // 30
    assert _kept_apart_bytes() == apart  # the new row versions point to the values already stored
    stored = SourceRecord.objects.get(pk=ids[-1])
    assert (bytes(stored.raw), stored.data, stored.cluster_id) == (*described[-1], cluster.pk)


@needs_postgres
@pytest.mark.django_db
def test_analyze_samples_a_records_ids_but_not_its_bytes_or_description() -> None:
    """Migration 0022: no plan reads statistics of ``raw`` or ``data``, so ANALYZE (a bulk run's,
    autovacuum's) does not read those values of the rows it samples."""
    raw = LIBRIS_RECORD.read_bytes()
    data = map_record(parse_iso2709(raw).record)
    feed = source()
    SourceRecord.objects.bulk_create(
        SourceRecord(source=feed, local_id=f"12035894-{i}", raw=raw, data=data) for i in range(50)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_sourcerecord")
        cursor.execute("SELECT attname FROM pg_stats WHERE tablename = 'catalog_sourcerecord'")
        sampled = {name for (name,) in cursor.fetchall()}
    assert {"id", "source_id", "local_id", "checksum", "deleted"} <= sampled
    assert not sampled & {"raw", "data"}
