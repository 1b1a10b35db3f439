"""Patron e-mail through an outbox table: queued in the request's transaction, sent by a task.

A message row is written together with the state change, so it is never lost; sending happens
after commit and failures only reschedule the row (exponential backoff), never touch the request.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ill.models import OutboxMessage, Request
from portal.jobs import enqueue

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)


def status_url(request: Request, base_url: str = "") -> str:
    """The private status link; `base_url` is the site address the patron used (or SITE_URL)."""
    return _absolute(reverse("ill:status", args=[request.token]), base_url)


def staff_url(request: Request, base_url: str = "") -> str:
    """The request's staff page, for the borrowing library's mail when no lender is left."""
    return _absolute(reverse("ill_staff:detail", args=[request.pk]), base_url)


def _absolute(path: str, base_url: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


def queue_for_request(
    request: Request, kind: str, base_url: str = "", now: datetime | None = None
) -> OutboxMessage | None:
    """Write the e-mail for this moment into the outbox: to the patron (or the borrowing library when no
    lender is left); nothing when there is no address."""
    to = request.pickup_library.email if kind == OutboxMessage.Kind.ROTA_EXHAUSTED else request.email
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "request": request,
            "kind": kind,
            "status_url": status_url(request, base_url),
            "staff_url": staff_url(request, base_url),
        }
        subject = render_to_string("ill/mail/subject.txt", context).strip()
        body = render_to_string("ill/mail/body.txt", context)
    message = OutboxMessage.objects.create(
        request=request,
        kind=kind,
        to=to,
        subject=subject,
        body=body,
        next_attempt_at=now or timezone.now(),
    )
    enqueue("ill.tasks.send_outbox_message", message.pk)
    return message


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2**attempts), MAX_BACKOFF)


def deliver(message_id: int, now: datetime | None = None) -> bool:
    """Try to send one message; True when it is (or already was) sent. Failures are recorded."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return message is not None
        try:
            EmailMessage(message.subject, message.body, to=[message.to]).send()
        except Exception as exc:  # any SMTP/socket failure: keep the row and retry later
            now = now or timezone.now()
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            message.next_attempt_at = now + backoff(message.attempts)
            message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            log.warning(
                "outbox message %s not sent (attempt %s): %s",
                message.pk,
                message.attempts,
                type(exc).__name__,
            )
            return False
        message.attempts += 1
        message.sent_at = now or timezone.now()
        message.last_error = ""  # an earlier attempt's failure is over: staff see no error on a sent mail
        message.save(update_fields=["attempts", "sent_at", "last_error"])
        return True


def send_due(now: datetime | None = None) -> tuple[int, int]:
    """Send every unsent message whose next attempt is due; returns (sent, failed)."""
    now = now or timezone.now()
    due = OutboxMessage.objects.filter(sent_at__isnull=True, next_attempt_at__lte=now).values_list(
        "pk", flat=True
    )
    sent = failed = 0
    for pk in list(due):
        if deliver(pk, now):
            sent += 1
        else:
            failed += 1
    return sent, failed
