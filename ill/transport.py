"""When does a box arrive? The county's media transport as a timetable, and arrival dates computed from it.

The rules (the README's "Transport timetable" says the same for staff):

- A *transport day* is a day that is not a Swedish public holiday nor one of the de-facto closed eves
  (midsommarafton, julafton, nyårsafton), as the `holidays` library's Sweden (categories "public" and
  "de_facto") gives them. Sundays count as ordinary days there (`include_sundays=False`): vans run
  on the weekdays in the timetable, so a Sunday is never a visit day anyway. Half days ("från kl.
  14.00") and klämdagar are not whole days without transport; a library closed on one enters a
  closure.
- A library *sends* on its route's visit days that are transport days and outside its closures. A
  box packed at or after the route's cut-off time leaves with the next such visit, not today's.
- Same route: the van empties at its depot overnight, so the box is delivered on the pickup
  library's first visit (transport day, not closed) after the day it left.
- Different routes: the box is re-sorted at the hub for `resort_days` working days after the day it
  left, then delivered on the pickup library's first visit after that. (Same route is the case of
  zero re-sorting days.) Two routes with different hubs add both hubs' days.
- A library without a route (or a route without visit days within `HORIZON_DAYS`) has no arrival
  date: "unknown", which the rota sorts after every known date.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ill.clock import is_holiday
from ill.models import RouteStop, TransportClosure

HORIZON_DAYS = 120


def is_transport_day(day: date) -> bool:
    """Not a Swedish public holiday or de-facto closed eve (weekends depend on the route's days)."""
    return not is_holiday(day)


@dataclass(frozen=True)
class Stop:
    """One library's place in the timetable."""

    route_number: int
    route_name: str
    weekdays: frozenset[int]
    cutoff: time
    hub_id: int
    hub_name: str
    resort_days: int


@dataclass
class Timetable:
    """A snapshot of the transport: stops by library id and closures by library id."""

    stops: dict[int, Stop] = field(default_factory=dict)
    closures: dict[int, list[tuple[date, date]]] = field(default_factory=dict)
    is_transport_day: Callable[[date], bool] = is_transport_day

    @classmethod
    def load(cls, since: date | None = None) -> "Timetable":
        """The timetable as stored (closures that end before `since` left out)."""
        table = cls()
        for stop in RouteStop.objects.select_related("route__hub"):
            route = stop.route
            table.stops[stop.library_id] = Stop(
                route.number,
                route.name,
                frozenset(int(d) for d in stop.weekdays),
                route.cutoff,
                route.hub_id,
                route.hub.name,
                route.hub.resort_days,
            )
        closures = TransportClosure.objects.all()
        if since:
            closures = closures.filter(last_day__gte=since)
        for closure in closures:
            table.closures.setdefault(closure.library_id, []).append((closure.first_day, closure.last_day))
        return table

    def closed(self, library_id: int, day: date) -> bool:
        return any(first <= day <= last for first, last in self.closures.get(library_id, []))

    def visit(self, library_id: int, earliest: date) -> date | None:
        """The library's first visit day on or after `earliest` (transport day, not closed)."""
        stop = self.stops.get(library_id)
        if stop is None:
            return None
        for offset in range(HORIZON_DAYS):
            day = earliest + timedelta(days=offset)
            if (
                day.weekday() in stop.weekdays
                and self.is_transport_day(day)
                and not self.closed(library_id, day)
            ):
                return day
        return None

    def after_working_days(self, day: date, days: int) -> date:
        """The day `days` working days (Monday to Friday, transport days) after `day`."""
        while days > 0:
            day += timedelta(days=1)
            if day.weekday() < 5 and self.is_transport_day(day):
                days -= 1
        return day


@dataclass(frozen=True)
class Arrival:
    """A box's journey: leaves the lender on `departs` with its route, arrives at the pickup library on
    `arrives` with the pickup library's route (the same route when `hub` is empty)."""

    departs: date
    arrives: date
    from_route: int
    to_route: int
    hub: str = ""


def first_departure(timetable: Timetable, lender_id: int, start: datetime) -> date | None:
    """The lender's next transport out at or after `start` (after the cut-off: the next one)."""
    stop = timetable.stops.get(lender_id)
    if stop is None:
        return None
    local = timezone.localtime(start) if timezone.is_aware(start) else start
    earliest = local.date() + timedelta(days=1 if local.time() >= stop.cutoff else 0)
    return timetable.visit(lender_id, earliest)


def expected_arrival(
    lender_id: int, pickup_id: int, start: datetime, timetable: Timetable | None = None
) -> Arrival | None:
    """When a box the lender packs at `start` (its next handling opportunity) reaches the pickup
    library; None when either library has no route (unknown). Pure over `timetable`."""
    table = timetable if timetable is not None else Timetable.load(since=start.date())
    departs = first_departure(table, lender_id, start)
    source, target = table.stops.get(lender_id), table.stops.get(pickup_id)
    if departs is None or source is None or target is None:
        return None
    same_route = source.route_number == target.route_number
    waiting = (
        0
        if same_route
        else source.resort_days + (target.resort_days if source.hub_id != target.hub_id else 0)
    )
    arrives = table.visit(pickup_id, table.after_working_days(departs, waiting) + timedelta(days=1))
    if arrives is None:
        return None
    hub = "" if same_route else source.hub_name
    return Arrival(departs, arrives, source.route_number, target.route_number, hub)
