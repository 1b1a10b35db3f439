"""The nightly run of a complete file, cheap per unchanged record (issue 18): no row is written
for an unchanged record, an unchanged ISO 2709 record is not parsed, and the run's index changes
are one job — one commit of the index — however many pages it stored."""

import re
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pymarc
import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import example, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from pymarc import Field, Indicators, Record, Subfield

from catalog.models import Cluster, Holding, Library, SourceRecord
from catalog.search import get_backend
from catalog.search.backends.tantivy import TantivyBackend
from harvest.ingest import RecordWriter
from harvest.models import SeenPage, Source
from harvest.protocols import get_protocol, marc_file
from harvest.services import Harvester, _resume_or_start, harvest_source
from portal.models import Job
from tests.conftest import needs_postgres
from tests.harvest.conftest import file_source

INDEX_TASK = "catalog.tasks.index_clusters"


def bib(number: int, note: str = "") -> Record:
    """A book with its 001, a title of its own and a holding at Sods."""
    record = Record(force_utf8=True, leader="00000nam a2200000 a 4500")
    record.add_field(Field(tag="001", data=f"rec{number}"))
    record.add_field(Field(tag="008", data="170327s2017    sw ||||j     |00| 0|swe d"))
    title = [Subfield("a", f"Bok nummer {number} om {'fjällen' if number % 2 else 'havet'}")]
    record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=title))
    if note:
        record.add_field(Field(tag="500", indicators=Indicators(" ", " "), subfields=[Subfield("a", note)]))
    shelf = [Subfield("b", "Sods"), Subfield("h", "Hc")]
    record.add_field(Field(tag="852", indicators=Indicators(" ", " "), subfields=shelf))
    return record


def write_file(path: Path, numbers: list[int], notes: dict[int, str] | None = None) -> None:
    notes = notes or {}
    path.write_bytes(b"".join(bib(number, notes.get(number, "")).as_marc() for number in numbers))


def sods_file(tmp_path: Path, numbers: list[int]) -> tuple[Path, Source]:
    """Sods's file of these records, and its source."""
    sods, _ = Library.objects.get_or_create(code="Sods", defaults={"name": "Söderhamns bibliotek"})
    path = tmp_path / "sods.mrc"
    write_file(path, numbers)
    return path, file_source(path, sods)


@pytest.fixture(autouse=True)
def _embedded(request: pytest.FixtureRequest, settings: Any) -> None:
    """No broker (but for the test on a Celery worker): background work is a Job row, and the
    harvest command runs it in-process."""
    if "celery_worker" not in request.fixturenames:
        settings.CELERY_BROKER_URL = None


@pytest.fixture
def sods(db: None) -> Library:
    return Library.objects.create(code="Sods", name="Söderhamns bibliotek")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[bytes]:
    """Every ISO 2709 record pymarc decodes in this process (the page reader works in this
    process too, so that all parses are counted)."""
    settings.HARVEST_READER_PROCESS = False
    seen: list[bytes] = []
    decode = pymarc.Record.decode_marc

    def counting(self: pymarc.Record, marc: bytes, *args: Any, **kwargs: Any) -> None:
        seen.append(bytes(marc))
        decode(self, marc, *args, **kwargs)

    monkeypatch.setattr(pymarc.Record, "decode_marc", counting)
    return seen


def row_versions(source: Source) -> dict[str, int]:
    """local id → the transaction that last wrote the row (PostgreSQL's xmin)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT local_id, xmin::text::bigint FROM catalog_sourcerecord WHERE source_id = %s", [source.pk]
        )
        return dict(cursor.fetchall())


def live_ids(source: Source) -> set[str]:
    return set(SourceRecord.objects.filter(source=source, deleted=False).values_list("local_id", flat=True))


# -- a full run writes only what changed -----------------------------------------------------


@needs_postgres
def test_a_full_run_writes_no_unchanged_row_and_still_deletes_what_vanished(
    transactional_db: None, tmp_path: Path, small_pages: None
) -> None:
    path, source = sods_file(tmp_path, list(range(1, 31)))
    assert harvest_source(source.pk).added == 30
    before = row_versions(source)

    write_file(path, [n for n in range(1, 32) if n not in (7, 8)], {3: "Ny upplaga"})
    run = harvest_source(source.pk)

    assert (run.status, run.added, run.updated, run.deleted, run.unchanged) == ("complete", 1, 1, 2, 27)
    after = row_versions(source)
    untouched = {f"rec{n}" for n in range(1, 31)} - {"rec3", "rec7", "rec8"}
    assert {local_id: after[local_id] for local_id in untouched} == {
        local_id: before[local_id] for local_id in untouched
    }
    assert after["rec3"] != before["rec3"]
    assert live_ids(source) == {f"rec{n}" for n in range(1, 32)} - {"rec7", "rec8"}
    assert not SeenPage.objects.exists()  # what the run saw is dropped once it completed


@needs_postgres
def test_a_resumed_full_run_remembers_what_it_saw_before_the_crash(
    transactional_db: None, tmp_path: Path, small_pages: None
) -> None:
    path, source = sods_file(tmp_path, list(range(1, 21)))
    harvest_source(source.pk)
    write_file(path, list(range(1, 21)), {2: "Ändrad"})  # page 1 changes one title

    # A run that stores its first page and dies: its index job (if any) is lost with it.
    run = _resume_or_start(source, full=True)
    harvester = Harvester(source, run, get_protocol(source))
    harvester._store_page(next(iter(get_protocol(source).pages(run))))
    Job.objects.all().delete()
    changed_cluster = SourceRecord.objects.get(source=source, local_id="rec2").cluster_id

    resumed = harvest_source(source.pk)

    assert (resumed.pk, resumed.attempts, resumed.status) == (run.pk, 2, "complete")
    assert resumed.deleted == 0  # the five records of the first page were seen, though not in this attempt
    assert len(live_ids(source)) == 20
    queued = Job.objects.get(task=INDEX_TASK)
    assert changed_cluster in queued.args[0]  # what the lost attempt changed is re-indexed too


@needs_postgres
def test_the_guard_stops_a_full_run_and_the_confirmed_run_deletes_what_it_did_not_see(
    transactional_db: None, tmp_path: Path, small_pages: None
) -> None:
    path, source = sods_file(tmp_path, list(range(1, 21)))
    harvest_source(source.pk)
    write_file(path, list(range(1, 15)))  # 6 of 20 gone: more than 20 %

    stopped = harvest_source(source.pk)
    assert (stopped.status, stopped.deleted, len(live_ids(source))) == ("stopped", 0, 20)
    Source.objects.filter(pk=source.pk).update(mass_deletion_confirmed=True)
    write_file(path, [])  # what the run read before the stop counts, not the file as it is now
    confirmed = harvest_source(source.pk)

    assert (confirmed.pk, confirmed.status, confirmed.deleted) == (stopped.pk, "complete", 6)
    assert live_ids(source) == {f"rec{n}" for n in range(1, 15)}


@pytest.mark.sqlite
def test_a_run_counts_the_source_s_live_records_and_the_copies_their_holdings_hold(
    sods: Library, tmp_path: Path, small_pages: None, settings: Any
) -> None:
    settings.HARVEST_READER_PROCESS = False  # the test's transaction holds what the reader would read
    elsewhere = Library.objects.create(code="Ha", name="Hallsbergs bibliotek")
    write_file(tmp_path / "ha.mrc", [101, 102, 103])
    harvest_source(file_source(tmp_path / "ha.mrc", elsewhere).pk)
    path, source = sods_file(tmp_path, list(range(1, 31)))
    first = harvest_source(source.pk)
    assert (first.record_count, first.holding_count) == (30, 30)

    records = [bib(n) for n in range(1, 32) if n not in (7, 8)]
    second_copy = [Subfield("b", "Sods"), Subfield("h", "Hc")]
    records[2].add_field(Field(tag="852", indicators=Indicators(" ", " "), subfields=second_copy))
    path.write_bytes(b"".join(record.as_marc() for record in records))
    run = harvest_source(source.pk)

    assert (run.deleted, run.added, run.updated) == (2, 1, 1)
    assert (run.record_count, run.holding_count) == (29, 30)
    stored = Holding.objects.filter(record__source=source).values_list("record__local_id", "item_count")
    assert sum(count for local_id, count in stored if local_id == "rec3") == 2
    assert sum(count for _, count in stored) == 30


# -- an unchanged ISO 2709 record is not parsed ----------------------------------------------


@pytest.mark.sqlite
def test_a_marc_file_run_parses_only_the_records_that_changed(
    sods: Library, tmp_path: Path, parses: list[bytes], small_pages: None
) -> None:
    path = tmp_path / "sods.mrc"
    write_file(path, list(range(1, 41)))
    source = file_source(path, sods)
    harvest_source(source.pk)
    assert len(parses) == 40
    parses.clear()

    write_file(path, list(range(1, 42)), {5: "Ny upplaga"})
    run = harvest_source(source.pk)

    assert (run.added, run.updated, run.unchanged) == (1, 1, 39)
    assert sorted(parses) == sorted([bib(5, "Ny upplaga").as_marc(), bib(41).as_marc()])
    assert SourceRecord.objects.get(source=source, local_id="rec5").data["notes"] == ["Ny upplaga"]


@pytest.fixture
def xml_parses(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[bytes]:
    """Every MARCXML record parsed in this process (the page reader too: it works in this one)."""
    settings.HARVEST_READER_PROCESS = False
    seen: list[bytes] = []
    parse = marc_file.parse_marcxml

    def counting(raw: bytes, *args: Any, **kwargs: Any) -> Any:
        seen.append(raw)
        return parse(raw, *args, **kwargs)

    monkeypatch.setattr(marc_file, "parse_marcxml", counting)
    return seen


def write_xml(path: Path, numbers: list[int], notes: dict[int, str] | None = None) -> None:
    notes = notes or {}
    records = b"".join(
        pymarc.record_to_xml(bib(n, notes.get(n, "")), namespace=False) + b"\n" for n in numbers
    )
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
        + records
        + b"</collection>\n"
    )


@pytest.mark.sqlite
def test_a_marcxml_run_parses_only_the_records_that_changed(
    sods: Library, tmp_path: Path, xml_parses: list[bytes], small_pages: None
) -> None:
    path = tmp_path / "sods.xml"
    write_xml(path, list(range(1, 21)))
    source = file_source(path, sods)
    assert harvest_source(source.pk).added == 20
    assert len(xml_parses) == 20
    xml_parses.clear()

    write_xml(path, list(range(1, 21)), {4: "Ny upplaga"})
    run = harvest_source(source.pk)

    assert (run.updated, run.unchanged) == (1, 19)
    assert len(xml_parses) == 1 and b"Ny upplaga" in xml_parses[0]
    assert SourceRecord.objects.get(source=source, local_id="rec4").data["notes"] == ["Ny upplaga"]


@pytest.mark.sqlite
def test_an_unparsed_record_that_pymarc_cannot_read_is_kept_with_its_error(
    sods: Library, tmp_path: Path, parses: list[bytes]
) -> None:
    """The directory names a 001 but pymarc refuses the record: stored under its content hash
    with pymarc's error, as if it had been parsed at once."""
    good = bib(1).as_marc()
    broken = bytearray(bib(2).as_marc())
    broken[:5] = b"%05d" % (len(broken) + 40)  # a leader longer than the record: truncated
    path = tmp_path / "sods.mrc"
    path.write_bytes(good + bytes(broken))
    source = file_source(path, sods)

    run = harvest_source(source.pk)

    assert (run.added, run.failed) == (2, 1)
    failed = SourceRecord.objects.get(source=source, local_id__startswith="sha256:")
    assert "TruncatedRecord" in failed.error
    assert harvest_source(source.pk).unchanged == 2


def test_the_directory_gives_the_001_pymarc_reads(shared_testdata: Path) -> None:
    """Every ISO 2709 record of the shared test data: the 001 read from the directory is the one
    pymarc's parse gives, or the directory is one the reader leaves to pymarc (None)."""
    from harvest.records import control_number, iso2709_control_number, parse_iso2709

    compared = 0
    for path in sorted(shared_testdata.rglob("*.mrc")):
        with path.open("rb") as stream:
            for raw, _end in marc_file.iso2709_chunks(stream, 0):
                from_directory = iso2709_control_number(raw)
                parsed = parse_iso2709(raw)
                if from_directory is not None and parsed.record is not None:
                    assert from_directory == control_number(parsed.record), (path, raw[:40])
                    compared += 1
    assert compared > 100


# -- one index commit per run ----------------------------------------------------------------


@pytest.fixture
def commits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The documents of each write (commit) of the tantivy index."""
    written: list[int] = []
    apply = TantivyBackend.apply

    def counting(self: TantivyBackend, documents: Any, delete_ids: Any) -> int:
        count = apply(self, documents, delete_ids)
        written.append(count)
        return count

    monkeypatch.setattr(TantivyBackend, "apply", counting)
    return written


def index_jobs() -> list[list[int]]:
    return [job.args[0] for job in Job.objects.filter(task=INDEX_TASK)]


@needs_postgres
def test_the_harvest_command_commits_the_index_once_per_run_and_returns_searchable(
    transactional_db: None, tmp_path: Path, small_pages: None, commits: list[int]
) -> None:
    if not isinstance(get_backend(), TantivyBackend):
        pytest.skip("counts commits of the tantivy index")
    path, source = sods_file(tmp_path, list(range(1, 31)))  # six pages

    call_command("harvest", str(source.pk), stdout=StringIO())
    assert commits == [Cluster.objects.count()] and commits[0] > 0
    assert get_backend().count() == Cluster.objects.count()

    commits.clear()
    write_file(path, [n for n in range(1, 32) if n != 9], {12: "Ny upplaga"})
    call_command("harvest", str(source.pk), stdout=StringIO())
    assert len(commits) == 1
    gone = SourceRecord.objects.get(source=source, local_id="rec9").cluster_id
    assert gone is None or not SourceRecord.objects.filter(cluster_id=gone, deleted=False).exists()
    backend = get_backend()
    assert backend.count() == Cluster.objects.count()
    new = SourceRecord.objects.get(source=source, local_id="rec31").cluster_id
    assert backend.get(str(new)) is not None


@pytest.mark.sqlite
def test_a_background_run_queues_one_index_job(sods: Library, tmp_path: Path, small_pages: None) -> None:
    path = tmp_path / "sods.mrc"
    write_file(path, list(range(1, 31)))
    source = file_source(path, sods)

    harvest_source(source.pk)

    assert [sorted(ids) for ids in index_jobs()] == [sorted(Cluster.objects.values_list("id", flat=True))]


def test_a_long_run_queues_its_index_changes_every_harvest_index_seconds(
    sods: Library, tmp_path: Path, small_pages: None, settings: Any
) -> None:
    settings.HARVEST_INDEX_SECONDS = 0  # every page is "long enough"
    path = tmp_path / "sods.mrc"
    write_file(path, list(range(1, 31)))
    source = file_source(path, sods)

    harvest_source(source.pk)

    assert len(index_jobs()) == 6
    assert {pk for ids in index_jobs() for pk in ids} == set(Cluster.objects.values_list("id", flat=True))


def test_a_failed_run_still_queues_what_it_stored(
    sods: Library, tmp_path: Path, small_pages: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sods.mrc"
    write_file(path, list(range(1, 31)))
    source = file_source(path, sods)
    pages = marc_file._paged

    def failing_after_two(*args: Any) -> Iterator[Any]:
        for number, page in enumerate(pages(*args), start=1):
            if number == 3:
                raise ConnectionResetError("the file server went away")
            yield page

    monkeypatch.setattr(marc_file, "_paged", failing_after_two)
    run = harvest_source(source.pk)

    assert (run.status, run.added) == ("failed", 10)
    assert sorted(pk for ids in index_jobs() for pk in ids) == sorted(
        Cluster.objects.values_list("id", flat=True)
    )


def test_on_celery_the_run_sends_one_index_task_and_its_titles_are_then_searchable(
    celery_worker: object, tmp_path: Path, small_pages: None, commits: list[int]
) -> None:
    if not isinstance(get_backend(), TantivyBackend):
        pytest.skip("counts commits of the tantivy index")
    _path, source = sods_file(tmp_path, list(range(1, 31)))

    harvest_source(source.pk)

    deadline = time.monotonic() + 30
    while not commits and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # a second task, if one had been sent, would have come by now
    assert commits == [Cluster.objects.count()]
    assert get_backend().count() == Cluster.objects.count()


_FRAGMENTS = ["</", "<", "record", "marc:", "x.y-z:", "rec", "ord", " ", "\t", ">", "recording", ":", "a"]
_FRAGMENTS += ["</record>", "</marc:record >", "<record>", "</subfield>", "</recordx:record>"]


@examples(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=30), st.integers(min_value=0, max_value=200))
def test_the_end_tag_is_the_one_the_pattern_finds_first(fragments: list[str], at: int) -> None:
    buffer = "".join(fragments).encode()
    expected = marc_file._XML_END.search(buffer, at)
    found = marc_file._end_tag(buffer, at)
    assert (found.span() if found else None) == (expected.span() if expected else None)


_PARTS = ["<", "</", "leader", "controlfield", "marc:", "x.y-z:", ":", " ", "\n", ">", "&amp;", "x", "0"]
_PARTS += [' tag="001"', " tag='001'", ' tag = "001" ', ' tag="008"', "<<", "</leader>", "<controlfield"]
_PARTS += ["<leader>", "<marc:leader >", '<controlfield tag="001">', "<m:controlfield\ttag='001'>"]
_PARTS += ["<xleader>"]
_WHOLE_LEADER = re.compile(rb"<(?:[\w.-]++:)?leader\s*>([^<&]*)</")
_WHOLE_001 = re.compile(rb"""<(?:[\w.-]++:)?controlfield\s+tag\s*=\s*["']001["']\s*>([^<&]*)</""")


@examples(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=30))
@example(["<marc:leader>", "00000nam", "</", "<leader>", "</", '<controlfield tag="001">', "x", "</"])
def test_a_records_leader_and_001_are_what_the_whole_pattern_finds(parts: list[str]) -> None:
    raw = "".join(parts).encode()
    assert marc_file._elements(marc_file._XML_LEADER, raw) == _WHOLE_LEADER.findall(raw)
    assert marc_file._elements(marc_file._XML_001, raw) == _WHOLE_001.findall(raw)


@pytest.mark.sqlite
@pytest.mark.parametrize("block", [7, 300, 1 << 20])
def test_marcxml_records_are_split_with_their_end_offsets_whatever_the_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    path = tmp_path / "sods.xml"
    write_xml(path, list(range(1, 6)))
    data = path.read_bytes()
    monkeypatch.setattr(marc_file, "BLOCK", block)
    with path.open("rb") as stream:
        chunks = list(marc_file.xml_chunks(stream, 0))
    assert [chunk.count(b"<record") for chunk, _ in chunks] == [1] * 5
    assert all(f">rec{n}<".encode() in chunk for n, (chunk, _) in enumerate(chunks, start=1))
    assert all(data[end - len(chunk) : end] == chunk for chunk, end in chunks)
    with path.open("rb") as stream:  # resumed after the second record, as a stopped run is
        marc_file.skip_to(stream, chunks[1][1])
        assert list(marc_file.xml_chunks(stream, chunks[1][1])) == chunks[2:]
    path.write_bytes(data[: chunks[4][1] - 20])  # the last record cut short: kept as it is
    with path.open("rb") as stream:
        cut = list(marc_file.xml_chunks(stream, 0))
    assert cut[:4] == chunks[:4] and cut[4][0] == chunks[4][0][:-20] and cut[4][1] == chunks[4][1] - 20


# -- a record stored as it is reaches the writer as its id alone ------------------------------


@pytest.fixture
def deliveries(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], int]]:
    """What each page brought the writer: its items' local ids, and how many stored records came
    as ids alone (``Page.unchanged``)."""
    seen: list[tuple[list[str], int]] = []
    original = RecordWriter.write

    def write(self: RecordWriter, items: list[Any], unchanged: Any = ()) -> Any:
        seen.append(([item.local_id for item in items], len(unchanged)))
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", write)
    return seen


@needs_postgres
@pytest.mark.parametrize("suffix", [".mrc", ".xml"])
def test_records_stored_as_they_are_reach_the_writer_as_ids_alone(
    transactional_db: None,
    tmp_path: Path,
    small_pages: None,
    deliveries: list[tuple[list[str], int]],
    suffix: str,
) -> None:
    sods, _ = Library.objects.get_or_create(code="Sods", defaults={"name": "Söderhamns bibliotek"})
    path = tmp_path / f"sods{suffix}"
    write = write_file if suffix == ".mrc" else write_xml
    write(path, list(range(1, 131)))
    source = file_source(path, sods)
    assert harvest_source(source.pk).added == 130
    assert sum(unchanged for _, unchanged in deliveries) == 0
    assert len(deliveries) == 26  # pages of 5
    deliveries.clear()

    write(path, [n for n in range(1, 132) if n != 9], {4: "Ny upplaga"})
    run = harvest_source(source.pk)

    assert (run.added, run.updated, run.deleted, run.unchanged) == (1, 1, 1, 128)
    assert sorted(local_id for items, _ in deliveries for local_id in items) == ["rec131", "rec4"]
    # An unchanged record weighs a twentieth of one to write: pages of 5 records or 100 ids.
    assert [(len(items), unchanged) for items, unchanged in deliveries] == [(1, 80), (1, 48)]
    assert live_ids(source) == {f"rec{n}" for n in range(1, 132)} - {"rec9"}
    assert SourceRecord.objects.get(source=source, local_id="rec4").data["notes"] == ["Ny upplaga"]


@needs_postgres
@pytest.mark.parametrize("reader_process", [True, False])
@pytest.mark.parametrize("records", [10, 300], ids=["in-one-page", "pages-apart"])
def test_a_record_delivered_twice_in_a_run_is_stored_as_its_last_delivery(
    transactional_db: None,
    tmp_path: Path,
    small_pages: None,
    settings: Any,
    reader_process: bool,
    records: int,
) -> None:
    """Its stored bytes after other bytes in the file: stored again, not taken as unchanged."""
    settings.HARVEST_READER_PROCESS = reader_process
    path, source = sods_file(tmp_path, list(range(1, records + 1)))
    harvest_source(source.pk)
    stored, new = bib(3).as_marc(), bib(3, "Ny upplaga").as_marc()
    others = b"".join(bib(n).as_marc() for n in (1, 2, *range(4, records + 1)))

    path.write_bytes(new + others + stored)
    harvest_source(source.pk)
    assert bytes(SourceRecord.objects.get(source=source, local_id="rec3").raw) == stored

    path.write_bytes(stored + others + new)
    harvest_source(source.pk)
    assert bytes(SourceRecord.objects.get(source=source, local_id="rec3").raw) == new


def holdings_record(number: int, shelf: str) -> Record:
    """A holdings record without 004 (as in a LIBRIS export): it belongs to the bib before it."""
    record = Record(force_utf8=True, leader="00000nx  a2200000 a 4500")
    record.add_field(Field(tag="001", data=f"h{number}"))
    fields = [Subfield("b", "Sods"), Subfield("h", shelf)]
    record.add_field(Field(tag="852", indicators=Indicators(" ", " "), subfields=fields))
    return record


@needs_postgres
def test_a_holdings_record_without_004_belongs_to_the_bib_before_it_stored_as_it_is_or_not(
    transactional_db: None, tmp_path: Path, small_pages: None, deliveries: list[tuple[list[str], int]]
) -> None:
    path, source = sods_file(tmp_path, [])
    path.write_bytes(bib(1).as_marc() + holdings_record(1, "Hc").as_marc() + bib(2).as_marc())
    harvest_source(source.pk)
    assert SourceRecord.objects.get(source=source, local_id="h1").parent_local_id == "rec1"
    deliveries.clear()

    path.write_bytes(bib(1).as_marc() + holdings_record(1, "Hcf").as_marc() + bib(2).as_marc())
    run = harvest_source(source.pk)

    assert (run.updated, run.unchanged) == (1, 2)
    assert deliveries == [(["h1"], 2)]
    assert SourceRecord.objects.get(source=source, local_id="h1").parent_local_id == "rec1"
    shelves = Holding.objects.filter(record__local_id="rec1").values_list("call_number", flat=True)
    assert sorted(shelves) == ["Hc", "Hcf"]  # its own 852, and the holdings record's


@pytest.mark.sqlite
def test_the_known_records_are_the_live_bibliographic_ones_as_stored(sods: Library, tmp_path: Path) -> None:
    from harvest.prepare import checksum
    from harvest.reader import known_records

    path, source = sods_file(tmp_path, [1, 2, 3])
    path.write_bytes(b"".join(bib(n).as_marc() for n in (1, 2, 3)) + holdings_record(1, "Hc").as_marc())
    harvest_source(source.pk)
    SourceRecord.objects.filter(source=source, local_id="rec2").update(deleted=True)
    SourceRecord.objects.filter(source=source, local_id="rec3").update(checksum="not a checksum")

    known = known_records(source.pk)

    assert known is not None and len(known) == 1
    rec1 = SourceRecord.objects.get(source=source, local_id="rec1")
    assert known.unchanged(bib(1).as_marc()) == rec1.pk and rec1.checksum == checksum(bib(1).as_marc())
    assert known.unchanged(bib(1, "Ny upplaga").as_marc()) is None
    assert known.unchanged(holdings_record(1, "Hc").as_marc()) is None  # holdings are always read
    known.delivered("rec1")
    assert known.unchanged(bib(1).as_marc()) is None
