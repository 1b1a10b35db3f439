"""The whole fjärrlån round trip in real headless Chromium, with axe-core on the pages people use."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from ill.models import Request
from ill.states import State
from tests.browser.conftest import audit
from tests.world.ill import County, make_county
from tests.world.places import PASSWORD
from tests.world.transport import make_timetable

SWEDISH_DATE = re.compile(r"^(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag) \d{1,2} [a-zé]+$")

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(chromium: Any, live_server: Any) -> Iterator[Any]:
    """Chromium; every context the test opens is closed before the next test."""
    opened: list[Any] = []

    def new_page() -> Any:
        context = chromium.new_context(locale="sv-SE")
        opened.append(context)
        return context.new_page()

    yield new_page
    for context in opened:
        context.close()
    connections.close_all()


def state_label(state: str) -> str:
    with translation.override("sv"):
        return str(State(state).label)


def staff_page(browser: Any, base: str, username: str) -> Any:
    page = browser()
    page.goto(f"{base}/staff/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form[action='/staff/login/'] button[type=submit]")
    page.wait_for_url(f"{base}/staff/")
    return page


def act(page: Any, base: str, req: Request, action: str) -> None:
    page.goto(f"{base}/staff/ill/{req.pk}/")
    page.click(f"button[value={action}]")
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_patron_request_travels_from_lender_to_borrower(browser: Any, live_server: Any) -> None:
    county: County = make_county()
    make_timetable(county)
    base = live_server.url
    patron = browser()

    patron.goto(f"{base}/fjarrlan/ny/?record={county.cluster.pk}")
    audit(patron, "request form")
    patron.fill("#id_patron_name", "Patrik Patron")
    patron.select_option("#id_pickup_library", str(county.sods.pk))
    patron.fill("#id_card_number", "12345")  # wrong for Södertälje's pattern
    patron.fill("#id_email", "patrik@example.org")
    patron.click("main button[type=submit]")
    assert patron.input_value("#id_patron_name") == "Patrik Patron"  # kept after the error
    assert patron.get_attribute("#id_card_number", "aria-invalid") == "true"
    audit(patron, "request form with errors")
    patron.fill("#id_card_number", "1234567890")
    patron.click("main button[type=submit]")
    patron.wait_for_url(f"{base}/fjarrlan/tack/")
    audit(patron, "request received")
    req = Request.objects.get()
    patron.goto(f"{base}/fjarrlan/status/{req.token}/")  # the link in the confirmation e-mail
    status_url = patron.url
    audit(patron, "status page")
    promised = patron.inner_text("#ill-promise")  # Nyköping shares Södertälje's route: a real date
    assert SWEDISH_DATE.match(promised), promised

    def patron_sees(state: str) -> None:
        patron.goto(status_url)
        assert patron.inner_text("#ill-state") == state_label(state)

    patron_sees(State.NEW)

    borrower = staff_page(browser, base, "sara")
    borrower.goto(f"{base}/staff/ill/outgoing/")
    assert req.number in borrower.content()
    audit(borrower, "outgoing queue")
    act(borrower, base, req, "send")
    patron_sees(State.SENT)

    lender = staff_page(browser, base, "nils")
    lender.goto(f"{base}/staff/ill/incoming/")
    assert req.number in lender.content()
    audit(lender, "incoming queue")
    act(lender, base, req, "accept")
    assert "Patrik" not in lender.content()
    audit(lender, "request page")
    patron_sees(State.ACCEPTED)
    lender.goto(f"{base}/staff/ill/picklist/")
    assert "Hc Strindberg" in lender.content()
    groups = lender.locator(".transport-group h3")
    assert groups.count() == 1 and "med rutt 1" in groups.first.inner_text()
    assert "Rutt 1," in lender.inner_text(".transport-label")
    audit(lender, "pick list")
    lender.goto(f"{base}/staff/ill/transport/")
    assert "Rutt 3: Västra" in lender.content()
    audit(lender, "transport timetable")
    lender.goto(f"{base}/staff/ill/transport/closures/")
    audit(lender, "closures")
    act(lender, base, req, "ship")
    patron_sees(State.SHIPPED)
    borrower.goto(f"{base}/staff/ill/picklist/")  # what the next transport brings Södertälje
    assert req.number in borrower.inner_text(".transport-group")
    audit(borrower, "pick list of the borrowing library")
    regional = staff_page(browser, base, "regina")
    regional.goto(f"{base}/staff/ill/transport/route/{county.sods.route_stop.route_id}/")
    audit(regional, "route editing")

    act(borrower, base, req, "receive")
    patron_sees(State.RECEIVED)
    act(borrower, base, req, "notify")
    patron_sees(State.NOTIFIED)
    history = patron.inner_text(".ill-history")
    for state in (State.SENT, State.ACCEPTED, State.SHIPPED, State.RECEIVED, State.NOTIFIED):
        assert state_label(state) in history
