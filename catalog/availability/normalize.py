"""Samsök's status vocabulary and how several copies add up to one answer."""

import datetime as dt
from collections.abc import Iterable

from catalog.availability.base import LiveStatus
from catalog.models import ItemStatus

# For a patron the best copy is the one they can have soonest.
_PREFERENCE = [
    ItemStatus.AVAILABLE,
    ItemStatus.IN_TRANSIT,
    ItemStatus.ON_HOLD_SHELF,
    ItemStatus.ON_LOAN,
    ItemStatus.ORDERED,
    ItemStatus.NOT_FOR_LOAN,
    ItemStatus.UNKNOWN,
]
_RANK = {str(status): rank for rank, status in enumerate(_PREFERENCE)}
_FAR = dt.date.max


def status_rank(status: str) -> int:
    return _RANK.get(str(status), len(_PREFERENCE))


def best_status(statuses: Iterable[LiveStatus]) -> LiveStatus | None:
    """The copy a patron can have soonest: best status, then earliest due date, shortest queue."""
    candidates = list(statuses)
    if not candidates:
        return None
    best = min(
        candidates,
        key=lambda s: (status_rank(s.status), s.due_date or _FAR, s.queue_length or 0),
    )
    queues = [s.queue_length for s in candidates if s.queue_length is not None]
    if queues and best.queue_length is None:
        return LiveStatus(best.status, best.due_date, max(queues), best.checked_at, best.message)
    return best
