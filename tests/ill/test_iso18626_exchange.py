"""ISO 18626 with a partner outside the county: a real peer on 127.0.0.1 plays the other side.

Samsök as requester (a county patron borrows from the partner) and as supplier (the partner
borrows from a county library), whole loans and the unfilled and cancel paths; a partner that is
down loses nothing; no patron data leaves the county.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from lxml import etree

from ill import outbox
from ill.models import IsoMessage, IsoPartner, IsoTransaction, Request
from ill.states import Side, State
from ill.workflow import Actor, perform
from tests.ill.iso_peer import IsoPeer, N
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

ENDPOINT = "/ill/iso18626"
PRIVATE = ("Patrik", "1234567890", "patrik@example.org", "Gärna före jul")


@pytest.fixture
def peer(shared_testdata: Path) -> Iterator[IsoPeer]:
    with IsoPeer(shared_testdata / "iso18626-ill") as server:
        yield server


@pytest.fixture
def partner(peer: IsoPeer) -> IsoPartner:
    return IsoPartner.objects.create(
        name="Det Kgl. Bibliotek", agency_id=peer.agency_id, endpoint_url=peer.url, networks="127.0.0.1"
    )


def status_of(answer: etree._Element) -> str:
    found = answer.find(".//i:messageStatus", N)
    return found.text if found is not None and found.text else ""


def deliver() -> None:
    _sent, failed = outbox.send_due_iso()
    assert failed == 0


def exhausted(county: County) -> Request:
    """A request no county library could lend: every lender in the rota refused."""
    req = place_request(county, timezone.now())
    req.isbn = "9789100000001"
    req.save()
    req = perform(req.pk, "send", Actor(Side.BORROWER, county.sods_librarian, county.sods))
    while req.state == State.SENT:
        assert req.current_lender is not None
        req = perform(req.pk, "refuse", Actor(Side.LENDER, None, req.current_lender), reason="on_loan")
    assert req.state == State.EXHAUSTED
    return req


def escalate(county: County, partner: IsoPartner) -> Request:
    req = exhausted(county)
    sara = Client()
    sara.login(username="sara", password=PASSWORD)
    sara.post(f"/staff/ill/{req.pk}/partner/", {"partner": partner.pk})
    req.refresh_from_db()
    assert req.state == State.ESCALATED
    deliver()
    return req


def borrower_does(county: County, req: Request, *steps: str) -> Request:
    for step in steps:
        req = perform(req.pk, step, Actor(Side.BORROWER, county.sods_librarian, county.sods))
    deliver()
    return req


def test_samsok_borrows_a_whole_loan_from_a_partner(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    endpoint = live_server.url + ENDPOINT
    req = escalate(county, partner)
    sent = peer.last("request")
    assert sent.schema_errors == []
    assert sent.root.find(".//i:patronInfo", N) is None  # no patron data leaves the county
    assert not any(private.encode() in sent.raw for private in PRIVATE)
    assert sent.text(".//i:requestingAgencyId/i:agencyIdValue") == "SE-Sods"
    assert sent.text(".//i:requestingAgencyRequestId") == req.number
    assert sent.text(".//i:bibliographicItemIdentifier") == "9789100000001"

    for status, reason, state in [
        ("WillSupply", "RequestResponse", State.ESCALATED),
        ("Loaned", "StatusChange", State.SHIPPED),
    ]:
        answer = peer.post(endpoint, peer.supplying("SE-Sods", req.number, status, reason))
        assert status_of(answer) == "OK"
        req.refresh_from_db()
        assert req.state == state
    assert IsoTransaction.objects.get(request=req).partner_request_id == f"peer-{req.number}"

    req = borrower_does(county, req, "receive")
    assert peer.last("requestingAgencyMessage").text(".//i:action") == "Received"
    req = borrower_does(county, req, "notify", "pick_up", "ship_return")
    returned = peer.last("requestingAgencyMessage")
    assert returned.text(".//i:action") == "ShippedReturn" and returned.schema_errors == []
    assert returned.text(".//i:supplyingAgencyRequestId") == f"peer-{req.number}"

    answer = peer.post(endpoint, peer.supplying("SE-Sods", req.number, "LoanCompleted"))
    assert status_of(answer) == "OK"
    req.refresh_from_db()
    assert req.state == State.CLOSED
    messages = IsoMessage.objects.filter(request=req)
    assert [m.direction for m in messages].count("in") == 3
    assert all(m.sent_at and "<" in m.confirmation for m in messages if m.direction == "out")
    assert all(m.error == "" for m in messages)
    assert {e.action for e in req.events.all()} >= {
        "escalate",
        "iso18626",
        "partner_loaned",
        "partner_completed",
    }


def test_a_partner_that_cannot_lend_gives_the_request_back(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    req = escalate(county, partner)
    answer = peer.post(
        live_server.url + ENDPOINT, peer.supplying("SE-Sods", req.number, "Unfilled", "RequestResponse")
    )
    assert status_of(answer) == "OK"
    req.refresh_from_db()
    assert req.state == State.EXHAUSTED  # the librarian may ask another partner or LIBRIS
    sara = Client()
    sara.login(username="sara", password=PASSWORD)
    page = sara.get(f"/staff/ill/{req.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="libris-block"' in page and "Ask a library outside the county" in page
    other = IsoPartner.objects.create(
        name="Nasjonalbiblioteket", agency_id="NO-2000000", endpoint_url=peer.url, networks="127.0.0.1"
    )
    sara.post(f"/staff/ill/{req.pk}/partner/", {"partner": other.pk})
    deliver()
    req.refresh_from_db()
    assert req.state == State.ESCALATED and IsoTransaction.objects.get(request=req).partner == other
    assert peer.last("request").text(".//i:supplyingAgencyId/i:agencyIdValue") == "NO-2000000"


def test_withdrawing_from_a_partner_cancels_when_it_agrees(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    req = escalate(county, partner)
    sara = Client()
    sara.login(username="sara", password=PASSWORD)
    sara.post(f"/staff/ill/{req.pk}/partner/withdraw/")
    deliver()
    assert peer.last("requestingAgencyMessage").text(".//i:action") == "Cancel"
    req.refresh_from_db()
    assert req.state == State.ESCALATED  # until the partner answers
    peer.post(
        live_server.url + ENDPOINT, peer.supplying("SE-Sods", req.number, "Cancelled", "CancelResponse", "Y")
    )
    req.refresh_from_db()
    assert req.state == State.CANCELLED


def test_a_partner_that_is_down_gets_its_message_later(
    county: County, partner: IsoPartner, peer: IsoPeer
) -> None:
    peer.down = True
    req = exhausted(county)
    sara = Client()
    sara.login(username="sara", password=PASSWORD)
    sara.post(f"/staff/ill/{req.pk}/partner/", {"partner": partner.pk})
    assert outbox.send_due_iso() == (0, 1)
    message = IsoMessage.objects.get(request=req, direction="out")
    assert message.sent_at is None and message.attempts == 1 and "503" in message.last_error
    assert outbox.send_due_iso() == (0, 0)  # not yet due again
    peer.down = False
    assert outbox.send_due_iso(timezone.now() + timedelta(hours=1)) == (1, 0)
    assert peer.last("request").text(".//i:requestingAgencyRequestId") == req.number


def lender(county: County) -> Actor:
    return Actor(Side.LENDER, county.nyks_librarian, county.nyks)


def partner_request(county: County, peer: IsoPeer, endpoint: str, request_id: str) -> Request:
    answer = peer.post(endpoint, peer.request("SE-Nyks", request_id))
    assert status_of(answer) == "OK"
    exchange = IsoTransaction.objects.get(partner_request_id=request_id, role="supplier")
    return exchange.request


def test_samsok_lends_a_whole_loan_to_a_partner(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    endpoint = live_server.url + ENDPOINT
    req = partner_request(county, peer, endpoint, "peer-1")
    assert req.state == State.SENT and req.current_lender == county.nyks and req.pickup_library is None
    assert req.patron_name == "" and req.card_number == ""  # the partner's patronInfo is not kept
    assert all("patronInfo" not in m.body for m in IsoMessage.objects.filter(request=req))
    assert partner_request(county, peer, endpoint, "peer-1") == req  # a retried request is one request
    nils = Client()
    nils.login(username="nils", password=PASSWORD)
    assert "Lord of the Rings" in nils.get("/staff/ill/incoming/").content.decode()
    assert "Lord of the Rings" not in nils.get("/staff/ill/outgoing/").content.decode()

    steps = [("accept", "WillSupply"), ("ship", "Loaned")]
    for step, status in steps:
        req = perform(req.pk, step, lender(county))
        deliver()
        told = peer.last("supplyingAgencyMessage")
        assert told.text(".//i:status") == status and told.schema_errors == []
        assert told.text(".//i:requestingAgencyRequestId") == "peer-1"
        assert told.text(".//i:supplyingAgencyId/i:agencyIdValue") == "SE-Nyks"
    for action, state in [("Received", State.RECEIVED), ("ShippedReturn", State.RETURN_SHIPPED)]:
        assert status_of(peer.post(endpoint, peer.requesting("SE-Nyks", "peer-1", action))) == "OK"
        req.refresh_from_db()
        assert req.state == state
    req = perform(req.pk, "receive_return", lender(county))
    req = perform(req.pk, "close", lender(county))
    deliver()
    assert peer.last("supplyingAgencyMessage").text(".//i:status") == "LoanCompleted"
    assert req.state == State.CLOSED


def test_a_refusal_tells_the_partner_unfilled(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    req = partner_request(county, peer, live_server.url + ENDPOINT, "peer-2")
    req = perform(req.pk, "refuse", lender(county), reason="on_loan")
    deliver()
    assert req.state == State.NOT_FULFILLED and req.closed_at is not None
    told = peer.last("supplyingAgencyMessage")
    assert told.text(".//i:status") == "Unfilled" and told.text(".//i:reasonForMessage") == "RequestResponse"


def test_a_partner_cancels_before_we_ship_but_not_after(
    county: County, partner: IsoPartner, peer: IsoPeer, live_server: Any
) -> None:
    endpoint = live_server.url + ENDPOINT
    first = partner_request(county, peer, endpoint, "peer-3")
    peer.post(endpoint, peer.requesting("SE-Nyks", "peer-3", "Cancel"))
    deliver()
    first.refresh_from_db()
    told = peer.last("supplyingAgencyMessage")
    assert first.state == State.CANCELLED
    assert (told.text(".//i:status"), told.text(".//i:answerYesNo")) == ("Cancelled", "Y")

    second = partner_request(county, peer, endpoint, "peer-4")
    perform(second.pk, "accept", lender(county))
    perform(second.pk, "ship", lender(county))
    peer.post(endpoint, peer.requesting("SE-Nyks", "peer-4", "Cancel"))
    deliver()
    second.refresh_from_db()
    told = peer.last("supplyingAgencyMessage")
    assert second.state == State.SHIPPED
    assert (told.text(".//i:reasonForMessage"), told.text(".//i:answerYesNo")) == ("CancelResponse", "N")


def test_unknown_partner_and_unknown_request_get_error_confirmations(
    client: Client, county: County, partner: IsoPartner, peer: IsoPeer
) -> None:
    stranger = IsoPeer.__new__(IsoPeer)
    stranger.__dict__.update(peer.__dict__, agency_id="XX-NOBODY")
    answer = etree.fromstring(
        client.post(ENDPOINT, stranger.request("SE-Nyks", "x-1"), "application/xml").content
    )
    assert status_of(answer) == "ERROR"
    assert answer.find(".//i:errorType", N).text == "UnrecognisedDataValue"  # type: ignore[union-attr]
    unknown = client.post(ENDPOINT, peer.supplying("SE-Sods", "FL26-99999", "Loaned"), "application/xml")
    assert status_of(etree.fromstring(unknown.content)) == "ERROR"
    assert IsoMessage.objects.filter(direction="in").exclude(error="").count() == 2  # kept with the error


def test_a_message_in_a_partners_name_from_another_address_is_refused(
    client: Client, county: County, partner: IsoPartner, peer: IsoPeer
) -> None:
    """The endpoint has no login: a message is the partner's only from the partner's networks."""
    req = escalate(county, partner)
    forged = peer.supplying("SE-Sods", req.number, "Cancelled", "CancelResponse", "Y")
    answer = etree.fromstring(
        client.post(ENDPOINT, forged, "application/xml", REMOTE_ADDR="203.0.113.9").content
    )
    assert status_of(answer) == "ERROR"
    assert "does not send from this address" in answer.findtext(".//i:errorValue", "", N)
    req.refresh_from_db()
    assert req.state == State.ESCALATED  # nothing moved
    assert IsoMessage.objects.filter(direction="in", error__contains="does not send from").count() == 1
    partner.networks = "127.0.0.0/8\n203.0.113.0/24"
    partner.save()
    answer = etree.fromstring(
        client.post(ENDPOINT, forged, "application/xml", REMOTE_ADDR="203.0.113.9").content
    )
    assert status_of(answer) == "OK"
    req.refresh_from_db()
    assert req.state == State.CANCELLED


def test_a_partners_networks_must_be_addresses() -> None:
    partner = IsoPartner(
        name="X", agency_id="DK-1", endpoint_url="https://x.example/", networks="10.0.0.0/8\nnope"
    )
    with pytest.raises(ValidationError, match="nope"):
        partner.clean()
    assert not IsoPartner(networks="").sends_from("127.0.0.1")
