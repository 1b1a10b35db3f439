"""``harvest --all`` reads the next source's pages while it stores this one's (harvest.services.
_start_ahead): in a nightly two sources' files are listed at once, on both cores. Real files,
forked page readers over their own connections, real locks; committed, as the readers need."""

import itertools
import multiprocessing
import os
import time
from pathlib import Path
from typing import Any

import pytest

from catalog.models import Library, SourceRecord
from harvest import reader, services
from harvest.locking import source_lock_held
from harvest.models import HarvestRun, Source
from harvest.services import harvest_sources
from tests.harvest.conftest import file_source
from tests.harvest.test_nightly import bib
from tests.processes import children_of

pytestmark = [pytest.mark.sqlite, pytest.mark.django_db(transaction=True)]
CODES = ["Sods", "Bolt", "Hud"]


@pytest.fixture(autouse=True)
def _embedded(settings: Any) -> None:
    settings.CELERY_BROKER_URL = None  # index jobs are rows, run in process


def write_library(path: Path, code: str, numbers: list[int], notes: dict[int, str] | None = None) -> None:
    """The library's file: these books (shared by the libraries: their titles merge), held here."""
    records = []
    for number in numbers:
        record = bib(number, (notes or {}).get(number, ""))
        record["852"]["b"] = code
        records.append(record.as_marc())
    path.write_bytes(b"".join(records))


@pytest.fixture
def county(tmp_path: Path, small_pages: None) -> list[Source]:
    """Three libraries' files of 40 books each (pages of 5), harvested once."""
    sources = []
    for code in CODES:
        library = Library.objects.create(code=code, name=f"Bibliotek {code}")
        write_library(tmp_path / f"{code}.mrc", code, list(range(1, 41)))
        sources.append(file_source(tmp_path / f"{code}.mrc", library))
    first = harvest_sources([source.pk for source in sources])
    runs = [first[source.pk] for source in sources]
    assert all(isinstance(run, HarvestRun) and run.status == HarvestRun.Status.COMPLETE for run in runs)
    # A first load is not read ahead: its own two readers use both cores already.
    assert all(later.started_at >= earlier.finished_at for earlier, later in itertools.pairwise(runs))  # type: ignore[union-attr,operator]
    return sources


def prepared_by_source(monkeypatch: pytest.MonkeyPatch, sources: list[Source]) -> Any:
    """Pages prepared by the page readers (forked children), counted per source."""
    counts = multiprocessing.get_context("fork").Array("i", len(sources))
    position = {source.pk: index for index, source in enumerate(sources)}
    original = reader.prepare_page

    def prepare_page(page: Any, protocol: Any, stored: bool = True) -> Any:
        with counts.get_lock():
            counts[position[protocol.source.pk]] += 1
        return original(page, protocol, stored)

    monkeypatch.setattr(reader, "prepare_page", prepare_page)
    return counts


def test_the_nightly_reads_the_next_source_while_it_stores_this_one(
    county: list[Source], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sods, bolt, hud = county
    write_library(tmp_path / "Sods.mrc", "Sods", list(range(1, 41)), {1: "Ny anmärkning"})
    write_library(tmp_path / "Bolt.mrc", "Bolt", [n for n in range(1, 42) if n != 2])
    write_library(tmp_path / "Hud.mrc", "Hud", list(range(1, 41)), {3: "Signum ändrat"})
    prepared = prepared_by_source(monkeypatch, county)
    seen_ahead: list[tuple[str, bool, bool]] = []
    original = services.Harvester._store_page

    def store_page(self: services.Harvester, page: Any) -> None:
        index = county.index(self.source)
        if self.run_row.added + self.run_row.updated + self.run_row.unchanged == 0 and index < 2:
            following = county[index + 1]
            waited = time.monotonic() + 30
            while prepared[index + 1] == 0 and time.monotonic() < waited:
                time.sleep(0.01)  # the next source's reader works while this page waits
            locked = source_lock_held(following.pk)
            seen_ahead.append((self.source.library.code, prepared[index + 1] > 0, locked))
        original(self, page)

    monkeypatch.setattr(services.Harvester, "_store_page", store_page)
    outcomes = harvest_sources([source.pk for source in county])

    # Bolt's and Hud's pages were read, under their locks, while Sods's and Bolt's were stored.
    assert seen_ahead == [("Sods", True, True), ("Bolt", True, True)]
    runs = [outcomes[source.pk] for source in county]
    assert all(isinstance(run, HarvestRun) and run.status == HarvestRun.Status.COMPLETE for run in runs)
    assert runs[1].started_at < runs[0].finished_at and runs[2].started_at < runs[1].finished_at  # type: ignore[union-attr,operator]
    counts = [(run.added, run.updated, run.deleted, run.unchanged) for run in runs]  # type: ignore[union-attr]
    assert counts == [(0, 1, 0, 39), (1, 0, 1, 39), (0, 1, 0, 39)]
    live = SourceRecord.objects.filter(deleted=False)
    assert "Ny anmärkning" in str(live.get(source=sods, local_id="rec1").data)
    assert "Signum ändrat" in str(live.get(source=hud, local_id="rec3").data)
    assert not live.filter(source=bolt, local_id="rec2").exists()
    assert live.filter(source=bolt, local_id="rec41").exists()
    assert not live.filter(kind="bib", cluster__isnull=True).exists()  # all of it clustered
    assert children_of(os.getpid()) == []
    assert [source.pk for source in county if source_lock_held(source.pk)] == []


def test_an_interrupted_nightly_ends_the_reader_started_ahead_and_its_run_resumes(
    county: list[Source], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sods, bolt, _hud = county
    write_library(tmp_path / "Bolt.mrc", "Bolt", list(range(1, 41)), {5: "Ny anmärkning"})
    original = services.Harvester._store_page

    def interrupted(self: services.Harvester, page: Any) -> None:
        if self.source == sods:
            raise KeyboardInterrupt  # Ctrl-C while Sods's first page is stored
        original(self, page)

    with monkeypatch.context() as patched:
        patched.setattr(services.Harvester, "_store_page", interrupted)
        with pytest.raises(KeyboardInterrupt):
            harvest_sources([source.pk for source in county])
    assert children_of(os.getpid()) == []  # Bolt's reader, started ahead, was ended and reaped
    assert not source_lock_held(bolt.pk)
    assert bolt.runs.latest("started_at").status == HarvestRun.Status.RUNNING  # started, nothing stored

    outcomes = harvest_sources([source.pk for source in county])
    run = outcomes[bolt.pk]
    assert isinstance(run, HarvestRun) and (run.status, run.attempts, run.updated) == ("complete", 2, 1)
    assert "Ny anmärkning" in str(SourceRecord.objects.get(source=bolt, local_id="rec5").data)


def test_without_reader_processes_no_run_starts_ahead(county: list[Source], settings: Any) -> None:
    """Pages read by the writer itself (``HARVEST_READER_PROCESS`` off): nothing to start ahead,
    and no run is started twice."""
    settings.HARVEST_READER_PROCESS = False
    outcomes = harvest_sources([source.pk for source in county])
    runs = [outcomes[source.pk] for source in county]
    assert [(run.status, run.attempts) for run in runs] == [("complete", 1)] * 3  # type: ignore[union-attr]
    assert all(later.started_at >= earlier.finished_at for earlier, later in itertools.pairwise(runs))  # type: ignore[union-attr,operator]
