"""The staff queues: incoming (we are asked to lend) and outgoing (our patrons borrow)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from catalog.access import staff_libraries
from catalog.models import Library
from ill.access import visible_requests
from ill.models import Request, RotaEntry
from ill.states import FINAL_STATES, State

INCOMING, OUTGOING = "incoming", "outgoing"


@dataclass
class QueueFilter:
    direction: str
    library: Library | None = None
    state: str = ""
    overdue_only: bool = False
    include_final: bool = False
    libraries: list[Library] = field(default_factory=list)


def lender_requests(libraries: QuerySet[Library] | list[Library]) -> Q:
    """Requests where one of `libraries` is the current lender or has lent (accepted) it."""
    accepted = RotaEntry.objects.filter(library__in=libraries, status=RotaEntry.Status.ACCEPTED).values(
        "request_id"
    )
    return Q(current_lender__in=libraries) | Q(pk__in=accepted)


def queue(user: AbstractBaseUser | AnonymousUser, flt: QueueFilter) -> QuerySet[Request]:
    """Requests in one queue for the user's libraries (or one of them), oldest first."""
    libraries = [flt.library] if flt.library else list(staff_libraries(user))
    base = visible_requests(user)
    if flt.direction == INCOMING:
        qs = base.filter(lender_requests(libraries))
    else:
        qs = base.filter(pickup_library__in=libraries)
    if not flt.include_final and not flt.state:
        qs = qs.exclude(state__in=FINAL_STATES)
    if flt.state:
        qs = qs.filter(state=flt.state)
    return qs.select_related("pickup_library", "current_lender").distinct().order_by("created_at")


# Before the item reaches the borrowing library a passed "needed before" date still calls for action.
NOT_YET_ARRIVED = [State.NEW, State.SENT, State.ACCEPTED, State.SHIPPED, State.EXHAUSTED]


def filter_overdue(qs: QuerySet[Request], now: datetime) -> QuerySet[Request]:
    """Lender past its answer deadline, or the patron's date passed before the item arrived."""
    late_answer = Q(state=State.SENT, deadline__lt=now)
    late_item = Q(state__in=NOT_YET_ARRIVED, needed_before__lt=timezone.localdate(now))
    return qs.filter(late_answer | late_item)


def counts_per_state(qs: QuerySet[Request]) -> dict[str, int]:
    rows = qs.order_by().values("state").annotate(n=Count("id", distinct=True))
    return {row["state"]: row["n"] for row in rows}


def queue_counts(user: AbstractBaseUser | AnonymousUser) -> dict[str, int]:
    """Open requests in each queue, for the dashboard."""
    return {direction: queue(user, QueueFilter(direction)).count() for direction in (INCOMING, OUTGOING)}
