"""`remap_records`: stored records described again from their raw MARC after the mapping learned
something (here: accessible media and 880 forms), re-clustered, and a second run writes nothing."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from pymarc import Record

from catalog.clustering import assignment, keys, recluster
from catalog.clustering.partition import Candidate
from catalog.mapping import map_record
from catalog.models import PendingRecord, SourceRecord
from harvest.prepare import checksum
from harvest.remap import remap
from tests.catalog import accessible_records, script_records
from tests.catalog.records import cluster_of, source
from tests.catalog.test_clustering_fuzzy import book

pytestmark = pytest.mark.django_db

LEARNED = ("accessibility", "original_script")  # what the mapping before issue 16 did not write


def stored_by_old_mapping(record: Record, local_id: str) -> SourceRecord:
    """As an earlier version stored it: the same raw bytes, a description without the new keys."""
    old = {key: value for key, value in map_record(record).items() if key not in LEARNED}
    row = SourceRecord.objects.create(
        source=source(f"lib-{local_id}"),
        local_id=local_id,
        raw=record.as_marc(),
        raw_format="iso2709",
        data=old,
    )
    recluster([row.pk])
    return row


def test_records_are_described_anew_and_their_titles_follow() -> None:
    large_print = stored_by_old_mapping(accessible_records.large_print(), "lp")
    arabic = stored_by_old_mapping(script_records.arabic_book(), "ar")
    assert cluster_of(large_print).data.get("accessibility") in (None, [])

    done = remap()

    assert (done.seen, done.changed, done.failing) == (2, 2, 0) and done.clusters >= 2
    assert cluster_of(large_print).data["accessibility"] == ["large_print"]
    arabic.refresh_from_db()
    assert arabic.data["original_script"] == map_record(script_records.arabic_book())["original_script"]
    assert arabic.data["original_script"]["dir"] == "rtl"
    again = remap()
    assert (again.seen, again.changed, again.clusters) == (2, 0, 0)  # nothing left to write


def test_a_record_kept_with_a_mapping_error_is_mapped_when_it_now_can_be() -> None:
    record = accessible_records.braille()
    row = SourceRecord.objects.create(
        source=source("lib-b"),
        local_id="b1",
        raw=record.as_marc(),
        raw_format="iso2709",
        error="mapping failed: KeyError: '245'",
    )
    out = io.StringIO()
    call_command("remap_records", stdout=out)
    row.refresh_from_db()
    assert row.error == "" and row.data["accessibility"] == ["braille"] and row.cluster_id is not None
    assert out.getvalue().startswith("remap_records: 1 records in ") and "1 described anew" in out.getvalue()


def test_a_record_the_mapping_now_fails_on_keeps_its_description() -> None:
    row = SourceRecord.objects.create(
        source=source("lib-x"),
        local_id="x1",
        raw=b"not marc at all",
        raw_format="iso2709",
        data={"title": "Kept"},
    )
    done = remap()
    row.refresh_from_db()
    assert (done.failing, done.changed) == (1, 0) and row.data == {"title": "Kept"}


def test_only_the_named_source_is_read() -> None:
    one = stored_by_old_mapping(accessible_records.large_print(), "lp")
    stored_by_old_mapping(accessible_records.braille(), "br")
    out = io.StringIO()
    call_command("remap_records", str(one.source_id), stdout=out)
    assert out.getvalue().startswith("remap_records: 1 records in ")


def test_records_keyed_by_an_earlier_version_are_keyed_anew_and_meet(monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier version took the particle of "al-Hakim, Tawfiq" for the surname, so its blocking
    keys never met those of "Tawfiq al-Hakim" keyed today (the subtitle typed into $a keeps their
    exact title keys apart); remapping keys it anew."""
    rows = []
    for n, (title, author) in enumerate(
        (
            (("a", "Awdat al-ruh : riwayah"), "al-Hakim, Tawfiq"),
            (("a", "Awdat al-ruh"), "Tawfiq al-Hakim"),
        )
    ):
        record = book(str(n), title=title, author=author, year="1933", publisher="Maktabat Misr")
        rows.append(
            SourceRecord.objects.create(
                source=source(f"lib{n}"),
                local_id=str(n),
                raw=record.as_marc(),
                raw_format="iso2709",
                data=map_record(record),
            )
        )
    with monkeypatch.context() as yesterday:
        yesterday.setattr(keys, "author_name", lambda data: ("al", ["tawfiq"]))
        recluster([rows[0].pk])
    recluster([rows[1].pk])
    assert cluster_of(rows[0]) != cluster_of(rows[1])

    done = remap()

    assert (done.changed, done.rekeyed) == (0, 1)
    assert cluster_of(rows[0]) == cluster_of(rows[1])
    assert remap().rekeyed == 0


@pytest.mark.sqlite
def test_records_clustered_before_signatures_were_kept_are_signed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the upgrade to migration 0018 (signatures): the records clustered earlier get the
    signature they were decided with, so that a note added to one no longer decides the records
    that share a key with it. One still waiting for its clustering run is left to that run."""
    records = [book("1"), book("2"), book("3", year="2013"), book("4", author="Lindgren, Barbro")]
    rows = [
        SourceRecord.objects.create(
            source=source(f"lib{n}"),
            local_id=str(n),
            raw=record.as_marc(),
            raw_format="iso2709",
            checksum=checksum(record.as_marc()),
            data=map_record(record),
        )
        for n, record in enumerate(records)
    ]
    recluster([row.pk for row in rows])
    as_clustered = dict(SourceRecord.objects.values_list("pk", "clustered_as"))
    assert None not in as_clustered.values()
    SourceRecord.objects.update(clustered_as=None)  # as an earlier version left them
    PendingRecord.objects.create(record=rows[3])  # changed, its clustering to come

    done = remap()

    assert (done.seen, done.changed, done.rekeyed, done.signed, done.clusters) == (4, 0, 0, 3, 0)
    signed = dict(SourceRecord.objects.values_list("pk", "clustered_as"))
    assert signed == {**as_clustered, rows[3].pk: None}
    assert remap().signed == 0

    decided: list[Candidate] = []
    real = assignment.partition

    def partition(candidates: list[Candidate], *rest: Any) -> Any:
        decided.extend(candidates)
        return real(candidates, *rest)

    monkeypatch.setattr(assignment, "partition", partition)
    noted = dict(rows[1].data, notes=["Med illustrationer"])
    SourceRecord.objects.filter(pk=rows[1].pk).update(data=noted)
    assert recluster([rows[1].pk], descriptions_only=True) == {cluster_of(rows[1]).pk}
    assert decided == []  # its title remade, the copy beside it and the other editions not decided
    assert cluster_of(rows[1]) == cluster_of(rows[0]) != cluster_of(rows[2])
