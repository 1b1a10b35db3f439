"""Several page readers (harvest.reader, HARVEST_PAGE_READERS): in a first load a local file's
pages are prepared in turn by forked readers that each list them all, and stored in the file's
order; anything read over the network, and any later run, has one reader."""

import os
from pathlib import Path
from typing import Any

import pytest

from catalog.models import SourceRecord
from harvest import reader
from harvest.models import HarvestRun, Source
from harvest.protocols import marc_file
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill
from tests.harvest.test_nightly import sods_file
from tests.processes import children_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _embedded(settings: Any) -> None:
    settings.CELERY_BROKER_URL = None
    settings.HARVEST_PAGE_READERS = 2


@pytest.fixture
def preparers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A log of who prepared which page: "<pid> <first record's id>" a line (children append)."""
    log = tmp_path / "prepared.log"
    log.touch()
    original = reader.prepare_page

    def logged(page: Any, *args: Any) -> Any:
        with log.open("a") as out:
            out.write(f"{os.getpid()} {page.items[0].local_id}\n")
        return original(page, *args)

    monkeypatch.setattr(reader, "prepare_page", logged)
    return log


def prepared_by(log: Path) -> dict[int, list[str]]:
    pages: dict[int, list[str]] = {}
    for line in log.read_text().splitlines():
        pid, first = line.split()
        pages.setdefault(int(pid), []).append(first)
    return pages


@pytest.fixture
def county_file(tmp_path: Path, small_pages: None) -> tuple[Path, Source]:
    """23 records in pages of 5: five pages, the last one short; and their source."""
    return sods_file(tmp_path, list(range(23)))


def test_two_readers_take_pages_in_turn_and_the_writer_stores_them_in_order(
    county_file: tuple[Path, Source], preparers: Path
) -> None:
    path, source = county_file
    run = harvest_source(source.pk)
    assert (run.status, run.added, run.failed) == (HarvestRun.Status.COMPLETE, 23, 0)
    assert run.position == path.stat().st_size
    pages = prepared_by(preparers)
    assert os.getpid() not in pages
    # Each page was prepared once, every other one by the same reader.
    assert sorted(pages.values()) == [["rec0", "rec10", "rec20"], ["rec5", "rec15"]]
    stored = SourceRecord.objects.filter(source=source).order_by("id").values_list("local_id", flat=True)
    assert list(stored) == [f"rec{n}" for n in range(23)]  # page by page in the file's order
    assert children_of(os.getpid()) == []

    # The next run finds the records unchanged: one reader lists them (a second would list all again).
    preparers.write_text("")
    again = harvest_source(source.pk)
    assert (again.status, again.unchanged) == (HarvestRun.Status.COMPLETE, 23)
    assert [len(firsts) for firsts in prepared_by(preparers).values()] == [5]


@pytest.mark.parametrize("pages", [4, 5])
def test_the_run_ends_whichever_reader_has_the_last_page(
    tmp_path: Path, small_pages: None, preparers: Path, pages: int
) -> None:
    _path, source = sods_file(tmp_path, list(range(5 * pages)))
    run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 5 * pages)
    assert sum(len(firsts) for firsts in prepared_by(preparers).values()) == pages


def test_a_second_reader_that_dies_fails_the_run_and_the_next_run_stores_everything(
    county_file: tuple[Path, Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = reader.prepare_page

    def second_reader_dies(page: Any, *args: Any) -> Any:
        if page.items[0].local_id == "rec15":  # the second reader's second page
            os._exit(3)
        return original(page, *args)

    monkeypatch.setattr(reader, "prepare_page", second_reader_dies)
    _path, source = county_file
    died = harvest_source(source.pk)
    assert died.status == HarvestRun.Status.FAILED
    assert "page reader ended unexpectedly (exit code 3)" in died.errors[-1]["message"]
    assert died.added <= 15  # nothing after the lost page was stored before it
    assert children_of(os.getpid()) == []
    monkeypatch.setattr(reader, "prepare_page", original)
    resumed = harvest_source(source.pk)
    assert resumed.status == HarvestRun.Status.COMPLETE
    stored = SourceRecord.objects.filter(source=source, deleted=False)
    assert sorted(stored.values_list("local_id", flat=True)) == sorted(f"rec{n}" for n in range(23))


def test_a_source_read_over_the_network_has_one_reader(
    oai_server: LocalOaiServer, oai_source: Source, preparers: Path, settings: Any
) -> None:
    settings.HARVEST_PAGE_READERS = 3
    fill(oai_server, 8)  # pages of 3
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 8)
    pages = prepared_by(preparers)
    assert len(pages) == 1 and len(next(iter(pages.values()))) == 3
    assert not marc_file.MarcFileProtocol(
        Source(protocol="marc-file", url="https://x.example/a.mrc")
    ).lists_cheaply()
