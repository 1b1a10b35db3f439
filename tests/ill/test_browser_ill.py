"""The whole fjärrlån round trip in real headless Chromium, with axe-core on the pages people use."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from ill.models import Request
from ill.states import State
from tests.ill.county import PASSWORD, County, make_county

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium not found at /usr/bin/chromium"),
]


@pytest.fixture
def browser(live_server: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Chromium, closed before the live server stops (its keep-alive connections hold DB sessions)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Live-server threads must not keep persistent connections, or the test database cannot be dropped.
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are in
    # other threads, but the test's own ORM calls need this.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        # Inside Playwright's greenlet the test's ORM calls got their own connection: close it here.
        connections.close_all()
        chromium.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def assert_accessible(page: Any, what: str) -> None:
    if not AXE.exists():
        pytest.skip(f"axe-core missing at {AXE} (run npm install): accessibility not checked")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == [], f"{what}: {violations}"


def state_label(state: str) -> str:
    with translation.override("sv"):
        return str(State(state).label)


def staff_page(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(locale="sv-SE").new_page()
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
    base = live_server.url
    patron = browser.new_context(locale="sv-SE").new_page()

    patron.goto(f"{base}/fjarrlan/ny/?record={county.cluster.pk}")
    assert_accessible(patron, "request form")
    patron.fill("#id_patron_name", "Patrik Patron")
    patron.select_option("#id_pickup_library", str(county.sods.pk))
    patron.fill("#id_card_number", "12345")  # wrong for Söderbyn's pattern
    patron.fill("#id_email", "patrik@example.org")
    patron.click("main button[type=submit]")
    assert patron.input_value("#id_patron_name") == "Patrik Patron"  # kept after the error
    assert patron.get_attribute("#id_card_number", "aria-invalid") == "true"
    assert_accessible(patron, "request form with errors")
    patron.fill("#id_card_number", "1234567890")
    patron.click("main button[type=submit]")
    patron.wait_for_url(f"{base}/fjarrlan/tack/**")
    req = Request.objects.get()
    assert req.number in patron.content()
    patron.click(f"a[href='/fjarrlan/status/{req.token}/']")
    status_url = patron.url
    assert_accessible(patron, "status page")

    def patron_sees(state: str) -> None:
        patron.goto(status_url)
        assert patron.inner_text("#ill-state") == state_label(state)

    patron_sees(State.NEW)

    borrower = staff_page(browser, base, "sara")
    borrower.goto(f"{base}/staff/ill/outgoing/")
    assert req.number in borrower.content()
    assert_accessible(borrower, "outgoing queue")
    act(borrower, base, req, "send")
    patron_sees(State.SENT)

    lender = staff_page(browser, base, "nils")
    lender.goto(f"{base}/staff/ill/incoming/")
    assert req.number in lender.content()
    assert_accessible(lender, "incoming queue")
    act(lender, base, req, "accept")
    assert "Patrik" not in lender.content()
    assert_accessible(lender, "request page")
    patron_sees(State.ACCEPTED)
    lender.goto(f"{base}/staff/ill/picklist/")
    assert "Hc Strindberg" in lender.content()
    assert_accessible(lender, "pick list")
    act(lender, base, req, "ship")
    patron_sees(State.SHIPPED)

    act(borrower, base, req, "receive")
    patron_sees(State.RECEIVED)
    act(borrower, base, req, "notify")
    patron_sees(State.NOTIFIED)
    history = patron.inner_text(".ill-history")
    for state in (State.SENT, State.ACCEPTED, State.SHIPPED, State.RECEIVED, State.NOTIFIED):
        assert state_label(state) in history
