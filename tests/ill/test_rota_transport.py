"""The rota on the transport timetable: expected arrival first, the on-loan rule, the moving promise."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation

from catalog.models import Holding, ItemStatus
from ill.models import OutboxMessage, Request
from ill.rota import reasoning
from ill.states import Side, State
from ill.transport import Timetable
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.transport import make_timetable

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM)
BORROWER, LENDER = Actor(Side.BORROWER), Actor(Side.LENDER)


def codes(request: Request) -> list[str]:
    return [e.library.code for e in request.rota.select_related("library").order_by("position")]


def lend_out(county: County, due: date | None) -> None:
    Holding.objects.filter(library=county.nyks).update(status=ItemStatus.ON_LOAN, due_date=due)


@pytest.mark.sqlite
def test_expected_arrival_orders_the_rota_and_unknown_comes_last(county: County) -> None:
    make_timetable(county)
    # Nyköping lent a lot lately: load balance alone would put Linköping first (test_rota), but
    # Nyköping shares Södertälje's route and its copy arrives Tuesday, Linköping's via the hub Thursday.
    req = place_request(county, MONDAY)
    assert codes(req) == ["Nyks", "Li", "G"]
    assert [e.expected_arrival for e in req.rota.order_by("position")] == [
        date(2026, 3, 3),
        date(2026, 3, 5),
        None,
    ]


@pytest.mark.parametrize(
    ("resort_days", "due", "first"),
    [
        # Due back in three weeks: the available copy across the hub comes much sooner.
        (1, date(2026, 3, 23), "Li"),
        # Due tomorrow: back Wednesday, on route 1 Thursday, the same day as Linköping's via the hub:
        # on the same day the copy on the shelf goes first.
        (1, date(2026, 3, 3), "Li"),
        # A slow hub (three days): Linköping's copy is not there before Tuesday 10 March, while the
        # copy due tomorrow arrives Thursday 5 March: the faster copy on loan is asked first.
        (3, date(2026, 3, 3), "Nyks"),
        # Overdue or without a due date: no estimate, after every library with one.
        (3, date(2026, 2, 20), "Li"),
        (3, None, "Li"),
    ],
)
def test_a_slower_available_copy_goes_first_only_when_the_on_loan_one_comes_later(
    county: County, resort_days: int, due: date | None, first: str
) -> None:
    make_timetable(county, resort_days=resort_days)
    lend_out(county, due)
    assert codes(place_request(county, MONDAY))[0] == first


def test_the_promise_moves_after_a_refusal_and_the_first_is_kept(county: County) -> None:
    make_timetable(county)
    req = place_request(county, MONDAY)
    assert req.promised_arrival == req.first_promised_arrival == date(2026, 3, 3)
    body = OutboxMessage.objects.get(request=req, kind=OutboxMessage.Kind.CONFIRMATION).body
    assert "tisdag 3 mars" in body
    perform(req.pk, "send", BORROWER, now=MONDAY)
    # Nyköping refuses at 11, after Monday's cut-off: Linköping's next van is Thursday, the hub
    # re-sorts Friday, route 1 brings it to Södertälje on Tuesday 10 March.
    req = perform(
        req.pk,
        "refuse",
        Actor(Side.LENDER, library=county.nyks),
        reason="on_loan",
        now=MONDAY + timedelta(hours=2),
    )
    assert req.current_lender == county.li
    assert (req.promised_arrival, req.first_promised_arrival) == (date(2026, 3, 10), date(2026, 3, 3))
    page = Client().get(f"/fjarrlan/status/{req.token}/", HTTP_ACCEPT_LANGUAGE="sv")
    assert "tisdag 10 mars" in page.content.decode()
    when = MONDAY + timedelta(days=3, hours=3)  # Thursday at noon: Linköping packs for Monday's van
    perform(req.pk, "accept", Actor(Side.LENDER, library=county.li), now=when)
    req = perform(req.pk, "ship", Actor(Side.LENDER, library=county.li), now=when)
    assert req.promised_arrival == date(2026, 3, 12)
    req = perform(req.pk, "receive", BORROWER, now=when + timedelta(days=5))
    assert req.arrived_at == when + timedelta(days=5)


def test_no_lender_left_means_no_promise(county: County) -> None:
    make_timetable(county)
    req = place_request(county, MONDAY)
    perform(req.pk, "send", BORROWER, now=MONDAY)
    for lib in (county.nyks, county.li, county.g):
        req = perform(req.pk, "refuse", Actor(Side.LENDER, library=lib), reason="on_loan", now=MONDAY)
    assert req.state == State.EXHAUSTED and req.promised_arrival is None
    assert req.first_promised_arrival == date(2026, 3, 3)


def test_staff_read_why_each_lender_is_where_it_is(county: County) -> None:
    make_timetable(county)
    req = place_request(county, MONDAY)
    table = Timetable.load()
    nyks, li, g = req.rota.select_related("library").order_by("position")
    with translation.override("sv"):
        assert (
            reasoning(nyks, county.sods, table)
            == "Nyköpings stadsbibliotek: inne, kommer tisdag 3/3 via rutt 1"
        )
        assert reasoning(li, county.sods, table) == (
            "Linköpings bibliotek: inne, kommer torsdag 5/3 via rutt 3, Hubben och rutt 1"
        )
        assert "okänd" in reasoning(g, county.sods, table) and "Göteborgs bibliotek" in reasoning(
            g, county.sods, table
        )
    with translation.override("en"):
        assert reasoning(g, county.sods, table) == (
            "Göteborgs bibliotek: not on the shelf, arrival unknown: "
            "Göteborgs bibliotek is on no transport route"
        )


def test_the_patron_reads_the_date_or_plainly_that_it_is_not_known(county: County) -> None:
    req = place_request(county, MONDAY)  # no timetable yet: no date
    client = Client()
    assert (
        "Vi kan ännu inte säga när den kommer" in client.get(f"/fjarrlan/tack/{req.token}/").content.decode()
    )
    assert "inte känt ännu" in client.get(f"/fjarrlan/status/{req.token}/").content.decode()
    make_timetable(county)
    dated = place_request(county, MONDAY, card_number="9876543210")
    assert "Beräknas kunna hämtas: <strong>tisdag 3 mars</strong>" in (
        client.get(f"/fjarrlan/tack/{dated.token}/").content.decode()
    )
