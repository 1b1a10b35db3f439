"""Moving a request through the state machine: one locked, recorded step at a time.

`perform()` locks the request row (select_for_update), checks the action is allowed from the
current state for this side, applies it, records an Event and queues patron mail in the outbox.
Two librarians clicking at once: the second waits for the lock, then finds the state changed and
gets `InvalidTransition` instead of corrupting the request. A refusal leaves the request "sent"
(to the next lender), so the state alone cannot tell a stale click: a staff action also names what
its page showed (`Seen`: state and current lender), and a lender acts only while it is the current
lender; both are checked under the lock (`StaleAction`).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Library
from ill import iso_outgoing, outbox
from ill.clock import answer_deadline
from ill.models import Event, OutboxMessage, Request, RotaEntry
from ill.promise import from_lender, in_hand, promise
from ill.states import ACTIONS, FINAL_STATES, PATRON_CANCELLABLE, Action, RefusalReason, Side, State


class InvalidTransition(Exception):
    """The action is not possible from the request's current state (or not for this side)."""


class StaleAction(InvalidTransition):
    """The request moved on after the page was shown (a double click, or someone else acted first)."""


@dataclass(frozen=True)
class Seen:
    """What the staff page showed when the action was chosen: the request's state and current lender."""

    state: str
    lender_id: int | None


@dataclass(frozen=True)
class Actor:
    """Who takes an action: a staff user acting for a library, the patron, or the system clock."""

    side: Side
    user: User | None = None
    library: Library | None = None


SYSTEM = Actor(Side.SYSTEM)
PATRON = Actor(Side.PATRON)


def allowed_actions(request: Request, sides: set[Side]) -> list[Action]:
    return [a for a in ACTIONS.values() if request.state in a.sources and a.sides & sides]


def perform(
    request_id: int,
    action_name: str,
    actor: Actor,
    note: str = "",
    reason: str = "",
    now: datetime | None = None,
    base_url: str = "",
    seen: Seen | None = None,
) -> Request:
    """Apply one action to a request inside a transaction holding its row lock.

    `seen` (staff pages always pass it): the action is refused with `StaleAction` unless the
    request still is in that state with that current lender.
    """
    now = now or timezone.now()
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidTransition(_("Unknown action."))
    if action.name != "refuse":
        reason = ""  # a refusal reason belongs to refusals only
    with transaction.atomic():
        request = Request.objects.select_for_update().get(pk=request_id)
        _check_not_stale(request, actor, seen)
        patron_too_late = actor.side == Side.PATRON and request.state not in PATRON_CANCELLABLE
        if request.state not in action.sources or actor.side not in action.sides or patron_too_late:
            raise InvalidTransition(
                _("This step is not possible now (the request is “%s”).") % request.get_state_display()
            )
        if action.needs_note and not note.strip():
            raise InvalidTransition(_("Write a note for this step."))
        before = request.state
        _apply(request, action, actor, note, reason, now, base_url)
        if request.state in FINAL_STATES and request.closed_at is None:
            request.closed_at = now
        request.save()
        Event.objects.create(
            request=request,
            action=action.name,
            from_state=before,
            to_state=request.state,
            actor=actor.user,
            by_patron=actor.side == Side.PATRON,
            library=actor.library,
            note=_event_note(note, reason),
            at=now,
        )
        iso_outgoing.after_step(request, action.name, now)
    return request


def _check_not_stale(request: Request, actor: Actor, seen: Seen | None) -> None:
    # A lender answers for itself only: never for the library asked after it.
    lender_moved = (
        actor.side == Side.LENDER
        and actor.library is not None
        and request.current_lender_id != actor.library.pk
    )
    page_moved = seen is not None and (seen.state, seen.lender_id) != (
        request.state,
        request.current_lender_id,
    )
    if lender_moved or page_moved:
        raise StaleAction(
            _(
                "The request changed before your step was taken (it is now “%s”). Nothing was done: "
                "check the request and try again."
            )
            % request.get_state_display()
        )


def _event_note(note: str, reason: str) -> str:
    if reason:
        label = dict(RefusalReason.choices).get(reason, reason)
        return f"{label}: {note}".strip(": ") if note else str(label)
    return note


def _apply(
    request: Request, action: Action, actor: Actor, note: str, reason: str, now: datetime, base_url: str
) -> None:
    if action.name in {"send", "refuse", "expire"}:
        if action.name != "send":
            _close_current_entry(
                request,
                RotaEntry.Status.REFUSED if action.name == "refuse" else RotaEntry.Status.EXPIRED,
                reason,
                now,
            )
        _ask_next_lender(request, now)
        return
    assert action.target is not None
    if action.name == "accept":
        RotaEntry.objects.filter(
            request=request, library=request.current_lender, status=RotaEntry.Status.ASKED
        ).update(status=RotaEntry.Status.ACCEPTED, answered_at=now)
        request.deadline = None
    elif action.name == "cancel" and request.state == State.SENT:
        _close_current_entry(request, RotaEntry.Status.WITHDRAWN, "", now)
    elif action.name == "escalate":
        request.escalated_to = note.strip()[:200]
    request.state = action.target
    if action.name in {"accept", "ship"} and request.current_lender and request.pickup_library:
        promise(request, in_hand(request, request.current_lender, now))
    elif action.name == "receive":
        request.arrived_at = now
    if action.name == "notify":
        outbox.queue_for_request(request, OutboxMessage.Kind.READY, base_url, now)
    elif action.name == "not_fulfilled":
        outbox.queue_for_request(request, OutboxMessage.Kind.NOT_POSSIBLE, base_url, now)
    elif action.name == "cancel" and actor.side != Side.PATRON:
        outbox.queue_for_request(request, OutboxMessage.Kind.CANCELLED, base_url, now)
    elif action.name == "partner_unfilled":
        outbox.queue_for_request(request, OutboxMessage.Kind.PARTNER_UNFILLED, base_url, now)


def _close_current_entry(request: Request, status: str, reason: str, now: datetime) -> None:
    RotaEntry.objects.filter(
        request=request, library=request.current_lender, status=RotaEntry.Status.ASKED
    ).update(status=status, answered_at=now, refusal_reason=reason)
    request.current_lender = None
    request.deadline = None


def _ask_next_lender(request: Request, now: datetime) -> None:
    entry = request.rota.filter(status=RotaEntry.Status.WAITING).order_by("position").first()
    if entry is None and request.pickup_library_id is None:
        # A partner's ISO 18626 request names one county library: nobody else is asked.
        request.state = State.NOT_FULFILLED
        return
    if entry is None:
        promise(request, None)
        request.state = State.EXHAUSTED
        outbox.queue_for_request(request, OutboxMessage.Kind.ROTA_EXHAUSTED, now=now)
        return
    entry.status, entry.asked_at = RotaEntry.Status.ASKED, now
    entry.save(update_fields=["status", "asked_at"])
    request.state = State.SENT
    request.current_lender = entry.library
    request.deadline = answer_deadline(now)
    promise(request, from_lender(request, entry.library, now))


def advance_overdue(now: datetime | None = None) -> list[int]:
    """Move every request whose lender has not answered by the deadline on to the next lender."""
    now = now or timezone.now()
    moved = []
    overdue = Request.objects.filter(state=State.SENT, deadline__lt=now).values_list("pk", flat=True)
    for pk in list(overdue):
        try:
            perform(pk, "expire", SYSTEM, note="", now=now)
        except InvalidTransition:  # answered meanwhile
            continue
        moved.append(pk)
    return moved
