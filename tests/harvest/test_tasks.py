"""Celery: a real worker runs a harvest; beat's entry picks the sources that are due."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from harvest.models import HarvestRun, Source
from harvest.schedule import due_sources
from harvest.tasks import HarvestNotCompleted, harvest_source_task
from tests.harvest.conftest import marcxml


def test_task_on_a_real_worker(celery_worker: object, tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_bytes(marcxml("1", "Vinterboken", sigel=""))
    source = Source.objects.create(protocol="marc-file", url=str(path))
    result = harvest_source_task.delay(source.pk).get(timeout=60)
    assert result["status"] == HarvestRun.Status.COMPLETE
    assert HarvestRun.objects.get(pk=result["run"]).added == 1


def test_a_failed_run_fails_the_task_once(celery_worker: object, caplog: pytest.LogCaptureFixture) -> None:
    """The task's state is FAILURE (what celery events and flower show), without a retry."""
    source = Source.objects.create(protocol="marc-file", url="/nonexistent/export.xml")
    with caplog.at_level(logging.INFO):
        outcome = harvest_source_task.delay(source.pk)
        with pytest.raises(HarvestNotCompleted, match=f"source {source.pk}: run .* failed"):
            outcome.get(timeout=60)
    assert outcome.state == "FAILURE"
    run = HarvestRun.objects.get(source=source)
    assert (run.status, run.attempts) == (HarvestRun.Status.FAILED, 1)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "harvest.services"]
    assert warnings and f"source {source.pk} " in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name.startswith("celery")]


@pytest.mark.django_db
@pytest.mark.sqlite
def test_due_sources_follow_each_schedule() -> None:
    now = timezone.now()
    never = Source.objects.create(protocol="marc-file", url="a")
    by_hand = Source.objects.create(protocol="marc-file", url="b", schedule_minutes=0)
    disabled = Source.objects.create(protocol="marc-file", url="c", enabled=False)
    recent = Source.objects.create(protocol="marc-file", url="d", schedule_minutes=60)
    HarvestRun.objects.create(source=recent, status=HarvestRun.Status.COMPLETE)
    old = Source.objects.create(protocol="marc-file", url="e", schedule_minutes=60)
    HarvestRun.objects.filter(
        pk=HarvestRun.objects.create(source=old, status=HarvestRun.Status.COMPLETE).pk
    ).update(started_at=now - timedelta(minutes=61))
    due = set(due_sources(timezone.now()))
    assert due == {never.pk, old.pk}
    assert by_hand.pk not in due and disabled.pk not in due


@pytest.mark.django_db
@pytest.mark.sqlite
def test_called_in_process_a_failed_run_is_returned_not_raised() -> None:
    """The embedded default runs tasks in-process: beat's pass must go on to the next source."""
    source = Source.objects.create(protocol="marc-file", url="/nonexistent/export.xml")
    result = harvest_source_task(source.pk)
    assert result["status"] == HarvestRun.Status.FAILED


def test_a_large_run_on_a_worker_clusters_everything_it_stored(
    celery_worker: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past PAGE_CLUSTERING_UP_TO a task's run stores the rest page by page and clusters it at
    its end; nothing stays unclustered or pending."""
    from catalog.models import PendingRecord, SourceRecord
    from harvest import services
    from harvest.protocols import marc_file

    monkeypatch.setattr(services, "PAGE_CLUSTERING_UP_TO", 2)
    monkeypatch.setattr(marc_file, "PAGE_SIZE", 2)
    path = tmp_path / "many.xml"
    body = b"".join(marcxml(str(n), f"Boken nummer {n}", sigel="") for n in range(7))
    path.write_bytes(b'<collection xmlns="http://www.loc.gov/MARC21/slim">' + body + b"</collection>")
    source = Source.objects.create(protocol="marc-file", url=str(path))
    result = harvest_source_task.delay(source.pk).get(timeout=60)
    assert result["status"] == HarvestRun.Status.COMPLETE
    assert SourceRecord.objects.filter(source=source, cluster__isnull=True).count() == 0
    assert SourceRecord.objects.filter(source=source).count() == 7
    assert not PendingRecord.objects.exists()
