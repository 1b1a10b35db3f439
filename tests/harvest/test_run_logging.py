"""A harvest that does not complete says so in the log, naming the source and the reason."""

import logging

import pytest

from harvest.models import HarvestRun, Source
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill

pytestmark = pytest.mark.django_db


def logged(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level and r.name == "harvest.services"]


def test_a_failed_run_logs_a_warning_then_its_resumption(
    oai_server: LocalOaiServer, oai_source: Source, caplog: pytest.LogCaptureFixture
) -> None:
    fill(oai_server, 8)
    oai_server.fail(2, error="badArgument")
    with caplog.at_level(logging.INFO, logger="harvest"):
        failed = harvest_source(oai_source.pk)
        assert failed.status == HarvestRun.Status.FAILED
        [warning] = logged(caplog, logging.WARNING)
        assert f"source {oai_source.pk} ({oai_source})" in warning and "badArgument" in warning
        caplog.clear()
        resumed = harvest_source(oai_source.pk)
    assert resumed.status == HarvestRun.Status.COMPLETE
    assert any(
        f"source {oai_source.pk} " in m and f"resuming run {failed.pk}" in m
        for m in logged(caplog, logging.INFO)
    )
    assert not logged(caplog, logging.WARNING)


def test_a_run_stopped_by_the_guard_logs_a_warning_with_the_reason(
    oai_server: LocalOaiServer, oai_source: Source, caplog: pytest.LogCaptureFixture
) -> None:
    fill(oai_server, 10)
    harvest_source(oai_source.pk)
    for number in (1, 2, 3):
        oai_server.repository.delete(f"oai:test:{number}")
    with caplog.at_level(logging.INFO, logger="harvest"):
        stopped = harvest_source(oai_source.pk)
    assert stopped.status == HarvestRun.Status.STOPPED
    [warning] = logged(caplog, logging.WARNING)
    assert f"source {oai_source.pk} ({oai_source})" in warning
    assert "would delete 3 of 10 records" in warning
