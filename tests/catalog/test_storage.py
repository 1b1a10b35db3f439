"""How PostgreSQL stores what a harvest writes (migration 0020: lz4 rather than pglz)."""

import pytest
from django.db import connection

from catalog.mapping import map_record
from catalog.models import Cluster, SourceRecord
from harvest.records import parse_iso2709
from tests.catalog.records import source
from tests.conftest import SHARED_TESTDATA, needs_postgres

LIBRIS_RECORD = SHARED_TESTDATA / "swedish-marc" / "librisxl" / "historical-bib" / "12035894.iso2709"


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
