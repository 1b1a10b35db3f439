"""Celery: a real worker runs a harvest; beat's entry picks the sources that are due."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from harvest.models import HarvestRun, Source
from harvest.schedule import due_sources
from harvest.tasks import harvest_source_task
from tests.harvest.conftest import marcxml


def test_task_on_a_real_worker(celery_worker: object, tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_bytes(marcxml("1", "Vinterboken", sigel=""))
    source = Source.objects.create(protocol="marc-file", url=str(path))
    result = harvest_source_task.delay(source.pk).get(timeout=60)
    assert result["status"] == HarvestRun.Status.COMPLETE
    assert HarvestRun.objects.get(pk=result["run"]).added == 1


@pytest.mark.django_db
@pytest.mark.sqlite
def test_due_sources_follow_each_schedule() -> None:
    now = timezone.now()
    never = Source.objects.create(protocol="marc-file", url="a")
    by_hand = Source.objects.create(protocol="marc-file", url="b", schedule_minutes=0)
    disabled = Source.objects.create(protocol="marc-file", url="c", enabled=False)
    recent = Source.objects.create(protocol="marc-file", url="d", schedule_minutes=60)
    HarvestRun.objects.create(source=recent)
    old = Source.objects.create(protocol="marc-file", url="e", schedule_minutes=60)
    HarvestRun.objects.filter(pk=HarvestRun.objects.create(source=old).pk).update(
        started_at=now - timedelta(minutes=61)
    )
    due = set(due_sources(timezone.now()))
    assert due == {never.pk, old.pk}
    assert by_hand.pk not in due and disabled.pk not in due
