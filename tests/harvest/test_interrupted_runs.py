"""A harvest whose process dies is shown as interrupted and resumed at the next beat tick; a
failed one is retried with backoff, not a whole schedule period later."""

import multiprocessing
import os
import signal
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from catalog.models import Library, SourceRecord
from harvest.locking import source_lock_held
from harvest.models import HarvestRun, Source
from harvest.schedule import due_sources, is_interrupted, next_run_at
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer, Repository
from tests.conftest import needs_postgres
from tests.harvest.conftest import fill
from tests.world.places import staff

RECORDS = 30


def _harvest(source_id: int) -> None:
    """The forked worker: one run, as the Celery task would start it."""
    harvest_source(source_id)


def wait_for(condition: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def stored_some_pages(source: Source) -> bool:
    run = HarvestRun.objects.filter(source=source).first()
    return run is not None and run.added >= 6 and bool(run.resumption_token)


@needs_postgres
def test_a_killed_harvest_is_shown_interrupted_and_resumed_from_its_token(
    transactional_db: None, fast_http: None, libraries: dict[str, Library]
) -> None:
    with LocalOaiServer(Repository(page_size=3)) as server:
        fill(server, RECORDS)
        for number in range(4, 40):  # a slow provider: the run is killed between pages
            server.fail(number, delay=0.3)
        source = Source.objects.create(protocol="oai-pmh", url=server.url)
        connections.close_all()  # the child must not share this process's connection
        worker = multiprocessing.get_context("fork").Process(target=_harvest, args=(source.pk,))
        worker.start()
        try:
            wait_for(lambda: stored_some_pages(source))
        finally:
            os.kill(worker.pid, signal.SIGKILL)  # type: ignore[arg-type]
            worker.join()
        wait_for(lambda: not source_lock_held(source.pk))  # the server ends the dead session
        killed = HarvestRun.objects.get(source=source)
        assert killed.status == HarvestRun.Status.RUNNING and is_interrupted(killed)

        regional = Client()
        regional.force_login(staff("regional", regional=True))
        listing = regional.get("/staff/sources/").content.decode()
        detail = regional.get(f"/staff/sources/{source.pk}/").content.decode()
        assert "avbruten" in listing and "avbruten" in detail
        assert "pågår" not in detail

        assert source.pk in due_sources(timezone.now())  # its schedule is a day; due at once
        server.faults.clear()
        asked = len(server.requests)
        resumed = harvest_source(source.pk)
    assert (resumed.pk, resumed.status, resumed.attempts) == (killed.pk, HarvestRun.Status.COMPLETE, 2)
    first_asked = next(p for p in server.requests[asked:] if p.get("verb") == "ListRecords")
    assert first_asked == {"verb": "ListRecords", "resumptionToken": killed.resumption_token}
    assert SourceRecord.objects.filter(source=source).count() == RECORDS
    assert resumed.added == RECORDS
    assert source.pk not in due_sources(timezone.now())


@pytest.mark.django_db
@pytest.mark.sqlite
def test_a_failed_run_is_retried_with_backoff_up_to_the_schedule() -> None:
    source = Source.objects.create(protocol="marc-file", url="/nonexistent", schedule_minutes=60)
    run = HarvestRun.objects.create(source=source, status=HarvestRun.Status.FAILED)
    started = run.started_at
    waits = []
    for attempts in (1, 2, 3, 4):
        run.attempts, run.finished_at = attempts, started + timedelta(minutes=1)
        waits.append(next_run_at(source, run) - run.finished_at)  # type: ignore[operator]
    assert waits == [timedelta(minutes=m) for m in (5, 15, 45, 59)]  # never after the schedule
    run.attempts = 1
    run.save()
    HarvestRun.objects.filter(pk=run.pk).update(
        started_at=timezone.now() - timedelta(minutes=7), finished_at=timezone.now() - timedelta(minutes=6)
    )
    assert source.pk in due_sources(timezone.now())


@pytest.mark.django_db
@pytest.mark.sqlite
def test_each_resumption_of_a_failed_run_counts_an_attempt() -> None:
    """Each resumption of the failed run counts an attempt."""
    source = Source.objects.create(protocol="marc-file", url="/nonexistent")
    runs = [harvest_source(source.pk) for _ in range(3)]
    assert {run.pk for run in runs} == {runs[0].pk}
    assert HarvestRun.objects.get(pk=runs[0].pk).attempts == 3


@needs_postgres
def test_a_lock_on_the_same_source_number_in_another_database_is_not_this_ones(db: None) -> None:
    """Advisory locks are per database: another Samsök on the server (staging beside production,
    a benchmark) harvesting its source 7 does not make this one's source 7 look running."""
    import psycopg

    from harvest.locking import LOCK_NAMESPACE, source_lock

    settings = connections["default"].settings_dict
    other = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres"
    )
    with other:
        other.execute("SELECT pg_advisory_lock(%s, 7)", [LOCK_NAMESPACE])
        assert not source_lock_held(7)
        with source_lock(7):
            assert source_lock_held(7)
    assert not source_lock_held(7)
