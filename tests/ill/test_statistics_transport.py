"""Statistics of the transport: shipments per route and weekday, promises held, days to pickup."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from ill.states import Side
from ill.statistics import csv_rows, monthly
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD
from tests.world.transport import make_timetable

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
DAY = timedelta(days=1)
BORROWER = Actor(Side.BORROWER)


def two_loans(county: County) -> None:
    """One loan on time from Nyköping (route 1), one a day late from Linköping (route 3)."""
    make_timetable(county)
    near = place_request(county, MONDAY)  # promised Tuesday 3 March
    far = place_request(county, MONDAY, card_number="9876543210")
    for req in (near, far):
        perform(req.pk, "send", BORROWER, now=MONDAY)
    nyks, li = Actor(Side.LENDER, library=county.nyks), Actor(Side.LENDER, library=county.li)
    perform(near.pk, "accept", nyks, now=MONDAY)
    perform(near.pk, "ship", nyks, now=MONDAY)  # Monday, route 1
    perform(near.pk, "receive", BORROWER, now=MONDAY + DAY)  # Tuesday: as promised
    perform(near.pk, "notify", BORROWER, now=MONDAY + DAY)
    perform(near.pk, "pick_up", BORROWER, now=MONDAY + 2 * DAY)  # two days after the request
    perform(near.pk, "ship_return", BORROWER, now=MONDAY + 4 * DAY)  # Friday, route 1
    perform(far.pk, "refuse", nyks, reason="reserved", now=MONDAY + timedelta(hours=2))  # now Tuesday 10
    perform(far.pk, "accept", li, now=MONDAY + DAY)
    perform(far.pk, "ship", li, now=MONDAY + 3 * DAY)  # Thursday, route 3
    perform(far.pk, "receive", BORROWER, now=MONDAY + 9 * DAY)  # Wednesday 11: a day late
    perform(far.pk, "notify", BORROWER, now=MONDAY + 9 * DAY)
    perform(far.pk, "pick_up", BORROWER, now=MONDAY + 11 * DAY)


def test_transport_volume_promises_and_days_to_pickup(county: County) -> None:
    two_loans(county)
    [month] = monthly()
    assert dict(month.transport) == {(1, 0): 1, (1, 4): 1, (3, 3): 1}
    assert (month.promises_checked, month.promises_held, month.first_promises_held) == (2, 1, 1)
    assert month.promise_rate == 0.5
    assert month.median_pickup_days == 6.5  # 2 and 11 days
    rows = csv_rows([month])
    assert ["2026-03", "transport", "route 3", "thu", "1"] in rows
    assert ["2026-03", "promises_held", "", "", "1"] in rows
    assert ["2026-03", "median_days_to_pickup", "", "", "6.5"] in rows


def test_the_statistics_page_shows_the_transport(county: County) -> None:
    two_loans(county)
    client = Client()
    assert client.login(username="regina", password=PASSWORD)
    page = client.get("/staff/ill/statistics/").content.decode()
    assert "1 av 2 (första löftet: 1)" in page
    assert "Transport: försändelser per rutt" in page
