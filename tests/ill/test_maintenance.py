"""Without a broker the outbox task runs in-process and never raises; the command does the periodic work."""

from datetime import UTC, datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ill.models import OutboxMessage
from ill.states import Side, State
from ill.tasks import send_outbox_message
from ill.workflow import Actor, perform
from tests.ill.smtp_server import smtp_server
from tests.ill.test_outbox import use_smtp
from tests.world.ill import County, place_request

LONG_AGO = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


@pytest.mark.sqlite
def test_in_process_outbox_task_does_not_raise_when_smtp_refuses(county: County, settings: Any) -> None:
    with smtp_server(refuse_first=1) as (port, mailbox):
        use_smtp(settings, port)
        req = place_request(county, LONG_AGO)
        message = OutboxMessage.objects.get(request=req)
        assert send_outbox_message(message.pk) is False  # called directly, as portal.jobs does without Redis
        assert send_outbox_message(message.pk) is True
        assert len(mailbox.received) == 1


@pytest.mark.sqlite
def test_maintenance_command_moves_sends_and_anonymizes(county: County) -> None:
    overdue = place_request(county, LONG_AGO)
    perform(overdue.pk, "send", Actor(Side.BORROWER), now=LONG_AGO)
    closed = place_request(county, LONG_AGO, card_number="2222222222")
    perform(closed.pk, "cancel", Actor(Side.BORROWER), now=LONG_AGO)
    out = StringIO()
    call_command("ill_maintenance", stdout=out)
    overdue.refresh_from_db()
    closed.refresh_from_db()
    assert overdue.state == State.SENT and overdue.current_lender == county.li
    assert closed.anonymized_at is not None
    assert (
        out.getvalue()
        .strip()
        .splitlines()[-1]
        .startswith("fjärrlån: 1 moved to the next lender, 3 e-mails sent")  # 2 confirmations, 1 cancelled
    )


@pytest.mark.sqlite
def test_run_scheduled_does_every_beat_job_in_process(county: County, settings: Any) -> None:
    """The embedded default's scheduler: the beat schedule's jobs, called here, each once."""
    settings.CELERY_BROKER_URL = None  # the confirmation mail waits as a job for the scheduler
    overdue = place_request(county, LONG_AGO)
    perform(overdue.pk, "send", Actor(Side.BORROWER), now=LONG_AGO)
    out = StringIO()
    call_command("run_scheduled", stdout=out)
    overdue.refresh_from_db()
    assert overdue.current_lender == county.li  # moved on past the first lender's deadline
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    ran = "run_scheduled: ran " + ", ".join(settings.CELERY_BEAT_SCHEDULE)
    assert out.getvalue().strip() == ran + "; background jobs: 1 done, 0 failed"  # the confirmation mail


@pytest.mark.sqlite
def test_run_scheduled_reports_a_failing_job_and_runs_the_others(
    county: County, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ill import retention

    def broken(now: object = None) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention, "anonymize_closed", broken)
    out = StringIO()
    with pytest.raises(CommandError, match="ill-anonymize"):
        call_command("run_scheduled", stdout=out)
    assert "ran harvest-due-sources, ill-deadlines, ill-outbox; failed ill-anonymize" in out.getvalue()
