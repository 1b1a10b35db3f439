"""Arrival dates on the transport timetable: weekends, Swedish holidays, the hub, closures, cut-off."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from ill.models import TransportClosure
from ill.transport import Stop, Timetable, expected_arrival, is_transport_day
from tests.world.ill import County
from tests.world.transport import make_timetable

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LENDER, SAME_ROUTE, OTHER_ROUTE, NO_ROUTE = 1, 2, 3, 9


def stop(route: int, *weekdays: int) -> Stop:
    return Stop(route, f"Rutt {route}", frozenset(weekdays), time(10, 0), 1, "Hubben", 1)


def table(**closures: list[tuple[date, date]]) -> Timetable:
    """Lender visited Mon+Wed and a library on its route Tue+Thu (route 1); route 3: Tue+Fri."""
    return Timetable(
        stops={LENDER: stop(1, 0, 2), SAME_ROUTE: stop(1, 1, 3), OTHER_ROUTE: stop(3, 1, 4)},
        closures={int(key.removeprefix("lib")): value for key, value in closures.items()},
    )


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


def arrives(start: datetime, pickup: int = SAME_ROUTE, timetable: Timetable | None = None) -> date | None:
    found = expected_arrival(LENDER, pickup, start, timetable or table())
    return found.arrives if found else None


MONDAY = date(2026, 3, 2)


def test_same_route_arrives_with_the_pickup_librarys_next_visit() -> None:
    found = expected_arrival(LENDER, SAME_ROUTE, at(MONDAY), table())
    assert found is not None
    assert (found.departs, found.arrives, found.hub) == (MONDAY, date(2026, 3, 3), "")


def test_after_the_cut_off_the_box_leaves_with_the_next_transport() -> None:
    assert arrives(at(MONDAY, 9, 59)) == date(2026, 3, 3)
    # 10:00 is too late for Monday's van: Wednesday's takes it, Thursday it arrives.
    assert arrives(at(MONDAY, 10, 0)) == date(2026, 3, 5)


def test_across_routes_the_box_waits_a_day_at_the_hub() -> None:
    found = expected_arrival(LENDER, OTHER_ROUTE, at(MONDAY), table())
    assert found is not None
    # Left Monday, re-sorted Tuesday, out from Wednesday: route 3 comes on Friday.
    assert (found.arrives, found.from_route, found.to_route, found.hub) == (date(2026, 3, 6), 1, 3, "Hubben")


def test_weekends_are_not_transport_days() -> None:
    # Packed Wednesday after the cut-off: next van Monday, arrives Tuesday.
    assert arrives(at(date(2026, 3, 4), 11)) == date(2026, 3, 10)
    # Left Friday? The lender is visited Mon+Wed only; a Thursday start leaves the next Monday.
    assert arrives(at(date(2026, 3, 5))) == date(2026, 3, 10)


def test_swedish_public_holidays_and_closed_eves_have_no_transport() -> None:
    # Ascension Thursday 14 May 2026: the Thursday visit falls away, Tuesday after.
    assert arrives(at(date(2026, 5, 13))) == date(2026, 5, 19)
    # Julafton (a de-facto holiday, Thursday 24 Dec 2026) has no visit either.
    assert arrives(at(date(2026, 12, 23))) == date(2026, 12, 29)
    # Midsommarafton, Friday 19 June: route 3's Friday visit is skipped.
    assert arrives(at(date(2026, 6, 17)), OTHER_ROUTE) == date(2026, 6, 23)
    assert not is_transport_day(date(2026, 12, 31)) and not is_transport_day(date(2026, 4, 3))
    # Sundays are not holidays in themselves (the route's weekdays decide), nor half days.
    assert is_transport_day(date(2026, 3, 8)) and is_transport_day(date(2026, 4, 30))


def test_the_hub_does_not_re_sort_on_holidays() -> None:
    # Left Wednesday 13 May; the hub's day is Friday 15 (Thursday is Ascension): out from Saturday,
    # so route 3's Tuesday visit.
    assert arrives(at(date(2026, 5, 13)), OTHER_ROUTE) == date(2026, 5, 19)
    # Good Friday and Easter Monday: left Wednesday 1 April, sorted Thursday, Friday is a holiday.
    assert arrives(at(date(2026, 4, 1)), OTHER_ROUTE) == date(2026, 4, 7)


def test_a_closure_week_at_the_lending_end_delays_the_departure() -> None:
    week = [(date(2026, 7, 6), date(2026, 7, 10))]
    assert arrives(at(date(2026, 7, 6)), timetable=table(lib1=week)) == date(2026, 7, 14)


def test_a_closure_at_the_pickup_end_delays_the_delivery() -> None:
    summer = [(date(2026, 7, 6), date(2026, 7, 31))]
    assert arrives(at(date(2026, 7, 6)), timetable=table(lib2=summer)) == date(2026, 8, 4)


def test_a_library_without_a_route_has_no_arrival_date() -> None:
    assert expected_arrival(LENDER, NO_ROUTE, at(MONDAY), table()) is None
    assert expected_arrival(NO_ROUTE, SAME_ROUTE, at(MONDAY), table()) is None


@pytest.mark.sqlite
def test_the_stored_timetable_is_what_arrival_reads(county: County) -> None:
    make_timetable(county)
    TransportClosure.objects.create(
        library=county.sods, first_day=date(2026, 3, 3), last_day=date(2026, 3, 3)
    )
    found = expected_arrival(county.nyks.pk, county.sods.pk, at(MONDAY))
    assert found is not None and found.arrives == date(2026, 3, 5)  # Tuesday closed: Thursday
    found = expected_arrival(county.nyks.pk, county.li.pk, at(MONDAY))
    assert found is not None and found.arrives == date(2026, 3, 5)  # hub Tuesday, route 3 Thursday
    assert expected_arrival(county.nyks.pk, county.g.pk, at(MONDAY)) is None
