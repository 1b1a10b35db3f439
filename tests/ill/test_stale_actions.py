"""A staff click acts on the request as its page showed it, never on whoever was asked next.

Without that check a double-clicked *Refuse* also refused the next lender's entry, and an
*Accept* racing a regional *Refuse* accepted for the library asked next.
"""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client

from ill.models import Request, RotaEntry
from ill.states import Side, State
from ill.workflow import Actor, Seen, StaleAction, perform
from tests.conftest import needs_postgres
from tests.world.ill import County, make_county, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REFUSE = {"action": "refuse", "reason": "on_loan"}
LIBRARIAN = {"Nyks": "nils", "Li": "lina"}


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def as_shown(req: Request) -> dict[str, object]:
    """The hidden fields the detail page renders for the request as it is now."""
    req.refresh_from_db()
    return {"state": req.state, "lender": req.current_lender_id or ""}


def sent_request(county: County, card: str = "1234567890") -> Request:
    req = place_request(county, NOW, card_number=card)
    return perform(req.pk, "send", Actor(Side.BORROWER), now=NOW)


def statuses(req: Request) -> dict[str, str]:
    return {e.library.code: e.status for e in req.rota.select_related("library")}


def first_two_lenders(req: Request) -> tuple[str, str]:
    """The rota balances load: after a few loans Linköping may be asked before Nyköping."""
    first, second = req.rota.select_related("library").order_by("position")[:2]
    return first.library.code, second.library.code


@pytest.mark.sqlite
def test_the_page_renders_the_state_and_lender_it_shows(county: County) -> None:
    req = sent_request(county)
    html = signed_in("nils").get(f"/staff/ill/{req.pk}/").content.decode()
    assert 'name="state" value="sent"' in html
    assert f'name="lender" value="{county.nyks.pk}"' in html


@pytest.mark.sqlite
def test_a_second_refuse_from_the_same_page_does_not_refuse_the_next_lender(county: County) -> None:
    req = sent_request(county)
    page = as_shown(req)
    regina = signed_in("regina")  # regional staff may act for every lender, so only the page can tell
    regina.post(f"/staff/ill/{req.pk}/act/", {**REFUSE, **page})
    response = regina.post(f"/staff/ill/{req.pk}/act/", {**REFUSE, **page}, follow=True)
    req.refresh_from_db()
    assert (req.state, req.current_lender) == (State.SENT, county.li)
    assert statuses(req)["Nyks"] == RotaEntry.Status.REFUSED
    assert statuses(req)["Li"] == RotaEntry.Status.ASKED
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    # Nor can the page Nyks was shown accept on Li's behalf.
    regina.post(f"/staff/ill/{req.pk}/act/", {"action": "accept", **page})
    req.refresh_from_db()
    assert req.state == State.SENT and statuses(req)["Li"] == RotaEntry.Status.ASKED
    assert req.events.filter(action="refuse").count() == 1


@pytest.mark.sqlite
def test_a_borrower_action_from_an_out_of_date_page_changes_nothing(county: County) -> None:
    req = sent_request(county)
    page = as_shown(req)  # Södertälje looks at the request while Nyköping answers
    signed_in("nils").post(f"/staff/ill/{req.pk}/act/", {"action": "accept", **as_shown(req)})
    signed_in("sara").post(f"/staff/ill/{req.pk}/act/", {"action": "cancel", **page})
    req.refresh_from_db()
    assert req.state == State.ACCEPTED


@pytest.mark.sqlite
def test_an_action_without_the_page_state_changes_nothing(county: County) -> None:
    req = sent_request(county)
    for posted in [{}, {"state": "sent"}, {"state": "sent", "lender": "²"}, {"state": "x", "lender": ""}]:
        signed_in("nils").post(f"/staff/ill/{req.pk}/act/", {"action": "accept", **posted})
        req.refresh_from_db()
        assert req.state == State.SENT, posted


@pytest.mark.sqlite
def test_perform_lets_a_lender_answer_only_while_it_is_the_current_lender(county: County) -> None:
    req = sent_request(county)
    nyks = Actor(Side.LENDER, library=county.nyks)
    perform(req.pk, "refuse", nyks, reason="on_loan", now=NOW)
    with pytest.raises(StaleAction):
        perform(req.pk, "refuse", nyks, reason="on_loan", now=NOW)
    with pytest.raises(StaleAction):
        perform(req.pk, "accept", Actor(Side.LENDER), seen=Seen(State.SENT, county.nyks.pk), now=NOW)
    req.refresh_from_db()
    assert statuses(req)["Li"] == RotaEntry.Status.ASKED
    perform(req.pk, "accept", Actor(Side.LENDER, library=county.li), seen=Seen(State.SENT, county.li.pk))


def post_at_once(posts: list[tuple[Client, str, dict[str, object]]]) -> None:
    """Send the posts from threads released together by a barrier (a double click, two people)."""
    barrier = threading.Barrier(len(posts))

    def send(client: Client, url: str, data: dict[str, object]) -> None:
        try:
            barrier.wait()
            client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_clicked_refuse_refuses_once_on_postgresql() -> None:
    county = make_county()
    for attempt in range(6):
        req = sent_request(county, card=f"12345678{attempt:02d}")
        first, second = first_two_lenders(req)
        url, data = f"/staff/ill/{req.pk}/act/", {**REFUSE, **as_shown(req)}
        post_at_once([(signed_in(LIBRARIAN[first]), url, data), (signed_in(LIBRARIAN[first]), url, data)])
        req.refresh_from_db()
        assert req.current_lender.code == second, attempt  # type: ignore[union-attr]
        assert statuses(req) == {first: "refused", second: "asked", "G": "waiting"}, attempt


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_accept_racing_a_regional_refuse_never_accepts_for_the_next_lender_on_postgresql() -> None:
    county = make_county()
    for attempt in range(6):
        req = sent_request(county, card=f"12345678{attempt:02d}")
        first, second = first_two_lenders(req)
        url, page = f"/staff/ill/{req.pk}/act/", as_shown(req)
        post_at_once(
            [
                (signed_in(LIBRARIAN[first]), url, {"action": "accept", **page}),
                (signed_in("regina"), url, {**REFUSE, **page}),
            ]
        )
        req.refresh_from_db()
        rota = statuses(req)
        accepted = rota[first] == "accepted" and rota[second] == "waiting"
        refused = rota[first] == "refused" and rota[second] == "asked"
        assert accepted != refused, (attempt, rota)
        assert req.state == (State.ACCEPTED if accepted else State.SENT), attempt
        assert req.current_lender.code == (first if accepted else second), attempt  # type: ignore[union-attr]
        assert req.events.exclude(action__in=["create", "send"]).count() == 1, attempt
