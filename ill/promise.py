"""The pickup date promised to the patron: set when the request is made, moved when it moves on.

The promise is the current lender's (or, before anyone is asked, the first lender's) expected
arrival on the transport timetable. `first_promised_arrival` keeps the very first promise for the
statistics; `arrived_at` records when the item reached the pickup library.
"""

from datetime import date, datetime

from django.utils import timezone

from catalog.models import Library
from ill.models import Request
from ill.rota import arrival_of, candidates, rota_clusters
from ill.transport import Timetable


def promise(request: Request, day: date | None) -> None:
    """Set (not save) the request's promised pickup date; the first one is kept."""
    request.promised_arrival = day
    if day and request.first_promised_arrival is None:
        request.first_promised_arrival = day


def from_lender(request: Request, lender: Library, now: datetime) -> date | None:
    """The arrival if `lender` is asked now, from its copies' current status."""
    if request.cluster is None or request.pickup_library is None:  # a partner's request: not our transport
        return None
    found = candidates(request.cluster, request.pickup_library, now, rota_clusters(request))
    chosen = next((c for c in found if c.library.pk == lender.pk), None)
    return chosen.arrival.arrives if chosen and chosen.arrival else None


def in_hand(request: Request, lender: Library, now: datetime) -> date | None:
    """The arrival of a copy the lender has in hand (accepted, packed): it leaves with the next transport."""
    if request.pickup_library is None:
        return None
    table = Timetable.load(since=timezone.localdate(now))
    arrival = arrival_of(lender, True, None, request.pickup_library, now, table)
    return arrival.arrives if arrival else None
