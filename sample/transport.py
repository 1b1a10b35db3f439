"""The sample county's media transport: three routes through one hub, as a Stockholm-like län runs it.

South (Södertörn west), east (Nacka, Värmdö, Tyresö, Haninge) and north each have a van; every
library is visited one to three weekdays; boxes between routes are re-sorted for one working day
at the hub. Värmdö's library pauses the transport for four summer weeks. Loaded by `demo_county`,
idempotently (routes by number, stops by library, closures by library and dates).
"""

from datetime import date, time, timedelta

from django.db import transaction

from catalog.models import Library
from ill.models import RouteStop, TransportClosure, TransportHub, TransportRoute

HUB = ("Omlastningen Västberga", 1)
MON, TUE, WED, THU, FRI = range(5)
# number, name, cut-off, [(library code, weekdays)]
ROUTES: tuple[tuple[int, str, time, tuple[tuple[str, tuple[int, ...]], ...]], ...] = (
    (1, "Södra", time(10, 0), (("Hdg", (MON, THU)), ("Bo", (TUE, FRI)), ("Sdtj", (WED,)))),
    (
        2,
        "Östra",
        time(9, 30),
        (("Nk", (MON, WED, FRI)), ("Vmd", (THU,)), ("Tyr", (TUE,)), ("Hng", (TUE, FRI))),
    ),
    (3, "Norra", time(10, 0), (("Sltn", (MON, THU)), ("Jf", (TUE, FRI)), ("Lid", (WED,)))),
)
SUMMER_PAUSE = ("Vmd", 28, 4)  # library, first ISO week, number of weeks


@transaction.atomic
def load_timetable(today: date) -> tuple[int, int]:
    """Create or update the sample timetable; returns (routes, stops)."""
    hub, _ = TransportHub.objects.update_or_create(name=HUB[0], defaults={"resort_days": HUB[1]})
    libraries = {lib.code: lib for lib in Library.objects.all()}
    stops = 0
    for number, name, cutoff, visits in ROUTES:
        route, _ = TransportRoute.objects.update_or_create(
            number=number, defaults={"name": name, "hub": hub, "cutoff": cutoff}
        )
        for code, weekdays in visits:
            if code in libraries:
                RouteStop.objects.update_or_create(
                    library=libraries[code], defaults={"route": route, "weekdays": list(weekdays)}
                )
                stops += 1
    code, week, weeks = SUMMER_PAUSE
    if code in libraries:
        for year in (today.year, today.year + 1):
            first = date.fromisocalendar(year, week, 1)
            TransportClosure.objects.get_or_create(
                library=libraries[code],
                first_day=first,
                last_day=first + timedelta(weeks=weeks, days=-1),
                defaults={"note": "Sommaruppehåll"},
            )
    return len(ROUTES), stops
