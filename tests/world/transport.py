"""A small transport timetable for the fjärrlån county: Södertälje and Nyköping share route 1,
Linköping is on route 3, both emptied at one hub with a day of re-sorting; Göteborg has no route."""

from datetime import time

from ill.models import RouteStop, TransportHub, TransportRoute
from tests.world.ill import County

MON, TUE, WED, THU, FRI = range(5)


def make_timetable(county: County, resort_days: int = 1) -> TransportHub:
    hub = TransportHub.objects.create(name="Hubben", resort_days=resort_days)
    one = TransportRoute.objects.create(number=1, name="Södra", hub=hub, cutoff=time(10, 0))
    three = TransportRoute.objects.create(number=3, name="Västra", hub=hub, cutoff=time(10, 0))
    RouteStop.objects.create(route=one, library=county.sods, weekdays=[TUE, THU])
    RouteStop.objects.create(route=one, library=county.nyks, weekdays=[MON, WED])
    RouteStop.objects.create(route=three, library=county.li, weekdays=[MON, THU])
    return hub
