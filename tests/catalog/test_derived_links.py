"""Memberships, display records and match keys have no database constraint (catalog.models): every
way a record or a cluster goes away must still leave none of them pointing at nothing."""

import pytest
from django.db import connection

from catalog.clustering import assign_clusters
from catalog.clustering.overrides import merge_clusters, split_record
from catalog.models import Cluster, MatchKey, SourceRecord
from harvest.models import Source
from tests.catalog.records import bib, cluster_of, source
from tests.catalog.test_clustering_rules import record_data

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
RECORDS, CLUSTERS, KEYS = (m._meta.db_table for m in (SourceRecord, Cluster, MatchKey))
DANGLING = {
    "membership": f"SELECT count(*) FROM {RECORDS} r WHERE r.cluster_id IS NOT NULL"
    f" AND NOT EXISTS (SELECT 1 FROM {CLUSTERS} c WHERE c.id = r.cluster_id)",
    "display record": f"SELECT count(*) FROM {CLUSTERS} c WHERE c.display_record_id IS NOT NULL"
    f" AND NOT EXISTS (SELECT 1 FROM {RECORDS} r WHERE r.id = c.display_record_id)",
    "match key": f"SELECT count(*) FROM {KEYS} k"
    f" WHERE NOT EXISTS (SELECT 1 FROM {RECORDS} r WHERE r.id = k.record_id)",
}
ISBN = "9789127108509"


def dangling() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for name, sql in DANGLING.items():
            cursor.execute(sql)
            counts[name] = cursor.fetchone()[0]
    return counts


def test_nothing_dangles_after_merges_splits_reharvests_and_deletions() -> None:
    none = dict.fromkeys(DANGLING, 0)
    copies = [bib(source(name), "1", record_data(isbns=[ISBN])) for name in ("Sods", "Nyks", "Li")]
    other = bib(source("Kar"), "2", record_data("Pappan och havet", isbns=["9789150222319"]))
    assign_clusters([r.pk for r in [*copies, other]])
    assert MatchKey.objects.count() >= 4 and Cluster.objects.count() == 2
    assert dangling() == none

    split_record(copies[1])
    merge_clusters(cluster_of(copies[0]), cluster_of(other))
    assert dangling() == none

    # A re-delivered record is a new row; the old one, its keys and its membership go.
    old = copies[2]
    old.delete()
    fresh = bib(old.source, old.local_id, record_data(isbns=[ISBN]))
    assign_clusters([fresh.pk])
    assert dangling() == none

    # A whole source removed, display record and all; then a cluster removed under its members.
    display = Cluster.objects.exclude(display_record=None).first()
    assert display is not None and display.display_record is not None
    Source.objects.filter(pk=display.display_record.source_id).delete()
    assert dangling() == none
    Cluster.objects.filter(pk=cluster_of(fresh).pk).delete()
    fresh.refresh_from_db()
    assert fresh.cluster_id is None and dangling() == none
    assign_clusters(SourceRecord.objects.values_list("id", flat=True))
    assert dangling() == none and SourceRecord.objects.filter(cluster=None).count() == 0
