"""Patron e-mail and ISO 18626 messages through outbox tables: queued in the request's transaction,
sent by a task.

A message row is written together with the state change, so it is never lost; sending happens
after commit and failures only reschedule the row (exponential backoff), never touch the request.
A partner that is down gets its ISO 18626 messages later, in order of their rows.
"""

import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ill import iso18626
from ill.models import IsoMessage, OutboxMessage, Request
from portal.jobs import enqueue

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
# One ISO 18626 POST to a partner may take this long (seconds) before it counts as failed.
ISO_SEND_TIMEOUT = 15
ISO_MAX_ANSWER_BYTES = 1024 * 1024


def status_url(request: Request, base_url: str = "") -> str:
    """The private status link; `base_url` is the site address the patron used (or SITE_URL)."""
    return _absolute(reverse("ill:status", args=[request.token]), base_url)


def staff_url(request: Request, base_url: str = "") -> str:
    """The request's staff page, for the borrowing library's mail when no lender is left."""
    return _absolute(reverse("ill_staff:detail", args=[request.pk]), base_url)


def _absolute(path: str, base_url: str) -> str:
    return (base_url or settings.SITE_URL).rstrip("/") + path


# Messages to the borrowing library rather than the patron: no lender is left, decide what to do.
TO_THE_LIBRARY = frozenset({OutboxMessage.Kind.ROTA_EXHAUSTED, OutboxMessage.Kind.PARTNER_UNFILLED})


def mail_language(request: Request) -> str:
    """The patron's interface language when the site still offers it, else the site's default."""
    offered = {code for code, _name in settings.LANGUAGES}
    return request.language if request.language in offered else settings.LANGUAGE_CODE


def queue_for_request(
    request: Request, kind: str, base_url: str = "", now: datetime | None = None
) -> OutboxMessage | None:
    """Write the e-mail for this moment into the outbox: to the patron, in the language they asked in
    (or to the borrowing library, in Swedish, when it must decide); nothing when there is no address."""
    to_library = kind in TO_THE_LIBRARY
    library_email = request.pickup_library.email if request.pickup_library else ""
    to = library_email if to_library else request.email
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE if to_library else mail_language(request)):
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


def deliver_iso(message_id: int, now: datetime | None = None) -> bool:
    """POST one outgoing ISO 18626 message to its partner; True when it is (or already was) delivered.

    A network failure or HTTP error reschedules it (backoff); an answer is stored as the partner's
    confirmation, and an ERROR confirmation (or one that is not a confirmation) as the message's error:
    delivered, but shown to staff, since sending the same message again would not help.
    """
    with transaction.atomic():
        message = (
            IsoMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("partner")
            .filter(pk=message_id, direction=IsoMessage.Direction.OUT)
            .first()
        )
        if message is None or message.sent_at is not None:
            return message is not None
        now = now or timezone.now()
        message.attempts += 1
        try:
            answer = _post(message.partner.endpoint_url if message.partner else "", message.body.encode())
        except (OSError, ValueError) as exc:  # refused, timed out, HTTP error, no partner
            message.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            message.next_attempt_at = now + backoff(message.attempts)
            message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            log.warning("ISO 18626 message %s not delivered (attempt %s)", message.pk, message.attempts)
            return False
        message.sent_at, message.last_error = now, ""
        message.confirmation = answer.decode("utf-8", errors="replace")
        message.error = "; ".join(filter(None, [message.error, _confirmation_error(answer)]))
        message.save(update_fields=["attempts", "sent_at", "last_error", "confirmation", "error"])
        return True


def _post(url: str, body: bytes) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {url!r}")
    request = urllib.request.Request(  # noqa: S310 (scheme checked)
        url, data=body, method="POST", headers={"Content-Type": "application/xml; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=ISO_SEND_TIMEOUT) as response:  # noqa: S310
        return bytes(response.read(ISO_MAX_ANSWER_BYTES))


def _confirmation_error(answer: bytes) -> str:
    parsed, error = iso18626.parse(answer)
    if parsed is None or not parsed.kind.endswith("Confirmation"):
        return f"the partner's answer is not an ISO 18626 confirmation: {error or (parsed and parsed.kind)}"
    if error is not None:
        return f"the partner's confirmation is not valid: {error}"
    if parsed.message_status != "OK":
        return f"the partner answered ERROR: {parsed.error}"
    return ""


def send_due_iso(now: datetime | None = None) -> tuple[int, int]:
    """Deliver every undelivered ISO 18626 message whose next attempt is due; returns (sent, failed)."""
    now = now or timezone.now()
    due = IsoMessage.objects.filter(
        direction=IsoMessage.Direction.OUT, sent_at__isnull=True, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    sent = failed = 0
    for pk in list(due):
        if deliver_iso(pk, now):
            sent += 1
        else:
            failed += 1
    return sent, failed
