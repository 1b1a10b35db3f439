"""The fjärrlån state machine: states, actions, who may take them and where they lead.

Declared once here; `ill.workflow` enforces it and the staff pages read it to offer buttons.
"""

from dataclasses import dataclass
from enum import Enum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    NEW = "new", _("new, to be reviewed")
    SENT = "sent", _("sent to lender")
    ACCEPTED = "accepted", _("accepted by lender")
    SHIPPED = "shipped", _("shipped")
    RECEIVED = "received", _("received")
    NOTIFIED = "notified", _("patron notified")
    PICKED_UP = "picked_up", _("picked up")
    RETURN_SHIPPED = "return_shipped", _("return shipped")
    RETURN_RECEIVED = "return_received", _("return received")
    CLOSED = "closed", _("closed")
    EXHAUSTED = "exhausted", _("no lender found")
    ESCALATED = "escalated", _("escalated outside the county")
    CANCELLED = "cancelled", _("cancelled")
    NOT_FULFILLED = "not_fulfilled", _("not fulfilled")


# The request ends here; retention (anonymization) counts from entering one of these.
FINAL_STATES = frozenset({State.CLOSED, State.CANCELLED, State.NOT_FULFILLED})
OPEN_STATES = frozenset(set(State) - FINAL_STATES)
# Before this point the patron may still cancel on the status page.
PATRON_CANCELLABLE = frozenset({State.NEW})


class Side(Enum):
    """Who acts: the borrowing (pickup) library, the current lender, or the system (deadline clock)."""

    BORROWER = "borrower"
    LENDER = "lender"
    SYSTEM = "system"
    PATRON = "patron"
    # A library outside the county, over ISO 18626 (ill.partners): its messages take these steps.
    PARTNER = "partner"


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    sources: frozenset[State]
    # None: the target depends on the rota (refuse/expire/send move to the next lender or "exhausted").
    target: State | None
    sides: frozenset[Side]
    needs_note: bool = False


def _action(
    name: str, label: Promise, sources: set[State], target: State | None, *sides: Side, note: bool = False
) -> Action:
    return Action(name, label, frozenset(sources), target, frozenset(sides), note)


B, L, S, P, X = Side.BORROWER, Side.LENDER, Side.SYSTEM, Side.PATRON, Side.PARTNER
# Where the item is while a partner has it or lends it: a completed loan closes from any of these.
ON_LOAN = {
    State.SHIPPED,
    State.RECEIVED,
    State.NOTIFIED,
    State.PICKED_UP,
    State.RETURN_SHIPPED,
    State.RETURN_RECEIVED,
}
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in [
        _action("send", _("Reviewed: send to lender"), {State.NEW}, None, B),
        _action("accept", _("Accept (we lend)"), {State.SENT}, State.ACCEPTED, L),
        _action("refuse", _("Refuse"), {State.SENT}, None, L),
        _action("expire", _("No answer before the deadline"), {State.SENT}, None, S),
        _action("ship", _("Shipped"), {State.ACCEPTED}, State.SHIPPED, L),
        _action("receive", _("Received"), {State.SHIPPED}, State.RECEIVED, B),
        _action("notify", _("Tell the patron it is ready"), {State.RECEIVED}, State.NOTIFIED, B),
        _action("pick_up", _("Picked up by the patron"), {State.NOTIFIED}, State.PICKED_UP, B),
        _action(
            "ship_return",
            _("Return shipped"),
            {State.PICKED_UP, State.NOTIFIED, State.RECEIVED},
            State.RETURN_SHIPPED,
            B,
        ),
        _action("receive_return", _("Return received"), {State.RETURN_SHIPPED}, State.RETURN_RECEIVED, L),
        _action("close", _("Close"), {State.RETURN_RECEIVED, State.ESCALATED}, State.CLOSED, L, B),
        _action(
            "escalate",
            _("Escalated (e.g. LIBRIS fjärrlån)"),
            {State.EXHAUSTED},
            State.ESCALATED,
            B,
            note=True,
        ),
        _action(
            "not_fulfilled",
            _("Not possible: tell the patron"),
            {State.NEW, State.EXHAUSTED, State.ESCALATED},
            State.NOT_FULFILLED,
            B,
        ),
        _action(
            "cancel",
            _("Cancel"),
            {State.NEW, State.SENT, State.ACCEPTED, State.EXHAUSTED},
            State.CANCELLED,
            B,
            P,
        ),
        # Steps a partner outside the county takes by ISO 18626 message (no new states: an escalated
        # request is with the partner; the item then moves through the same states as in the county).
        # We borrow from the partner (requester):
        _action("partner_loaned", _("Lent and shipped by the partner"), {State.ESCALATED}, State.SHIPPED, X),
        _action("partner_unfilled", _("The partner cannot lend"), {State.ESCALATED}, State.EXHAUSTED, X),
        _action("partner_cancelled", _("Cancelled by the partner"), {State.ESCALATED}, State.CANCELLED, X),
        _action("partner_completed", _("Loan completed by the partner"), ON_LOAN, State.CLOSED, X),
        # The partner borrows from a county library (we supply):
        _action("partner_received", _("Received by the partner"), {State.SHIPPED}, State.RECEIVED, X),
        _action(
            "partner_shipped_return",
            _("Return shipped by the partner"),
            {State.SHIPPED, State.RECEIVED},
            State.RETURN_SHIPPED,
            X,
        ),
        _action(
            "partner_cancel", _("Cancelled by the partner"), {State.SENT, State.ACCEPTED}, State.CANCELLED, X
        ),
    ]
}


class RefusalReason(models.TextChoices):
    ON_LOAN = "on_loan", _("on loan")
    NOT_ON_SHELF = "not_on_shelf", _("not on the shelf")
    NOT_FOR_LOAN = "not_for_loan", _("not for loan / reference")
    TOO_NEW = "too_new", _("too new to lend")
    DAMAGED = "damaged", _("damaged or lost")
    RESERVED = "reserved", _("reserved by own patrons")
    OTHER = "other", _("other")
