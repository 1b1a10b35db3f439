"""The transport box: what leaves with which transport (day and route), and what arrives with which."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from catalog.models import Library
from ill.models import Request
from ill.transport import Arrival, Timetable, expected_arrival, first_departure

# Groups without a date (no route) come after every dated one.
NO_DAY, NO_ROUTE = date.max, 10**6


@dataclass
class Parcel:
    """One request in the box, with its journey (None: a library on no route)."""

    request: Request
    call_number: str
    arrival: Arrival | None


@dataclass
class TransportGroup:
    """The parcels that leave (or arrive) on one day with one route; `day`/`route` None: unknown."""

    day: date | None
    route: int | None
    parcels: list[Parcel] = field(default_factory=list)


def _group(keyed: Iterable[tuple[tuple[date | None, int | None], Parcel]]) -> list[TransportGroup]:
    groups: dict[tuple[date | None, int | None], TransportGroup] = {}
    for (day, route), parcel in keyed:
        groups.setdefault((day, route), TransportGroup(day, route)).parcels.append(parcel)
    return sorted(groups.values(), key=lambda g: (g.day or NO_DAY, g.route or NO_ROUTE))


def outgoing(
    requests: Iterable[Request],
    sender: Callable[[Request], Library | None],
    receiver: Callable[[Request], Library | None],
    call_number: Callable[[Request], str],
    now: datetime,
    timetable: Timetable,
) -> list[TransportGroup]:
    """Parcels grouped by the sender's next transport out (day, route), earliest first. A partner
    outside the county (no library here) is on no route: its parcels go by post, in the unknown group."""
    keyed = []
    for req in requests:
        source, target = sender(req), receiver(req)
        stop = timetable.stops.get(source.pk) if source else None
        day = first_departure(timetable, source.pk, now) if source else None
        arrival = expected_arrival(source.pk, target.pk, now, timetable) if source and target else None
        keyed.append(((day, stop.route_number if stop else None), Parcel(req, call_number(req), arrival)))
    return _group(keyed)


def arriving(requests: Iterable[Request], timetable: Timetable) -> list[TransportGroup]:
    """Requests on their way to the borrowing library, by the promised day and the route bringing them."""
    keyed = []
    for req in requests:
        stop = timetable.stops.get(req.pickup_library_id) if req.pickup_library_id else None
        key = (req.promised_arrival, stop.route_number if stop else None)
        keyed.append((key, Parcel(req, "", None)))
    return _group(keyed)
