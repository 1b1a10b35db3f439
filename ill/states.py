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


B, L, S, P = Side.BORROWER, Side.LENDER, Side.SYSTEM, Side.PATRON
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
