"""Celery tasks for fjärrlån: thin wrappers around the plain functions in ill.workflow/outbox/retention."""

from typing import Any

from celery import shared_task
from django.conf import settings

from ill import outbox, retention, workflow


@shared_task(bind=True, max_retries=8)
def send_outbox_message(self: Any, message_id: int) -> bool:
    """Send one queued patron e-mail; on failure retry with backoff (the row stays queued anyway)."""
    if outbox.deliver(message_id):
        return True
    if self.request.called_directly:
        # In-process (no broker): never raise into the caller; `ill_maintenance` or beat retries.
        return False
    base = settings.ILL_OUTBOX_RETRY_SECONDS
    raise self.retry(countdown=min(base * 2**self.request.retries, 3600))


@shared_task
def send_outbox() -> tuple[int, int]:
    """Safety net on the beat schedule: send every due message (after restarts, exhausted retries)."""
    sent, failed = outbox.send_due()
    iso_sent, iso_failed = outbox.send_due_iso()
    return sent + iso_sent, failed + iso_failed


@shared_task(bind=True, max_retries=8)
def send_iso_message(self: Any, message_id: int) -> bool:
    """Deliver one ISO 18626 message to its partner; on failure retry with backoff (the row stays)."""
    if outbox.deliver_iso(message_id):
        return True
    if self.request.called_directly:
        return False
    base = settings.ILL_OUTBOX_RETRY_SECONDS
    raise self.retry(countdown=min(base * 2**self.request.retries, 3600))


@shared_task
def advance_overdue_requests() -> int:
    """Ask the next lender for every request whose lender did not answer by the deadline."""
    return len(workflow.advance_overdue())


@shared_task
def anonymize_closed_requests() -> int:
    """Remove patron data from requests final for longer than ILL_RETENTION_DAYS."""
    return retention.anonymize_closed()
