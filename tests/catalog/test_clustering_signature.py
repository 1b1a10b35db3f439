"""A record changed in nothing the partition reads keeps its cluster: a nightly of notes.

Each record carries the signature it was last decided with (``partition.signature``: its match
keys and the compared fields). A harvest (``descriptions_only``) that brings a record whose
signature is the same makes its cluster's contents again (display record, data, work key) and
does not decide its connected set again; anything else that changes (a title, a key, a deletion,
a librarian's correction) is decided as before. The result is what deciding everything again
gives, on the generator's sample county harvested twice.
"""

import io
from pathlib import Path
from typing import Any

import pymarc
import pytest
from django.core.management import call_command

from catalog.clustering import assign_clusters, assignment, recluster
from catalog.clustering.bulk import keys_of_records
from catalog.clustering.keys import match_keys
from catalog.clustering.overrides import split_record
from catalog.clustering.partition import Candidate, signature
from catalog.clustering.similarity import COMPARED_FIELDS, Profile, fuzzy_reason, similar, title_numbers, veto
from catalog.models import Cluster, SourceRecord
from harvest.models import HarvestRun, Source
from harvest.services import harvest_source
from sample import demo
from sample.county import generate_county
from tests.catalog.records import bib, source
from tests.catalog.test_clustering_rules import record_data

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
ISBN = "9789127108509"


class Reading(dict[str, Any]):
    """A description that notes which of its fields are read."""

    def __init__(self, data: dict[str, Any], read: set[str]) -> None:
        super().__init__(data)
        self.read = read

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


def test_the_partition_reads_no_field_of_a_description_but_the_compared_ones() -> None:
    read: set[str] = set()
    full = record_data(
        "Pappan och havet : roman",
        subtitle="en berättelse",
        title_proper="Pappan och havet",
        isbns=[ISBN],
        carrier="unmediated/volume",
        edition="2. uppl.",
        publisher="Schildt",
        extent="159 s.",
        languages=["swe"],
        parts=["1"],
        series_numbers=["2"],
        host="",
        accessibility=["large_print"],
        notes=["a note"],
        subjects=["Hav"],
    )
    one = Candidate(1, (1, "a"), match_keys(full), data=Reading(full, read))
    two = Candidate(2, (2, "b"), match_keys(full), data=Reading(dict(full, year=None), read))
    for a, b in ((one, two), (two, one)):
        veto(a.profile, b.profile)
        similar(a.profile, b.profile)
        fuzzy_reason(0.95, a.profile)
        title_numbers(a.profile)
        assert a.profile.titles
    assert isinstance(one.profile, Profile)
    assert read and read <= set(COMPARED_FIELDS)  # a field read but not compared: a wrong skip
    assert "notes" not in read and "subjects" not in read and "isbns" not in read


def test_every_record_carries_the_signature_it_was_decided_with() -> None:
    src = source("Sods")
    first = bib(src, "1", record_data(isbns=[ISBN]))
    second = bib(src, "2", record_data("Pappan och havet", isbns=["9789150222319"]))
    gone = bib(src, "3", record_data("Trollvinter"))
    assign_clusters([first.pk, second.pk, gone.pk])
    stored: dict[int, list[str]] = {}
    for record_id, key in keys_of_records([first.pk, second.pk]):
        stored.setdefault(record_id, []).append(key)
    for record in SourceRecord.objects.filter(pk__in=[first.pk, second.pk]):
        assert record.clustered_as == signature(stored[record.pk], record.data)
        assert record.clustered_as != signature(stored[record.pk], dict(record.data, year=1969))
    assert SourceRecord.objects.get(pk=gone.pk).clustered_as is not None
    SourceRecord.objects.filter(pk=gone.pk).update(deleted=True)
    assign_clusters([gone.pk])
    left = SourceRecord.objects.get(pk=gone.pk)
    assert left.cluster_id is None and left.clustered_as is None


@pytest.fixture
def decided(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the records every partition is asked to decide."""
    ids: list[int] = []
    real = assignment.partition

    def partition(candidates: list[Candidate], *rest: Any) -> Any:
        ids.extend(c.id for c in candidates)
        return real(candidates, *rest)

    monkeypatch.setattr(assignment, "partition", partition)
    return ids


def edition_neighbours() -> tuple[SourceRecord, SourceRecord, SourceRecord]:
    """Two copies of one edition (same ISBN) and a later edition of the title that shares their
    title keys, so its own cluster is in their connected set."""
    sods, nyks = source("Sods"), source("Nyks")
    copy = bib(sods, "1", record_data(isbns=[ISBN]))
    other_copy = bib(nyks, "2", record_data(isbns=[ISBN]))
    later = bib(nyks, "3", record_data(isbns=["9789150222319"], year=1968, edition="2. uppl."))
    assign_clusters([copy.pk, other_copy.pk, later.pk])
    return copy, other_copy, later


def test_a_note_added_to_a_copy_remakes_its_title_and_decides_nothing_again(decided: list[int]) -> None:
    copy, other_copy, later = edition_neighbours()
    title, later_title = Cluster.objects.get(members=copy), Cluster.objects.get(members=later)
    assert title.pk != later_title.pk and title.display_record_id == copy.pk  # first in order
    decided.clear()

    richer = dict(other_copy.data, notes=["Med illustrationer"], subjects=["Hav", "Familjer"])
    SourceRecord.objects.filter(pk=other_copy.pk).update(data=richer)
    affected = recluster([other_copy.pk], descriptions_only=True)

    assert decided == []  # neither its title's members nor the later edition were decided again
    assert affected == {title.pk}
    title.refresh_from_db()
    assert title.display_record_id == other_copy.pk  # now the more complete copy
    assert title.data["subjects"] == ["Hav", "Familjer"] and title.data["member_count"] == 2
    remade = dict(title.data)
    assign_clusters([copy.pk, other_copy.pk, later.pk])  # everything decided again: the same
    title.refresh_from_db()
    assert title.data == remade and title.display_record_id == other_copy.pk
    assert Cluster.objects.get(members=later).pk == later_title.pk


def test_a_change_the_partition_reads_decides_the_connected_set_again(decided: list[int]) -> None:
    copy, other_copy, later = edition_neighbours()
    decided.clear()
    SourceRecord.objects.filter(pk=other_copy.pk).update(data=dict(other_copy.data, publisher="Bonnier"))
    recluster([other_copy.pk], descriptions_only=True)
    assert sorted(decided) == sorted([copy.pk, other_copy.pk, later.pk])

    decided.clear()
    recluster([copy.pk])  # not only descriptions changed (a librarian's correction): decided
    assert sorted(decided) == sorted([copy.pk, other_copy.pk, later.pk])


def test_a_split_record_stays_apart_when_a_harvest_adds_a_note(decided: list[int]) -> None:
    copy, other_copy, _later = edition_neighbours()
    split_record(SourceRecord.objects.get(pk=other_copy.pk))
    apart = Cluster.objects.get(members=other_copy)
    assert Cluster.objects.get(members=copy).pk != apart.pk
    decided.clear()
    SourceRecord.objects.filter(pk=other_copy.pk).update(data=dict(other_copy.data, notes=["Ny not"]))
    recluster([other_copy.pk], descriptions_only=True)
    assert decided == []
    assert Cluster.objects.get(members=other_copy).pk == apart.pk
    assert Cluster.objects.get(members=copy).pk != apart.pk
    assert SourceRecord.objects.get(pk=other_copy.pk).merge_reason == "split out by a librarian"


def with_notes(path: Path, every: int) -> list[str]:
    """Add a 500 note to every ``every``-th record of a MARC file; the 001s of those changed."""
    xml = path.suffix == ".xml"
    records = pymarc.parse_xml_to_array(str(path)) if xml else list(pymarc.MARCReader(path.read_bytes()))
    changed = []
    for number, record in enumerate(records):
        if number % every == 0:
            record.add_field(
                pymarc.Field(tag="500", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "Ny not")])
            )
            changed.append(record["001"].data)
    if xml:
        body = b"".join(pymarc.record_to_xml(record, namespace=True) for record in records)
        path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?><collection>' + body + b"</collection>")
    else:
        path.write_bytes(b"".join(record.as_marc() for record in records))
    return changed


def contents() -> dict[frozenset[tuple[int, str]], tuple[dict[str, Any], int | None, str]]:
    """Each title by its members (source, local id): its data, display record and work key."""
    members: dict[int, set[tuple[int, str]]] = {}
    for cluster_id, source_id, local_id in SourceRecord.objects.filter(cluster__isnull=False).values_list(
        "cluster_id", "source_id", "local_id"
    ):
        members.setdefault(cluster_id, set()).add((source_id, local_id))
    found = {}
    for cluster in Cluster.objects.all():
        found[frozenset(members[cluster.pk])] = (cluster.data, cluster.display_record_id, cluster.work_key)
    return found


def test_a_nightly_of_notes_on_the_sample_county_is_what_deciding_everything_gives(
    tmp_path: Path, decided: list[int], settings: Any
) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path
    generate_county(tmp_path, 400, seed=5)
    county = [demo.register_library(entry, tmp_path, False) for entry in demo.load_libraries(tmp_path)]
    call_command("harvest", "--all", stdout=io.StringIO())
    shared = {cid for cid in SourceRecord.objects.values_list("cluster_id", flat=True)}
    assert len(shared) < SourceRecord.objects.count()  # titles held by several libraries
    noted: list[tuple[Source, str]] = []
    for src in county:
        noted += [(src, local_id) for local_id in with_notes(Path(src.url), 3)]
    decided.clear()

    for src in county:
        run = harvest_source(src.pk)
        assert run.status == HarvestRun.Status.COMPLETE and run.added == run.deleted == 0
    assert decided == []  # a note changes nothing any decision reads
    for src, local_id in noted:
        record = SourceRecord.objects.get(source=src, local_id=local_id)
        assert "Ny not" in record.data["notes"] and record.cluster_id is not None
    after_nightly = contents()
    every = list(SourceRecord.objects.filter(kind="bib").values_list("id", flat=True))
    assign_clusters(every)
    assert contents() == after_nightly
    assert len(decided) == len(every)
