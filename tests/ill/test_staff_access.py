"""Access control on every staff fjärrlån page, between two libraries' librarians and regional staff."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ill.models import Request
from ill.states import Side, State
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATRON_DATA = ["Patrik Patron", "1234567890", "patrik@example.org", "Gärna före jul"]


def pages(req: Request) -> list[str]:
    return [
        "/staff/",
        "/staff/ill/incoming/",
        "/staff/ill/outgoing/",
        f"/staff/ill/{req.pk}/",
        f"/staff/ill/{req.pk}/label/",
        "/staff/ill/picklist/",
    ]


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def sent(county: County) -> Request:
    req = place_request(county, NOW)
    return perform(req.pk, "send", Actor(Side.BORROWER), now=NOW)


def shown(req: Request) -> dict[str, object]:
    """The hidden fields the detail page posts with an action: the state and lender it showed."""
    req.refresh_from_db()
    return {"state": req.state, "lender": req.current_lender_id or ""}


def assert_no_patron_data(html: str) -> None:
    for value in PATRON_DATA:
        assert value not in html


@pytest.mark.sqlite
def test_anonymous_is_sent_to_login_everywhere(client: Client, sent: Request) -> None:
    for url in [
        *pages(sent),
        "/staff/ill/statistics/",
        "/staff/ill/rules/",
        f"/staff/ill/{sent.pk}/iso18626.xml",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/login/"), url
    assert client.post(f"/staff/ill/{sent.pk}/act/", {"action": "accept", **shown(sent)}).status_code == 302
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_borrowing_librarian_sees_patron_details(county: County, sent: Request) -> None:
    client = signed_in(county.sods_librarian)
    for url in pages(sent):
        assert client.get(url).status_code == 200, url
    assert sent.number in client.get("/staff/ill/outgoing/").content.decode()
    assert sent.number not in client.get("/staff/ill/incoming/").content.decode()
    detail = client.get(f"/staff/ill/{sent.pk}/").content.decode()
    for value in PATRON_DATA:
        assert value in detail
    assert client.get("/staff/ill/statistics/").status_code == 403


def test_current_lender_sees_the_request_but_never_the_patron(county: County, sent: Request) -> None:
    client = signed_in(county.nyks_librarian)
    for url in pages(sent):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_patron_data(response.content.decode())
    assert sent.number in client.get("/staff/ill/incoming/").content.decode()
    assert sent.number not in client.get("/staff/ill/outgoing/").content.decode()
    # The lender may accept, not act for the borrower.
    client.post(f"/staff/ill/{sent.pk}/act/", {"action": "cancel", **shown(sent)})
    sent.refresh_from_db()
    assert sent.state == State.SENT
    client.post(f"/staff/ill/{sent.pk}/act/", {"action": "accept", "note": "Finns", **shown(sent)})
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED
    event = sent.events.get(action="accept")
    assert (event.actor, event.library, event.note) == (county.nyks_librarian, county.nyks, "Finns")
    picklist = client.get("/staff/ill/picklist/").content.decode()
    assert sent.number in picklist and "Hc Strindberg" in picklist and "Södertälje stadsbibliotek" in picklist
    assert_no_patron_data(picklist)


def test_a_library_not_yet_asked_sees_nothing(county: County, sent: Request) -> None:
    client = signed_in(county.li_librarian)
    assert client.get(f"/staff/ill/{sent.pk}/").status_code == 404
    assert client.get(f"/staff/ill/{sent.pk}/label/").status_code == 404
    assert client.post(f"/staff/ill/{sent.pk}/act/", {"action": "accept", **shown(sent)}).status_code == 404
    for url in ["/staff/", "/staff/ill/incoming/", "/staff/ill/outgoing/", "/staff/ill/picklist/"]:
        html = client.get(url).content.decode()
        assert sent.number not in html and "Röda rummet" not in html, url


def test_previous_lender_keeps_read_access_but_cannot_act(county: County, sent: Request) -> None:
    nils = signed_in(county.nyks_librarian)
    nils.post(f"/staff/ill/{sent.pk}/act/", {"action": "refuse", "reason": "on_loan", **shown(sent)})
    sent.refresh_from_db()
    assert sent.current_lender == county.li
    detail = nils.get(f"/staff/ill/{sent.pk}/")
    assert detail.status_code == 200
    assert_no_patron_data(detail.content.decode())
    assert sent.number not in nils.get("/staff/ill/incoming/").content.decode()
    nils.post(f"/staff/ill/{sent.pk}/act/", {"action": "accept", **shown(sent)})
    sent.refresh_from_db()
    assert sent.state == State.SENT
    lina = signed_in(county.li_librarian)
    assert sent.number in lina.get("/staff/ill/incoming/").content.decode()


def test_refusing_needs_a_reason(county: County, sent: Request) -> None:
    client = signed_in(county.nyks_librarian)
    client.post(f"/staff/ill/{sent.pk}/act/", {"action": "refuse", **shown(sent)})
    sent.refresh_from_db()
    assert sent.current_lender == county.nyks


def test_regional_staff_see_everything_but_patron_contact(county: County, sent: Request) -> None:
    client = signed_in(county.regional)
    for url in [*pages(sent), "/staff/ill/statistics/", "/staff/ill/statistics/?format=csv"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_patron_data(response.content.decode())


def test_staff_actions_are_csrf_protected(county: County, sent: Request) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username="nils", password=PASSWORD)
    assert client.post(f"/staff/ill/{sent.pk}/act/", {"action": "accept", **shown(sent)}).status_code == 403


def test_queue_filters_counts_and_overdue(county: County, sent: Request) -> None:
    client = signed_in(county.nyks_librarian)
    page = client.get("/staff/ill/incoming/?overdue=1")
    assert sent.number in page.content.decode()  # NOW is long past: the deadline has passed
    assert 'class="overdue"' in page.content.decode()
    assert dict((v, n) for v, _label, n in page.context["counts"])[State.SENT] == 1
    assert sent.number not in client.get("/staff/ill/incoming/?state=accepted").content.decode()
