"""The page reader process (harvest.reader): what it prepares, what it leaves alone, how it fails."""

import multiprocessing
import os
import signal
import struct
import time
from typing import Any

import billiard
import pytest
from django.db import connection

from catalog.models import Holding, SourceRecord
from harvest import reader, services
from harvest.models import HarvestRun, Source
from harvest.protocols import HarvestError
from harvest.protocols.oai_pmh import OaiPmhProtocol
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import file_source, fill, marcxml
from tests.processes import children_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs_in_process(settings: Any) -> None:
    """Committing tests: indexing runs here after each commit, not queued on the real broker."""
    settings.CELERY_BROKER_URL = None


def count_calls(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> Any:
    """Count calls of module.name in this process and in forked children (a shared counter)."""
    calls = multiprocessing.get_context("fork").Value("i", 0)
    original = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        with calls.get_lock():
            calls.value += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


@pytest.mark.sqlite  # the embedded default reads pages in a child process too
@pytest.mark.django_db(transaction=True)  # the reader's own connection sees committed pages only
def test_the_reader_process_describes_changed_records_and_the_writer_none(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch, jobs_in_process: None
) -> None:
    from harvest import ingest

    in_reader = count_calls(monkeypatch, reader, "describe")
    in_writer = count_calls(monkeypatch, ingest, "describe")
    preparer = multiprocessing.get_context("fork").Value("i", 0)
    original = reader.prepare_page

    def prepare_page(*args: Any) -> Any:
        preparer.value = os.getpid()
        return original(*args)

    monkeypatch.setattr(reader, "prepare_page", prepare_page)
    fill(oai_server, 7)
    first = harvest_source(oai_source.pk)
    assert (first.status, first.added, in_reader.value, in_writer.value) == ("complete", 7, 7, 0)
    assert preparer.value not in (0, os.getpid())  # prepared in another process
    assert Holding.objects.filter(record__source=oai_source).count() == 7

    oai_server.repository.put("oai:test:3", marcxml("3", "Titel 3, ny upplaga"))
    again = harvest_source(oai_source.pk, full=True)
    # Only the changed record is parsed again; the six unchanged ones cost a checksum each.
    assert (again.updated, again.unchanged, in_reader.value, in_writer.value) == (1, 6, 8, 0)
    assert (
        SourceRecord.objects.get(source=oai_source, local_id="oai:test:3")
        .data["title"]
        .endswith("ny upplaga")
    )


@pytest.mark.django_db(transaction=True)
def test_only_a_driver_that_uses_them_has_the_known_records_read(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Reading them fails here, in the forked page reader: the run fails only if they are read."""

    def unreadable(source_id: int) -> None:
        raise HarvestError("the known records were read")

    fill(oai_server, 3)
    path = tmp_path / "sods.xml"
    path.write_bytes(marcxml("1", "Titel 1"))
    marc_source = file_source(path)
    assert harvest_source(oai_source.pk).status == harvest_source(marc_source.pk).status == "complete"
    monkeypatch.setattr(reader, "known_records", unreadable)

    assert harvest_source(oai_source.pk, full=True).status == "complete"
    failed = harvest_source(marc_source.pk)
    assert (failed.status, failed.errors[-1]["message"]) == ("failed", "the known records were read")


def test_in_process_reading_stores_the_same(
    oai_server: LocalOaiServer, oai_source: Source, settings: Any
) -> None:
    fill(oai_server, 5)
    settings.HARVEST_READER_PROCESS = False
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added) == ("complete", 5)
    stored = SourceRecord.objects.filter(source=oai_source).order_by("local_id")
    assert [record.data["title"] for record in stored] == [f"Titel {n}" for n in range(1, 6)]


def test_an_error_in_the_reader_fails_the_run_with_its_message(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unpicklable(Exception):
        def __init__(self, message: str, handle: object) -> None:
            super().__init__(message)
            self.handle = handle

        def __reduce__(self) -> Any:
            raise TypeError("cannot pickle")

    def broken(self: OaiPmhProtocol, run: HarvestRun) -> Any:
        raise Unpicklable("the provider spoke Klingon", object())
        yield

    monkeypatch.setattr(OaiPmhProtocol, "pages", broken)
    run = harvest_source(oai_source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "Unpicklable: the provider spoke Klingon" in run.errors[-1]["message"]
    assert Source.objects.get(pk=oai_source.pk).state == Source.State.FAILING


@pytest.mark.sqlite
def test_a_reader_that_dies_fails_the_run_and_the_next_run_resumes(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(oai_server, 8)  # pages of 3
    original = reader.prepare_page
    pages = {"n": 0}

    def die_on_second_page(*args: Any) -> Any:
        pages["n"] += 1  # counted in the child
        if pages["n"] == 2:
            os._exit(3)  # killed: no message, no clean-up
        return original(*args)

    monkeypatch.setattr(reader, "prepare_page", die_on_second_page)
    died = harvest_source(oai_source.pk)
    # The first page is stored unless it was still waiting in the reader's sender when it died.
    assert died.status == HarvestRun.Status.FAILED and died.added in (0, 3)
    assert "page reader ended unexpectedly (exit code 3)" in died.errors[-1]["message"]
    with connection.cursor() as cursor:  # our own session was not touched by the child
        cursor.execute("SELECT 1")
    monkeypatch.setattr(reader, "prepare_page", original)
    resumed = harvest_source(oai_source.pk)
    assert (resumed.status, resumed.added, resumed.unchanged) == (HarvestRun.Status.COMPLETE, 8, 0)
    assert SourceRecord.objects.filter(source=oai_source).count() == 8


def test_a_reader_that_dies_in_the_middle_of_a_page_fails_the_run(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from multiprocessing.connection import Connection

    fill(oai_server, 8)
    original = Connection.send_bytes
    sent = {"n": 0}

    def half_a_page_then_die(self: Connection, data: bytes) -> None:
        sent["n"] += 1  # only the reader sends
        if sent["n"] == 2:
            self._send(struct.pack("!i", len(data)) + data[: len(data) // 2])  # type: ignore[attr-defined]
            os._exit(5)
        original(self, data)

    monkeypatch.setattr(Connection, "send_bytes", half_a_page_then_die)
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.FAILED, 3)
    assert "page reader ended unexpectedly (exit code 5)" in run.errors[-1]["message"]


def test_a_run_that_fails_while_storing_leaves_no_reader_behind(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvest.ingest import RecordWriter

    fill(oai_server, 30)  # ten pages: the reader is still busy when the writer fails
    monkeypatch.setattr(RecordWriter, "write", lambda self, items, unchanged=(): 1 / 0)
    run = harvest_source(oai_source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "ZeroDivisionError" in run.errors[-1]["message"]
    assert children_of(os.getpid()) == []  # stopped and reaped, no zombie either


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="a PostgreSQL setting"
)
@pytest.mark.django_db(transaction=True)
def test_pages_commit_without_waiting_for_the_disk(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch, jobs_in_process: None
) -> None:
    from harvest.ingest import RecordWriter

    seen: list[str] = []
    original = RecordWriter.write

    def write(self: RecordWriter, items: list[Any], unchanged: Any = ()) -> Any:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", write)
    fill(oai_server, 4)
    harvest_source(oai_source.pk)
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        after = cursor.fetchone()[0]
    assert (seen, after) == (["off", "off"], "on")  # only inside each page's transaction


def test_a_growing_run_refreshes_table_statistics_as_it_doubles(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_calls(monkeypatch, services, "refresh_statistics")
    monkeypatch.setattr(services, "FIRST_ANALYSIS", 2)
    # What the statistics counted: the records there were at the last analysis.
    monkeypatch.setattr(
        services, "analyzed_records", lambda: SourceRecord.objects.count() if calls.value else 0
    )
    # And what they count now (this test's rows are not committed, so the server's are not).
    monkeypatch.setattr(services, "live_records", SourceRecord.objects.count)
    fill(oai_server, 20)  # pages of 3: written 3, 6, 9, ... 18, 20
    harvest_source(oai_source.pk)
    assert calls.value == 3  # at 3 (>= 2), 6 (>= 6), 12 (>= 12); the next would be at 24
    harvest_source(oai_source.pk, full=True)  # nothing written: no analysis
    assert calls.value == 3


def test_a_run_in_a_big_table_refreshes_statistics_once_it_has_written_its_share(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source loaded into a table far bigger than itself: the table does not double, but the
    statistics must learn of the source before its page lookups scan all it has."""
    calls = count_calls(monkeypatch, services, "refresh_statistics")
    monkeypatch.setattr(services, "RUN_ANALYSIS", 7)
    monkeypatch.setattr(services, "analyzed_records", lambda: 1_000_000)
    monkeypatch.setattr(services, "live_records", lambda: 1_000_000 + SourceRecord.objects.count())
    fill(oai_server, 20)  # pages of 3: written 3, 6, 9, ... 18, 20
    harvest_source(oai_source.pk)
    assert calls.value == 1  # at 9 (>= 7), and not again
    monkeypatch.setattr(services, "RUN_ANALYSIS", 30)
    fill(oai_server, 25)
    harvest_source(oai_source.pk, full=True)  # 5 new records: less than a run's share
    assert calls.value == 1


def _harvest_in_pool_worker(source_id: int) -> None:
    harvest_source(source_id)


@pytest.mark.django_db(transaction=True)
def test_the_reader_starts_inside_a_celery_prefork_worker(
    oai_server: LocalOaiServer, oai_source: Source, jobs_in_process: None
) -> None:
    """Celery's prefork pool runs tasks in daemonic billiard processes; the reader still forks."""
    fill(oai_server, 4)
    connection.close()  # the worker must not share our database socket
    worker = billiard.Process(target=_harvest_in_pool_worker, args=(oai_source.pk,), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == 0
    run = HarvestRun.objects.get(source=oai_source)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 4)


def _running(pid: int) -> bool:
    try:
        stat = open(f"/proc/{pid}/stat").read()  # noqa: SIM115
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _slow_harvest(source_id: int) -> None:
    from harvest.ingest import RecordWriter

    original = RecordWriter.write

    def slow_write(self: RecordWriter, items: list[Any], unchanged: Any = ()) -> Any:
        time.sleep(0.5)
        return original(self, items, unchanged)

    RecordWriter.write = slow_write  # type: ignore[method-assign]
    harvest_source(source_id)


@pytest.mark.django_db(transaction=True)
def test_a_reader_whose_writer_is_killed_ends_too(
    oai_server: LocalOaiServer, oai_source: Source, jobs_in_process: None
) -> None:
    fill(oai_server, 60)  # 20 pages of 3: the reader is soon two pages ahead, waiting
    connection.close()
    writer = billiard.Process(target=_slow_harvest, args=(oai_source.pk,))
    writer.start()
    deadline = time.monotonic() + 20
    while not (readers := children_of(writer.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert readers, "no reader process started"
    time.sleep(1)
    os.kill(writer.pid, signal.SIGKILL)  # no clean-up of its own: the reader must notice
    writer.join(timeout=10)
    while any(map(_running, readers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [pid for pid in readers if _running(pid)]
    for pid in left:  # so that a failure here does not leave it behind, holding the test database
        os.kill(pid, signal.SIGKILL)
    assert not left


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL's statistics"
)
@pytest.mark.django_db(transaction=True)
def test_the_records_are_counted_from_the_servers_statistics(
    oai_server: LocalOaiServer, oai_source: Source, jobs_in_process: None
) -> None:
    from catalog.bulk_work import live_records

    fill(oai_server, 7)
    harvest_source(oai_source.pk)
    deadline = time.monotonic() + 5  # a backend reports its counts within a second of its commit
    while live_records() != 7 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live_records() == SourceRecord.objects.count() == 7


def test_a_reader_sends_in_order_and_holds_up_to_its_budget_of_pages_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The reader's sender keeps up to READ_AHEAD_BYTES of pickled pages the writer has not taken
    (always one, however big); it then waits, and says so once the writer is gone."""
    import threading
    from multiprocessing import Pipe

    monkeypatch.setattr(reader, "READ_AHEAD_BYTES", 550_000)
    writer_end, child_end = Pipe(duplex=False)
    sender = reader._Sender(child_end)
    queued: list[int] = []

    def prepare() -> None:
        for number in range(8):
            sender.send(("page", bytes([number]) * 100_000))  # more than the pipe holds
            queued.append(number)

    preparing = threading.Thread(target=prepare)
    preparing.start()
    time.sleep(0.5)
    assert queued == [0, 1, 2, 3, 4]  # five of 100 KB held, a sixth would pass the budget
    received = [writer_end.recv() for _ in range(8)]
    preparing.join(5)
    assert [payload[:1] for _kind, payload in received] == [bytes([n]) for n in range(8)]
    assert queued == list(range(8))
    monkeypatch.setattr(reader, "READ_AHEAD_BYTES", 10)
    sender.send(("page", b"y" * 100_000))  # nothing waits: one page goes, however big
    assert writer_end.recv() == ("page", b"y" * 100_000)
    sender.close()

    writer_end, child_end = Pipe(duplex=False)
    sender = reader._Sender(child_end)
    writer_end.close()  # the writer is gone
    sender.send(("page", b"x"))  # the sending thread finds the pipe broken
    sender.thread.join(5)
    with pytest.raises(BrokenPipeError):
        sender.send(("page", b"x"))
    sender.close()
