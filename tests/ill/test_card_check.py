"""The card check at the home library: SIP2 Patron Status against real servers on 127.0.0.1."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from catalog.availability import breaker
from ill.cardcheck import breaker_key
from ill.models import CardCheck, CardNotChecked, Request
from tests.availability.servers import HangingServer, Sip2Server, closed_port
from tests.ill.test_patron import form_data
from tests.world.ill import County
from tests.world.places import PASSWORD

VALID, BLOCKED = " " * 14, "Y" + " " * 13
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PATRONS = {"1234567890": (VALID, "4321"), "5555555555": (BLOCKED, "")}


@pytest.fixture
def sip2() -> Iterator[Sip2Server]:
    with Sip2Server({}, patrons=PATRONS) as server:
        yield server


@pytest.fixture(autouse=True)
def _closed_breaker(county: County, settings: Any) -> Iterator[None]:
    settings.AVAILABILITY_TIMEOUT = 0.5
    breaker.record_success(breaker_key(county.sods))
    yield
    breaker.record_success(breaker_key(county.sods))


def checks_at(county: County, address: str, **options: Any) -> CardCheck:
    return CardCheck.objects.create(library=county.sods, sip2_address=address, **options)


def test_a_valid_card_is_checked_and_only_the_time_is_stored(
    client: Client, county: County, sip2: Sip2Server
) -> None:
    checks_at(county, sip2.url, options={"institution": "Sods"})
    assert client.post("/fjarrlan/ny/", form_data(county)).status_code == 302
    req = Request.objects.get()
    assert req.card_checked_at is not None and req.card_not_checked == ""
    asked = [line for line in sip2.received if line.startswith("23")]
    assert len(asked) == 1 and "AA1234567890|" in asked[0] and "AOSods|" in asked[0]


@pytest.mark.parametrize(
    ("card", "pin", "message"),
    [
        ("9999999999", "", "does not know this card number"),
        ("5555555555", "", "cannot be used for loans"),
        ("1234567890", "0000", "The PIN does not match"),
    ],
)
def test_an_unknown_or_blocked_card_or_a_wrong_pin_stops_the_request(
    client: Client, county: County, sip2: Sip2Server, card: str, pin: str, message: str
) -> None:
    checks_at(county, sip2.url, requires_pin=bool(pin))
    response = client.post("/fjarrlan/ny/", form_data(county, card_number=card, pin=pin), **EN)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Request.objects.exists()
    assert pin not in response.content.decode() or not pin  # the PIN is never echoed back


def test_the_pin_goes_to_the_library_system_and_is_never_stored(
    client: Client, county: County, sip2: Sip2Server
) -> None:
    checks_at(county, sip2.url, requires_pin=True)
    without = client.post("/fjarrlan/ny/", form_data(county), **EN)
    assert without.status_code == 400 and "asks for the PIN" in without.content.decode()
    assert client.post("/fjarrlan/ny/", form_data(county, pin="4321")).status_code == 302
    assert any("AD4321|" in line for line in sip2.received)
    req = Request.objects.get()
    assert req.card_checked_at is not None
    stored = " ".join(str(v) for v in Request.objects.filter(pk=req.pk).values().get().values())
    assert "4321" not in stored


def _not_checked(client: Client, county: County) -> Request:
    started = time.monotonic()
    assert client.post("/fjarrlan/ny/", form_data(county)).status_code == 302  # stored, never blocked
    assert time.monotonic() - started < 3
    req = Request.objects.get()
    assert req.card_checked_at is None
    return req


def test_a_hanging_system_times_out_and_the_request_is_stored_unchecked(
    client: Client, county: County, settings: Any
) -> None:
    settings.AVAILABILITY_TIMEOUT = 10  # the library's own shorter timeout_ms wins
    with HangingServer() as hanging:
        checks_at(county, f"127.0.0.1:{hanging.port}", options={"timeout_ms": 300})
        assert _not_checked(client, county).card_not_checked == CardNotChecked.TIMEOUT


def test_a_garbage_answer_is_stored_unchecked_with_its_reason(
    client: Client, county: County, sip2: Sip2Server
) -> None:
    sip2.garbage = True
    checks_at(county, sip2.url)
    assert _not_checked(client, county).card_not_checked == CardNotChecked.GARBAGE


def test_a_down_system_opens_the_breaker_and_is_not_asked_again(
    client: Client, county: County, settings: Any
) -> None:
    settings.AVAILABILITY_BREAKER_FAILURES = 1
    checks_at(county, f"127.0.0.1:{closed_port()}")
    assert _not_checked(client, county).card_not_checked == CardNotChecked.DOWN
    assert breaker.is_open(breaker_key(county.sods))


def test_the_staff_queue_shows_the_card_check(client: Client, county: County, sip2: Sip2Server) -> None:
    checks_at(county, sip2.url)
    client.post("/fjarrlan/ny/", form_data(county))
    sip2.garbage = True
    client.post(
        "/fjarrlan/ny/", form_data(county, card_number="1111111111", record="", title="Okänd bok")
    )  # no record: title
    sara = Client()
    sara.login(username="sara", password=PASSWORD)
    page = sara.get("/staff/ill/outgoing/", **EN).content.decode()
    assert "card checked at" in page and "card not checked" in page
