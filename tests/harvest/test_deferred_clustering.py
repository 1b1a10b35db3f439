"""A large run clusters what it stored once, at its end; ``harvest --all`` once after all sources.

On the generator's sample county (real MARC files, ISO 2709 and MARCXML) and real PostgreSQL:
the titles come out exactly as clustering page by page makes them, each record is decided once,
a run that fails or is killed halfway leaves nothing stored unclustered (at its end, or after
the next run), and a small run is still clustered page by page.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import catalog.clustering
from catalog.clustering.bulk import forget_pending
from catalog.clustering.pending import mark_pending, pending_records
from catalog.models import Cluster, PendingRecord, SourceRecord
from harvest import services
from harvest.ingest import RecordWriter
from harvest.models import HarvestRun, Source
from harvest.protocols import marc_file
from harvest.services import harvest_source, harvest_sources
from sample import demo
from sample.county import generate_county
from tests.harvest.conftest import fill
from tests.harvest.test_reader import count_calls

pytestmark = pytest.mark.django_db

Titles = set[frozenset[tuple[str, str, str]]]


@pytest.fixture
def county(tmp_path: Path) -> list[Source]:
    """The sample county (10 libraries, 400 records, many titles held by several), registered as
    ``demo_county`` does; pages of 10 records, so that every source has several."""
    generate_county(tmp_path, 400, seed=5)
    return [demo.register_library(entry, tmp_path, False) for entry in demo.load_libraries(tmp_path)]


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(marc_file, "PAGE_SIZE", 10)


def titles() -> Titles:
    """Every title as the set of its members: (library, local id, merge reason)."""
    members: dict[int, set[tuple[str, str, str]]] = {}
    rows = SourceRecord.objects.filter(cluster__isnull=False).values_list(
        "cluster_id", "source__library__code", "local_id", "merge_reason"
    )
    for cluster_id, code, local_id, reason in rows:
        members.setdefault(cluster_id, set()).add((code, local_id, reason))
    return {frozenset(m) for m in members.values()}


def unclustered() -> list[str]:
    """Live bibliographic records with a description that belong to no title."""
    rows = SourceRecord.objects.filter(kind="bib", deleted=False, cluster__isnull=True).exclude(data={})
    return list(rows.values_list("local_id", flat=True))


def clustered_ids(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The record ids of each clustering run, as they are asked for."""
    runs: list[list[int]] = []
    original = catalog.clustering.assign

    def assign(record_ids: Any, *rest: Any) -> set[int]:
        runs.append(sorted(record_ids))
        return original(record_ids, *rest)

    monkeypatch.setattr(catalog.clustering, "assign", assign)
    return runs


def fail_at_page(monkeypatch: pytest.MonkeyPatch, page: int, error: BaseException) -> None:
    """The writer raises ``error`` instead of storing the page-th page of the run."""
    seen = [0]
    original = RecordWriter.write

    def write(self: RecordWriter, items: list[Any], unchanged: Any = ()) -> Any:
        seen[0] += 1
        if seen[0] == page:
            raise error
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", write)


@pytest.mark.sqlite
def test_the_pending_records_of_sources_are_theirs_alone_deleted_ones_included() -> None:
    ours, other, third = (Source.objects.create(protocol="marc-file", url=f"{n}.mrc") for n in "abc")
    rows = {
        (source.pk, number): SourceRecord.objects.create(
            source=source, local_id=f"r{number}", deleted=number == 3
        ).pk
        for source in (ours, other, third)
        for number in (1, 2, 3)
    }
    mark_pending([rows[ours.pk, 1], rows[ours.pk, 3], rows[other.pk, 2], rows[third.pk, 1]])
    mark_pending([rows[ours.pk, 1]])  # marked already: no error, and still one mark

    assert pending_records([ours.pk]) == [rows[ours.pk, 1], rows[ours.pk, 3]]
    assert pending_records([ours.pk, third.pk]) == sorted(
        [rows[ours.pk, 1], rows[ours.pk, 3], rows[third.pk, 1]]
    )
    assert pending_records([]) == []
    forget_pending(pending_records([ours.pk]))
    assert pending_records([ours.pk, other.pk, third.pk]) == sorted([rows[other.pk, 2], rows[third.pk, 1]])


def test_harvest_all_clusters_each_record_once_and_as_page_by_page_does(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PAGE_CLUSTERING_UP_TO", 10**9)  # as before: every page at once
    for source in county:
        assert harvest_source(source.pk).status == HarvestRun.Status.COMPLETE
    page_by_page = titles()
    assert unclustered() == []
    folder = Path(county[0].url).parent
    for source in county:  # the same county again, from the start
        source.delete()
    Cluster.objects.all().delete()
    for entry in demo.load_libraries(folder):
        demo.register_library(entry, folder, False)

    runs = clustered_ids(monkeypatch)
    call_command("harvest", "--all", stdout=io.StringIO())
    stored = sorted(SourceRecord.objects.values_list("id", flat=True))
    assert len(runs) == 1 and runs[0] == stored  # one clustering run, each record in it once
    assert titles() == page_by_page
    assert len(page_by_page) < len(stored)  # titles were merged across libraries
    assert unclustered() == [] and not PendingRecord.objects.exists()


def test_a_large_run_stores_page_by_page_and_clusters_once_at_its_end(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PAGE_CLUSTERING_UP_TO", 15)  # the first page, then deferred
    runs = clustered_ids(monkeypatch)
    source = max(county, key=lambda s: Path(s.url).stat().st_size)
    run = harvest_source(source.pk)
    stored = sorted(SourceRecord.objects.filter(source=source).values_list("id", flat=True))
    assert run.status == HarvestRun.Status.COMPLETE and len(stored) > 30
    assert len(runs) == 2  # the first page, then the rest together
    assert sorted(runs[0] + runs[1]) == stored
    assert unclustered() == [] and not PendingRecord.objects.exists()


def test_a_run_failing_halfway_clusters_what_it_stored(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PAGE_CLUSTERING_UP_TO", 0)
    fail_at_page(monkeypatch, 3, OSError("disk gone"))
    source = max(county, key=lambda s: Path(s.url).stat().st_size)
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert SourceRecord.objects.filter(source=source).count() == 20  # two pages stored
    assert unclustered() == [] and not PendingRecord.objects.exists()


def test_an_interrupted_harvest_all_still_clusters_what_it_stored(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = max(county, key=lambda s: Path(s.url).stat().st_size)
    fail_at_page(monkeypatch, 3, KeyboardInterrupt())  # Ctrl-C during the third page
    with pytest.raises(KeyboardInterrupt):
        harvest_sources([source.pk, county[0].pk])
    assert SourceRecord.objects.count() == 20
    assert unclustered() == [] and not PendingRecord.objects.exists()


def test_records_of_a_killed_run_are_clustered_by_the_next_run(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing clusters after a kill (here an interrupt nothing catches): the marks stay, and
    the next run of the source, resuming, clusters them with its own records."""
    source = max(county, key=lambda s: Path(s.url).stat().st_size)
    with monkeypatch.context() as patched:
        fail_at_page(patched, 3, KeyboardInterrupt())
        with pytest.raises(KeyboardInterrupt):
            harvest_source(source.pk, defer_clustering=True)
    assert len(unclustered()) == 20 == PendingRecord.objects.count()
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.COMPLETE and run.attempts == 2  # resumed
    assert unclustered() == [] and not PendingRecord.objects.exists()


def test_a_small_run_is_clustered_page_by_page(
    oai_server: Any, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incremental OAI-PMH run (pages of 3): each page is searchable before the next is read."""
    seen: list[tuple[int, bool]] = []
    original = RecordWriter.write

    def write(self: RecordWriter, items: list[Any], unchanged: Any = ()) -> Any:
        seen.append((len(unclustered()), PendingRecord.objects.exists()))
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", write)
    fill(oai_server, 7)
    harvest_source(oai_source.pk)
    assert seen == [(0, False)] * 3
    assert unclustered() == []


def test_a_first_load_of_many_sources_analyzes_a_few_times(
    county: list[Source], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The statistics are refreshed as the table doubles, not per source."""
    calls = count_calls(monkeypatch, services, "refresh_statistics")
    analyzed = [0]
    original: Callable[[], None] = services.refresh_statistics

    def analyze() -> None:
        original()
        analyzed[0] = SourceRecord.objects.count()

    monkeypatch.setattr(services, "refresh_statistics", analyze)
    monkeypatch.setattr(services, "analyzed_records", lambda: analyzed[0])
    # What the statistics count now: this test's rows are not committed, so the server's are not.
    monkeypatch.setattr(services, "live_records", SourceRecord.objects.count)
    monkeypatch.setattr(services, "FIRST_ANALYSIS", 25)
    harvest_sources([source.pk for source in county])
    # 400 records in 10 sources; from 25 on, each time the table has doubled: at about 25,
    # 50, 100, 200 and 400 records (a page may pass a mark by up to 10).
    assert 4 <= calls.value <= 5
