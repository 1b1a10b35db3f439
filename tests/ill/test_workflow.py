"""The state machine: every action from every state (valid and invalid), sides, history, row locks."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from ill.models import Event, OutboxMessage, Request
from ill.states import ACTIONS, FINAL_STATES, Side, State
from ill.workflow import PATRON, Actor, InvalidTransition, perform
from tests.conftest import needs_postgres
from tests.world.ill import County, place_request

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BORROWER, LENDER = Actor(Side.BORROWER), Actor(Side.LENDER)

# How to reach each state from "new" (the rota is Nyks, Li, G).
PATHS: dict[str, list[str]] = {
    State.NEW: [],
    State.SENT: ["send"],
    State.ACCEPTED: ["send", "accept"],
    State.SHIPPED: ["send", "accept", "ship"],
    State.RECEIVED: ["send", "accept", "ship", "receive"],
    State.NOTIFIED: ["send", "accept", "ship", "receive", "notify"],
    State.PICKED_UP: ["send", "accept", "ship", "receive", "notify", "pick_up"],
    State.RETURN_SHIPPED: ["send", "accept", "ship", "receive", "notify", "pick_up", "ship_return"],
    State.RETURN_RECEIVED: [
        "send",
        "accept",
        "ship",
        "receive",
        "notify",
        "pick_up",
        "ship_return",
        "receive_return",
    ],
    State.CLOSED: [
        *["send", "accept", "ship", "receive", "notify", "pick_up", "ship_return", "receive_return"],
        "close",
    ],
    State.EXHAUSTED: ["send", "refuse", "refuse", "refuse"],
    State.ESCALATED: ["send", "refuse", "refuse", "refuse", "escalate"],
    State.CANCELLED: ["cancel"],
    State.NOT_FULFILLED: ["not_fulfilled"],
}


def actor_for(action: str) -> Actor:
    sides = ACTIONS[action].sides
    if Side.SYSTEM in sides:
        return Actor(Side.SYSTEM)
    if Side.PARTNER in sides:  # a partner outside the county, by ISO 18626 message
        return Actor(Side.PARTNER)
    return LENDER if Side.LENDER in sides else BORROWER


def step(req: Request, action: str) -> Request:
    return perform(
        req.pk,
        action,
        actor_for(action),
        note="LIBRIS" if action == "escalate" else "",
        reason="other",
        now=NOW,
    )


def request_in(county: County, state: str, card: str = "1234567890") -> Request:
    req = place_request(county, NOW, card_number=card)
    for action in PATHS[state]:
        req = step(req, action)
    assert req.state == state
    return req


def test_the_paths_cover_every_state() -> None:
    assert set(PATHS) == set(State.values)


VALID = [
    (action, state)
    for action in sorted(ACTIONS)
    for state in State.values
    if state in ACTIONS[action].sources
]


@pytest.mark.parametrize(("action", "state"), VALID)
def test_every_valid_transition(county: County, action: str, state: str) -> None:
    req = request_in(county, state)
    after = step(req, action)
    if ACTIONS[action].target is not None:
        assert after.state == ACTIONS[action].target
    else:  # send/refuse/expire: the next lender in the rota, or nobody left
        assert after.state in {State.SENT, State.EXHAUSTED}
    assert after.events.latest("at", "pk").action == action


def test_every_invalid_transition_is_refused_and_changes_nothing(county: County) -> None:
    for i, state in enumerate(State.values):
        req = request_in(county, state, card=f"{i:010d}")
        events_before = req.events.count()
        for action in ACTIONS:
            if state in ACTIONS[action].sources:
                continue
            with pytest.raises(InvalidTransition):
                step(req, action)
            req.refresh_from_db()
            assert req.state == state, (action, state)
        assert req.events.count() == events_before


def test_the_wrong_side_cannot_act(county: County) -> None:
    req = request_in(county, State.SENT)
    with pytest.raises(InvalidTransition):
        perform(req.pk, "accept", BORROWER)
    with pytest.raises(InvalidTransition):
        perform(req.pk, "cancel", PATRON)  # the patron may cancel only before it is sent
    shipped = request_in(county, State.SHIPPED, card="5555555555")
    with pytest.raises(InvalidTransition):
        perform(shipped.pk, "receive", LENDER)


@pytest.mark.sqlite
def test_every_transition_is_recorded_with_who_when_and_note(county: County) -> None:
    req = request_in(county, State.SENT)
    perform(req.pk, "refuse", LENDER, note="Saknas på hyllan", reason="not_on_shelf", now=NOW)
    event = req.events.get(action="refuse")
    assert (event.from_state, event.to_state, event.at) == (State.SENT, State.SENT, NOW)
    assert "Saknas på hyllan" in event.note
    assert req.rota.get(library=county.nyks).refusal_reason == "not_on_shelf"


def test_escalation_needs_a_note(county: County) -> None:
    req = request_in(county, State.EXHAUSTED)
    with pytest.raises(InvalidTransition):
        perform(req.pk, "escalate", BORROWER, note="  ")


def test_final_states_set_closed_at_and_patron_mail_is_queued(county: County) -> None:
    req = request_in(county, State.NOTIFIED)
    assert OutboxMessage.objects.filter(request=req, kind=OutboxMessage.Kind.READY).count() == 1
    nf = request_in(county, State.NOT_FULFILLED, card="7777777777")
    assert nf.closed_at == NOW
    assert nf.state in FINAL_STATES
    assert OutboxMessage.objects.filter(request=nf, kind=OutboxMessage.Kind.NOT_POSSIBLE).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_librarians_clicking_at_once_cannot_corrupt_a_request() -> None:
    from tests.world.ill import make_county

    county = make_county()
    req = request_in(county, State.SENT)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(action: str, reason: str) -> None:
        try:
            barrier.wait()
            perform(req.pk, action, LENDER, reason=reason)
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("invalid")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=click, args=("accept", "")),
        threading.Thread(target=click, args=("accept", "")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["invalid", "ok"]
    req.refresh_from_db()
    assert req.state == State.ACCEPTED
    assert Event.objects.filter(request=req, action="accept").count() == 1


def test_the_patron_is_told_when_the_library_cancels_but_not_when_they_cancel_themselves(
    county: County,
) -> None:
    by_library = perform(request_in(county, State.SENT).pk, "cancel", BORROWER, now=NOW)
    by_patron = perform(request_in(county, State.NEW, card="7777777777").pk, "cancel", PATRON, now=NOW)
    notice = OutboxMessage.objects.get(request=by_library, kind=OutboxMessage.Kind.CANCELLED)
    assert notice.to == by_library.email and "avbruten" in notice.subject
    assert county.sods.name in notice.body
    assert not OutboxMessage.objects.filter(request=by_patron, kind=OutboxMessage.Kind.CANCELLED).exists()
