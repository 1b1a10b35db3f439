"""Placing a request: duplicate check, own-library check, creation with rota and confirmation mail."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import translation

from catalog.models import Cluster, Holding, ItemStatus, Library
from ill import outbox
from ill.models import Event, OutboxMessage, Request
from ill.promise import promise
from ill.ratelimit import over_limit
from ill.rota import build_rota, current_statuses
from ill.states import OPEN_STATES, State

# Abuse limits for the public form, counted on valid submissions only: per client address
# (portal.proxy) per hour, per card and per e-mail address per day.
LIMIT_PER_ADDRESS = 20
LIMIT_PER_CARD = 5
LIMIT_PER_EMAIL = 5
# A duplicate re-sends the existing request's link (to the address on file) at most this often a day.
LIMIT_RESENDS_PER_REQUEST = 1


@dataclass(frozen=True)
class TitleInfo:
    title: str
    author: str = ""
    year: str = ""
    isbn: str = ""
    format: str = ""


def title_of(cluster: Cluster) -> TitleInfo:
    data = cluster.data or {}
    authors = data.get("authors") or []
    first = authors[0].get("name", "") if authors and isinstance(authors[0], dict) else ""
    isbns = data.get("isbns") or []
    formats = data.get("formats") or []
    return TitleInfo(
        title=str(data.get("title") or cluster),
        author=str(first),
        year=str(data.get("year") or ""),
        isbn=str(isbns[0]) if isbns else "",
        format=str(formats[0]) if formats else "",
    )


def own_library_has_copy(cluster: Cluster | None, library: Library) -> bool:
    """True when the pickup library itself has a copy on the shelf: no fjärrlån needed."""
    if cluster is None:
        return False
    own = Holding.objects.filter(record__cluster=cluster, record__deleted=False, library=library)
    own = own.select_related("record", "library")
    return ItemStatus.AVAILABLE in current_statuses(list(own)).values()


def over_submission_limits(address: str, card_number: str, email: str) -> bool:
    """Count one valid submission; True when its address, card or e-mail has sent too many."""
    limits = [(f"ill-form:address:{address}", LIMIT_PER_ADDRESS, 3600)]
    limits.append((f"ill-form:card:{card_number}", LIMIT_PER_CARD, 86400))
    if email:
        limits.append((f"ill-form:email:{email.strip().lower()}", LIMIT_PER_EMAIL, 86400))
    return any(over_limit(key, limit, window) for key, limit, window in limits)


def resend_confirmation(request: Request, base_url: str) -> None:
    """The link again, for a patron who lost it: only to the e-mail on the existing request, rarely."""
    if not over_limit(f"ill-form:resend:{request.pk}", LIMIT_RESENDS_PER_REQUEST, 86400):
        outbox.queue_for_request(request, OutboxMessage.Kind.CONFIRMATION, base_url)


def open_duplicate(card_number: str, cluster: Cluster | None) -> Request | None:
    if cluster is None or not card_number:
        return None
    return (
        Request.objects.filter(card_number=card_number, cluster=cluster, state__in=OPEN_STATES)
        .order_by("created_at")
        .first()
    )


def create_request(
    cluster: Cluster | None, data: dict[str, Any], now: datetime, base_url: str = ""
) -> Request:
    """Store a new request with its lender rota and queue the confirmation e-mail."""
    info = (
        title_of(cluster) if cluster else TitleInfo(data["title"], data["author"], data["year"], data["isbn"])
    )
    with transaction.atomic():
        request = Request.objects.create(
            cluster=cluster,
            title=info.title[:500],
            author=info.author[:300],
            year=info.year[:20],
            isbn=info.isbn[:40],
            format=info.format[:30],
            pickup_library=data["pickup_library"],
            needed_before=data.get("needed_before"),
            any_edition=bool(data.get("any_edition")),
            patron_name=data["patron_name"],
            card_number=data["card_number"],
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            message=data.get("message") or "",
            language=translation.get_language() or "",
            card_checked_at=data.get("card_checked_at"),
            card_not_checked=data.get("card_not_checked") or "",
            created_at=now,
        )
        request.number = f"FL{now:%y}-{request.pk:05d}"
        request.save(update_fields=["number"])
        rota = build_rota(request, now)
        promise(request, rota[0].expected_arrival if rota else None)
        request.save(update_fields=["promised_arrival", "first_promised_arrival"])
        Event.objects.create(
            request=request, action="create", from_state=State.NEW, to_state=State.NEW, by_patron=True, at=now
        )
        outbox.queue_for_request(request, OutboxMessage.Kind.CONFIRMATION, base_url, now)
    return request
