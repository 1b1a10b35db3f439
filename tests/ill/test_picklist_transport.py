"""The pick list by transport day and route; labels carry route and day; what arrives with each transport."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.test import Client

from ill import picklist
from ill.models import Request
from ill.states import Side, State
from ill.transport import Timetable
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD
from tests.world.transport import make_timetable

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def two_accepted(county: County) -> tuple[Request, Request]:
    """Nyköping (route 1) lends one copy, Linköping (route 3) the other, both to Södertälje (route 1)."""
    make_timetable(county)
    near = place_request(county, MONDAY)
    far = place_request(county, MONDAY, card_number="9876543210")
    for req in (near, far):
        perform(req.pk, "send", Actor(Side.BORROWER), now=MONDAY)
    perform(far.pk, "refuse", Actor(Side.LENDER, library=county.nyks), reason="reserved", now=MONDAY)
    perform(near.pk, "accept", Actor(Side.LENDER, library=county.nyks), now=MONDAY)
    perform(far.pk, "accept", Actor(Side.LENDER, library=county.li), now=MONDAY)
    return Request.objects.get(pk=near.pk), Request.objects.get(pk=far.pk)


def test_parcels_are_grouped_by_departure_day_and_route(county: County) -> None:
    near, far = two_accepted(county)
    table = Timetable.load()
    groups = picklist.outgoing(
        Request.objects.filter(state=State.ACCEPTED).select_related("current_lender", "pickup_library"),
        lambda r: r.current_lender,  # type: ignore[arg-type,return-value]
        lambda r: r.pickup_library,
        lambda r: "",
        MONDAY,
        table,
    )
    assert [(g.day, g.route, [p.request.pk for p in g.parcels]) for g in groups] == [
        (date(2026, 3, 2), 1, [near.pk]),
        (date(2026, 3, 2), 3, [far.pk]),
    ]
    assert groups[1].parcels[0].arrival is not None
    assert (groups[1].parcels[0].arrival.arrives, groups[1].parcels[0].arrival.hub) == (
        date(2026, 3, 5),
        "Hubben",
    )
    # The borrowing library: what the Tuesday and the Thursday transports bring.
    coming = picklist.arriving(Request.objects.filter(state=State.ACCEPTED), table)
    assert [(g.day, g.route, len(g.parcels)) for g in coming] == [
        (date(2026, 3, 3), 1, 1),
        (date(2026, 3, 5), 1, 1),
    ]


def test_a_lender_without_a_route_gets_its_own_group_last(county: County) -> None:
    two_accepted(county)
    county.li.route_stop.delete()
    groups = picklist.outgoing(
        Request.objects.filter(state=State.ACCEPTED).select_related("current_lender", "pickup_library"),
        lambda r: r.current_lender,  # type: ignore[arg-type,return-value]
        lambda r: r.pickup_library,
        lambda r: "",
        MONDAY,
        Timetable.load(),
    )
    assert [(g.route, g.day) for g in groups] == [(1, date(2026, 3, 2)), (None, None)]
    assert groups[1].parcels[0].arrival is None


def test_the_pick_list_page_shows_groups_labels_and_arrivals(county: County) -> None:
    two_accepted(county)
    page = signed_in("regina").get("/staff/ill/picklist/").content.decode()
    to_lend = page.split("<h2>Lån ut")[1] if "<h2>Lån ut" in page else page
    assert to_lend.index("med rutt 1") < to_lend.index("med rutt 3")
    label = page.split('class="transport-label"')[1]
    assert "Rutt 1, " in label and "kommer" in label
    assert "Kommer med transporten" in page
    sara = signed_in("sara").get("/staff/ill/picklist/").content.decode()
    assert sara.count('class="transport-group"') == 2  # nothing to send; two transports bring books


def test_a_partners_request_on_the_pick_list_is_on_no_route(county: County) -> None:
    """A request from a partner outside the county has no pickup library here: it goes by post, so
    the lender's pick list puts it in the group without a route instead of failing."""
    near, _far = two_accepted(county)
    Request.objects.filter(pk=near.pk).update(pickup_library=None)
    groups = picklist.outgoing(
        Request.objects.filter(state=State.ACCEPTED).select_related("current_lender", "pickup_library"),
        lambda r: r.current_lender,
        lambda r: r.pickup_library,
        lambda r: "",
        MONDAY,
        Timetable.load(),
    )
    parcel = next(p for g in groups for p in g.parcels if p.request.pk == near.pk)
    assert parcel.arrival is None
    page = signed_in("nils").get("/staff/ill/picklist/")
    assert page.status_code == 200 and f"/staff/ill/{near.pk}/" in page.content.decode()
