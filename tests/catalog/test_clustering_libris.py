"""Clustering real LIBRIS records: the batch-import variants and the Tove Jansson holdings."""

from pathlib import Path

import pymarc
import pytest

from catalog.clustering import assign_clusters
from catalog.models import Cluster, Holding, SourceRecord
from tests.catalog.records import cluster_of, partition_of, read_json_marc, source, store_marc

BATCH = "swedish-marc/librisxl/batchimport-integtest"

# What a cataloguer expects, per file (all describe Bently, "Polisbilen får ett larm", Berghs 2017):
EXPECTED_BOOK = {
    "batch0",  # the reference record: LIBRIS 20203738, ISBN 978-91-502-2231-9, printed book (Sods)
    "batch1",  # same LIBRIS id and ISBN; title corrected ("… INTE …"), 035 _NEW (Nyks): same book
    "batch11",  # adds an EAN (024) the others lack: more identifiers, no conflict: same book
    "batch13",  # encoding level 5 instead of 8 and a changed title; same ids: same book
    "batch14",  # new 035, changed title, a summary added (Nyks): same book
    "batch15",  # title "ANNAN TITEL", held by Sods, Li and G; same LIBRIS id and ISBN: same book
    "batch2",  # ISBN-10 91-27-10850-3 instead, same LIBRIS id: the LIBRIS id decides: same book
    "batch3",  # ISBN-13 of that ISBN-10 (9789127108509), same LIBRIS id: same book
    "batch4",  # the ISBN only as cancelled $z, same LIBRIS id: same book
    "batch5",  # no ISBN at all (an invalid ISSN $z), same LIBRIS id: same book
    "batch8",  # ISBN-10 only as cancelled $z, same LIBRIS id: same book
}
EXPECTED_ALONE = {
    "batch10": "another LIBRIS record (1390474) with the same ISBN: conflicting LIBRIS ids, never merged",
    "batch6": "record type changed to computer file (leader/06 m): another format, never merged",
}
EXPECTED_EBOOK = {"batch7", "batch9"}  # 007 c (electronic): the e-book, one cluster of its own


def load_batches(shared_testdata: Path) -> dict[str, SourceRecord]:
    bibs = {}
    for path in sorted((shared_testdata / BATCH).glob("batch*.xml")):
        src = source(path.stem)
        records = [r for r in pymarc.parse_xml_to_array(str(path)) if r is not None]
        bibs[path.stem] = store_marc(src, records[0])
        for holdings in records[1:]:
            store_marc(src, holdings, parent=bibs[path.stem].local_id)
    return bibs


@pytest.mark.django_db
@pytest.mark.sqlite
def test_batch_import_variants_cluster_as_a_cataloguer_expects(shared_testdata: Path) -> None:
    bibs = load_batches(shared_testdata)
    assign_clusters(SourceRecord.objects.values_list("id", flat=True))

    partition = partition_of(list(bibs.values()))
    names = {name: f"{name}/{bibs[name].local_id}" for name in bibs}
    assert frozenset(names[n] for n in EXPECTED_BOOK) in partition
    assert frozenset(names[n] for n in EXPECTED_EBOOK) in partition
    for name in EXPECTED_ALONE:
        assert frozenset({names[name]}) in partition
    assert len(partition) == 2 + len(EXPECTED_ALONE)

    book = cluster_of(bibs["batch0"])
    assert book.data["formats"] == ["book"]
    assert set(book.data["isbns"]) == {"9789150222319", "9789127108509"}
    assert sorted(
        Holding.objects.filter(record__cluster=book).values_list("library__code", flat=True)
    ) == sorted(
        ["Sods", "Nyks", "Sods", "Sods", "Nyks", "Sods", "Li", "G", "Sods", "Sods", "Sods", "Sods", "Sods"]
    )
    bibs["batch2"].refresh_from_db()
    assert bibs["batch2"].merge_reason == "same LIBRIS id 20203738"
    # Other formats of the same work are linked, not merged.
    ebook, other = cluster_of(bibs["batch7"]), cluster_of(bibs["batch6"])
    assert book.work_key == ebook.work_key == other.work_key == "polisbilen får ett larm|bently peter"


@pytest.mark.django_db
def test_tove_jansson_28_holdings_records_are_28_holdings_of_one_cluster(shared_testdata: Path) -> None:
    folder = shared_testdata / "swedish-marc/librisxl/marc2jsonld-in"
    src = source("libris")
    bib = store_marc(src, read_json_marc(folder / "bib/7149593.json"))
    holdings = [store_marc(src, read_json_marc(path)) for path in sorted((folder / "hold").glob("*.json"))]
    assert len(holdings) == 28

    affected = assign_clusters([bib.pk, *[h.pk for h in holdings]])

    cluster = cluster_of(bib)
    assert affected == {cluster.pk} and Cluster.objects.count() == 1
    assert Holding.objects.filter(record__cluster=cluster).count() == 28
    assert Holding.objects.filter(record__cluster=cluster, library__code="Li").get().item_count == 2
    assert cluster.data["title"] == "Anteckningar från en ö"
    assert cluster.data["isbns"] == ["9789100563226"]
