"""Patron e-mail through the outbox, against a real SMTP server on 127.0.0.1 that refuses, then accepts."""

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ill import outbox
from ill.models import OutboxMessage
from ill.states import State
from tests.ill.smtp_server import smtp_server
from tests.ill.test_patron import form_data
from tests.world.ill import County, make_county, place_request

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def use_smtp(settings: Any, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5


@pytest.mark.sqlite
def test_a_refusing_mail_server_neither_loses_nor_blocks_a_request(county: County, settings: Any) -> None:
    with smtp_server(refuse_first=2) as (port, mailbox):
        use_smtp(settings, port)
        req = place_request(county, NOW)  # the request is stored whatever the mail server does
        assert req.state == State.NEW
        message = OutboxMessage.objects.get(request=req, kind=OutboxMessage.Kind.CONFIRMATION)
        assert outbox.send_due(NOW + timedelta(hours=1)) == (0, 1)
        message.refresh_from_db()
        assert message.sent_at is None and message.attempts == 1
        assert "SMTP" in message.last_error
        assert message.next_attempt_at == NOW + timedelta(hours=1, minutes=2)
        # Not due yet: nothing is tried.
        assert outbox.send_due(NOW + timedelta(hours=1, minutes=1)) == (0, 0)
        assert outbox.send_due(NOW + timedelta(hours=2)) == (0, 1)
        assert outbox.send_due(NOW + timedelta(hours=3)) == (1, 0)
        message.refresh_from_db()
        assert message.sent_at is not None and message.attempts == 3
        assert len(mailbox.received) == 1
        assert req.number in mailbox.received[0]
        assert f"/fjarrlan/status/{req.token}/" in mailbox.received[0]
        # Sent once, never again.
        assert outbox.send_due(NOW + timedelta(days=1)) == (0, 0)


@pytest.mark.sqlite
def test_a_message_sent_at_last_keeps_no_error_of_earlier_attempts(county: County, settings: Any) -> None:
    with smtp_server(refuse_first=1) as (port, mailbox):
        use_smtp(settings, port)
        message = OutboxMessage.objects.get(request=place_request(county, NOW))
        assert outbox.send_due(NOW) == (0, 1)
        message.refresh_from_db()
        assert message.last_error
        assert outbox.send_due(NOW + timedelta(hours=1)) == (1, 0)
        message.refresh_from_db()
        assert message.sent_at is not None and message.last_error == ""
        assert len(mailbox.received) == 1


def test_no_email_address_means_no_outbox_message(county: County) -> None:
    req = place_request(county, NOW, email="", phone="070-123 45 67")
    assert not OutboxMessage.objects.filter(request=req).exists()


@pytest.mark.django_db(transaction=True)
def test_celery_worker_retries_until_the_mail_server_accepts(celery_worker: object, settings: Any) -> None:
    settings.ILL_OUTBOX_RETRY_SECONDS = 1
    county = make_county()
    with smtp_server(refuse_first=2) as (port, mailbox):
        use_smtp(settings, port)
        req = place_request(county, datetime.now(UTC))  # commits, then the task is queued
        message = OutboxMessage.objects.get(request=req)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.sent_at:
                break
            time.sleep(0.2)
        assert message.sent_at is not None, message.last_error
        assert message.attempts == 3
        assert mailbox.refused == 2 and len(mailbox.received) == 1


def test_the_beat_task_sends_what_is_due(county: County, settings: Any) -> None:
    from ill.tasks import send_outbox

    with smtp_server() as (port, mailbox):
        use_smtp(settings, port)
        place_request(county, NOW)
        assert send_outbox() == (1, 0)
        assert len(mailbox.received) == 1


def test_a_broker_outage_still_stores_the_request_and_its_mail(
    client: Any,
    county: County,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Redis down after the commit: the patron gets the confirmation page, the outbox keeps the mail."""
    from celery import Celery

    import portal.jobs

    # A real Celery app whose broker is the discard port (nothing listens), standing in for the
    # project's app when Redis is down; the project's own app and its pools are left alone.
    dead = Celery("broker-down", broker="redis://127.0.0.1:9/0", set_as_current=False)
    dead.conf.broker_connection_timeout = 0.5
    dead.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0}

    @dead.task(name="send_outbox_message")
    def send_outbox_message(message_id: int) -> None:
        raise AssertionError("never runs: it cannot even be queued")

    monkeypatch.setattr(portal.jobs, "_task", lambda name: send_outbox_message)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # enqueue() sends to a broker, not in-process
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fjarrlan/ny/", form_data(county))
    assert response.status_code == 302
    message = OutboxMessage.objects.get(kind=OutboxMessage.Kind.CONFIRMATION)
    assert message.sent_at is None and message.request.patron_name == "Patrik Patron"
