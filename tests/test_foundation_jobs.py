"""portal.jobs: background work waits for the commit, on a real worker, as a job, or in-process."""

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest
from catalog.tasks import index_clusters
from harvest.models import HarvestRun
from ill.models import OutboxMessage, Request
from portal import jobs
from portal.jobs import enqueue
from portal.models import Job
from tests.harvest.conftest import file_source
from tests.ill.test_patron import form_data
from tests.world.ill import make_county as build_ill_county
from tests.world.search import build_county


def pippi_hits() -> int:
    return get_backend().search(SearchRequest(q="pippi")).total


@pytest.fixture
def no_broker(settings: Any) -> None:
    settings.CELERY_BROKER_URL = None  # the embedded default


@pytest.fixture
def silent_smtp_server(settings: Any) -> Iterator[int]:
    """An SMTP server that accepts the connection and never says a word (a hung mail relay)."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
        settings.EMAIL_TIMEOUT = 10
        yield server.getsockname()[1]


def test_enqueue_runs_on_a_real_celery_worker_after_commit(celery_worker: object) -> None:
    county = build_county()
    with transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
        assert pippi_hits() == 0  # nothing is sent before the data it needs is committed
    # The worker thread works on its own; wait for its write to show.
    for _ in range(100):
        if pippi_hits():
            break
        time.sleep(0.1)
    assert pippi_hits() == 1


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_enqueue_without_a_broker_records_a_job_that_the_scheduler_runs(no_broker: None) -> None:
    county = build_county()
    with transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
    job = Job.objects.get()
    assert (job.task, job.args, pippi_hits()) == ("catalog.tasks.index_clusters", [[county.pippi.pk]], 0)
    assert jobs.run_pending() == (1, 0)
    assert pippi_hits() == 1 and not Job.objects.exists()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_enqueue_in_this_process_runs_after_commit(no_broker: None) -> None:
    county = build_county()
    with jobs.in_this_process(), transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
        assert pippi_hits() == 0
    assert pippi_hits() == 1 and not Job.objects.exists()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_enqueue_in_a_rolled_back_transaction_does_nothing(no_broker: None) -> None:
    county = build_county()
    for here in (False, True):
        with pytest.raises(RuntimeError), transaction.atomic():
            if here:
                with jobs.in_this_process():
                    enqueue(index_clusters, [county.pippi.pk])
            else:
                enqueue(index_clusters, [county.pippi.pk])
            raise RuntimeError("the request failed")
    assert pippi_hits() == 0 and not Job.objects.exists()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_a_patrons_request_returns_at_once_when_the_mail_server_hangs(
    no_broker: None, silent_smtp_server: int
) -> None:
    county = build_ill_county()
    started = time.monotonic()
    response = Client().post("/fjarrlan/ny/", form_data(county))
    assert response.status_code == 302 and time.monotonic() - started < 3  # EMAIL_TIMEOUT is 10 s
    request = Request.objects.get()
    mail = OutboxMessage.objects.get(request=request)
    assert mail.sent_at is None
    assert Job.objects.get().task == "ill.tasks.send_outbox_message"
    started = time.monotonic()
    assert jobs.run_pending() == (1, 0)  # the task keeps the unsent row for a retry: not a job failure
    mail.refresh_from_db()
    assert mail.sent_at is None and mail.attempts == 1 and "timed out" in mail.last_error
    assert time.monotonic() - started >= 9  # the scheduler, not the patron, waited for the server


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_run_now_only_records_the_harvest_and_the_scheduler_runs_it(
    no_broker: None, tmp_path: Any, settings: Any
) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path  # the source's file is written there (harvest.locations)
    county = build_ill_county()
    marc = tmp_path / "sods.mrc"
    marc.write_bytes(_one_marc_record())
    source = file_source(marc, county.sods)
    client = Client()
    client.force_login(county.sods_librarian)
    response = client.post(f"/staff/sources/{source.pk}/run/")
    assert response.status_code == 302
    assert not HarvestRun.objects.exists()  # nothing ran inside the request
    assert Job.objects.get().task == "harvest.tasks.harvest_source_task"
    out = _run_scheduled_once()
    run = HarvestRun.objects.get(source=source)
    assert run.status == HarvestRun.Status.COMPLETE and run.added == 1
    assert "background jobs: 1 done, 0 failed" in out and not Job.objects.exists()


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_a_claimed_job_is_not_run_twice_and_a_failing_one_is_kept_with_its_error(no_broker: None) -> None:
    claimed = Job.objects.create(task="catalog.tasks.index_clusters", args=[[]])
    assert jobs._claim(claimed.pk) is not None
    assert jobs._claim(claimed.pk) is None  # a second runner finds it taken
    broken = Job.objects.create(task="no.such.task", args=[])
    assert jobs.run_pending() == (0, 1)  # the claimed one waits for its runner
    broken.refresh_from_db()
    assert broken.attempts == 1 and "no task named no.such.task" in broken.last_error
    assert jobs.run_pending() == (0, 0)  # backing off, not retried at once


def _run_scheduled_once() -> str:
    from io import StringIO

    out = StringIO()
    call_command("run_scheduled", stdout=out)
    return out.getvalue()


def _one_marc_record() -> bytes:
    from pymarc import Field, Leader, Record, Subfield

    record = Record(force_utf8=True, leader=Leader("00000nam a2200000 a 4500"))
    record.add_field(Field(tag="001", data="job-1"))
    record.add_field(Field(tag="245", indicators=["1", "0"], subfields=[Subfield("a", "Jobbet")]))
    return record.as_marc()
