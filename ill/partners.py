"""Fjärrlån beyond the county over ISO 18626: ask a partner, and act on what partners send.

Samsök is the requester when a county library escalates a request no county library could lend
(`ask_partner`), and the supplier when a partner asks one of the county's libraries (`receive` of a
`request`: the request lands in that library's incoming queue, current lender, state "sent").
Partner messages take steps of the same state machine (ill.states, Side.PARTNER); status-only news
(will supply, overdue, recalled …) is written to the request's history. Every incoming message is
stored before it is acted on and answered with its confirmation; a broken one is stored with its
error and answered with an ERROR confirmation.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import Library
from ill import iso18626, iso_outgoing
from ill.clock import answer_deadline
from ill.iso18626 import UNRECOGNISED_VALUE, UNSUPPORTED_ACTION, Message, MessageError
from ill.models import Event, IsoMessage, IsoPartner, IsoTransaction, Request, RotaEntry
from ill.states import Side, State
from ill.workflow import Actor, InvalidTransition, perform

log = logging.getLogger(__name__)

PARTNER = Actor(Side.PARTNER)
# The partner's status (we borrow) → our step; other statuses are news for the history only.
STATUS_STEP = {
    "Loaned": "partner_loaned",
    "Unfilled": "partner_unfilled",
    "RetryPossible": "partner_unfilled",
    "Cancelled": "partner_cancelled",
    "LoanCompleted": "partner_completed",
    "CompletedWithoutReturn": "partner_completed",
    "CopyCompleted": "partner_completed",
}
# The partner's action (we lend) → our step.
ACTION_STEP = {
    "Received": "partner_received",
    "ShippedReturn": "partner_shipped_return",
    "Cancel": "partner_cancel",
}


def ask_partner(request_id: int, partner: IsoPartner, actor: Actor, now: datetime) -> Request:
    """Escalate a request no county library could lend to `partner`: the `request` message is queued."""
    with transaction.atomic():
        request = perform(request_id, "escalate", actor, note=str(partner), now=now)
        # After an earlier partner could not lend, the exchange moves on to this one.
        exchange, _created = IsoTransaction.objects.update_or_create(
            request=request,
            defaults={
                "partner": partner,
                "role": IsoTransaction.Role.REQUESTER,
                "our_agency_id": iso18626.our_agency_id(request.pickup_library)
                if request.pickup_library
                else "",
                "partner_request_id": "",
                "last_status": "",
            },
        )
        iso_outgoing.send_request(exchange, now)
    return request


def ask_partner_to_cancel(request: Request, actor: Actor, now: datetime) -> None:
    """The borrowing library withdraws an escalated request: Cancel; the partner's answer decides."""
    exchange = IsoTransaction.objects.select_related("partner", "request").get(
        request=request, role=IsoTransaction.Role.REQUESTER
    )
    if request.state != State.ESCALATED:
        raise InvalidTransition(_("Only a request still with the partner can be withdrawn."))
    iso_outgoing.send_action(exchange, "Cancel", now)
    _news(request, _("Asked the partner to cancel."), now, actor)


def receive(body: bytes, now: datetime, address: str) -> bytes:
    """Store one incoming message from `address`, act on it and return its confirmation (OK or ERROR).
    The message counts as a partner's only when it comes from one of the partner's networks."""
    message, error = iso18626.parse(body)
    stored = IsoMessage.objects.create(
        direction=IsoMessage.Direction.IN,
        kind=message.kind if message else "",
        summary=_summary(message),
        body=iso18626.without_patron(body).decode("utf-8", errors="replace"),
        error=str(error) if error else "",
        at=now,
    )
    if message is not None and error is None:
        try:
            with transaction.atomic():
                stored.request, stored.partner = _act(message, now, address)
        except MessageError as exc:
            error = exc
        except Exception as exc:  # our own failure: the message is kept, the partner may send it again
            stored.error = f"{type(exc).__name__}: {exc}"[:1000]
            stored.save(update_fields=["error"])
            raise
    stored.error = str(error) if error else ""
    answer = iso18626.confirmation(
        message.kind if message else "request",
        message.header if message else None,
        now,
        now,
        error,
        echo=(message.reason or message.action) if message and not error else "",
    )
    stored.confirmation = answer.decode("utf-8")
    stored.save(update_fields=["request", "partner", "error", "confirmation"])
    return answer


def _summary(message: Message | None) -> str:
    if message is None:
        return ""
    return (message.status or message.action or message.bib.get("title", ""))[:200]


def _partner(agency_id: str, element: str, address: str) -> IsoPartner:
    partner = IsoPartner.objects.filter(agency_id=agency_id, active=True).first()
    if partner is None:
        raise MessageError(UNRECOGNISED_VALUE, f"{element} {agency_id!r} is not a registered partner")
    if not partner.sends_from(address):
        log.warning("ISO 18626 message in the name of %s from %s refused", agency_id, address)
        raise MessageError(UNRECOGNISED_VALUE, f"{element} {agency_id!r} does not send from this address")
    return partner


def _act(message: Message, now: datetime, address: str) -> tuple[Request | None, IsoPartner | None]:
    if message.kind == "request":
        partner = _partner(message.header.requester, "requestingAgencyId", address)
        return _new_request(message, partner, now), partner
    if message.kind == "supplyingAgencyMessage":
        partner = _partner(message.header.supplier, "supplyingAgencyId", address)
        return _supplier_news(message, partner, now), partner
    if message.kind == "requestingAgencyMessage":
        partner = _partner(message.header.requester, "requestingAgencyId", address)
        return _requester_news(message, partner, now), partner
    raise MessageError(iso18626.BADLY_FORMED, f"{message.kind} is an answer, not a message to confirm")


def _new_request(message: Message, partner: IsoPartner, now: datetime) -> Request:
    """A partner asks one of the county's libraries: into that library's incoming queue."""
    known = IsoTransaction.objects.filter(
        partner=partner, role=IsoTransaction.Role.SUPPLIER, partner_request_id=message.header.requesting_id
    ).first()
    if known is not None:  # the same request again (the partner retried): one request
        return known.request
    code = iso18626.library_code(message.header.supplier)
    library = Library.objects.filter(code=code, lends_ill=True).first()
    if library is None:
        raise MessageError(
            UNRECOGNISED_VALUE, f"supplyingAgencyId {message.header.supplier!r} lends nothing here"
        )
    if not (message.bib.get("title") or message.bib.get("isbn")):
        raise MessageError(iso18626.UNRECOGNISED_ELEMENT, "bibliographicInfo needs a title or an ISBN")
    request = Request.objects.create(
        title=(message.bib.get("title") or message.bib.get("isbn") or "")[:500],
        author=message.bib.get("author", "")[:300],
        year=message.bib.get("year", "")[:20],
        isbn=message.bib.get("isbn", "")[:40],
        pickup_library=None,
        current_lender=library,
        state=State.SENT,
        deadline=answer_deadline(now),
        needed_before=message.need_before,
        any_edition=message.any_edition,
        created_at=now,
    )
    request.number = f"FL{now:%y}-{request.pk:05d}"
    request.save(update_fields=["number"])
    RotaEntry.objects.create(
        request=request, library=library, position=1, status=RotaEntry.Status.ASKED, asked_at=now
    )
    IsoTransaction.objects.create(
        request=request,
        partner=partner,
        role=IsoTransaction.Role.SUPPLIER,
        partner_request_id=message.header.requesting_id,
        our_agency_id=message.header.supplier,
        last_status="RequestReceived",
    )
    note = _("ISO 18626 request from %(partner)s (their number %(id)s)") % {
        "partner": partner,
        "id": message.header.requesting_id,
    }
    Event.objects.create(
        request=request, action="create", from_state=State.NEW, to_state=State.SENT, note=note, at=now
    )
    return request


def _exchange(partner: IsoPartner, role: str, message: Message) -> IsoTransaction:
    lookup = {"request__number": message.header.requesting_id}
    if role == IsoTransaction.Role.SUPPLIER:
        lookup = {"partner_request_id": message.header.requesting_id}
    exchange = (
        IsoTransaction.objects.filter(partner=partner, role=role, **lookup).select_related("request").first()
    )
    if exchange is None:
        raise MessageError(
            UNRECOGNISED_VALUE, f"requestingAgencyRequestId {message.header.requesting_id!r} is unknown"
        )
    return exchange


def _supplier_news(message: Message, partner: IsoPartner, now: datetime) -> Request:
    """The partner we borrow from reports a status: a step when it moves the loan, else news."""
    exchange = _exchange(partner, IsoTransaction.Role.REQUESTER, message)
    if message.header.supplying_id and not exchange.partner_request_id:
        exchange.partner_request_id = message.header.supplying_id
    exchange.last_status = message.status
    exchange.save(update_fields=["partner_request_id", "last_status"])
    step = STATUS_STEP.get(message.status)
    if message.status == "Cancelled" and message.answer_yes_no == "N":
        step = None  # the partner refused our cancel: the loan goes on
    note = f"ISO 18626: {message.reason} {message.status} {message.note}".strip()
    return _step_or_news(exchange.request, step, note, now)


def _requester_news(message: Message, partner: IsoPartner, now: datetime) -> Request:
    """The partner who borrows from us acts (received, shipped back, cancel, asks our status)."""
    exchange = _exchange(partner, IsoTransaction.Role.SUPPLIER, message)
    request = exchange.request
    note = f"ISO 18626: {message.action} {message.note}".strip()
    if message.action == "StatusRequest":
        status = iso_outgoing.STATUS_OF_STATE.get(State(request.state), "RequestReceived")
        iso_outgoing.send_status(exchange, status, "StatusRequestResponse", now)
        return _step_or_news(request, None, note, now)
    if message.action == "Renew":  # loan periods are the lending library's; it answers by mail
        iso_outgoing.send_status(exchange, "Loaned", "RenewResponse", now, answer="N")
        return _step_or_news(request, None, note, now)
    if message.action not in ACTION_STEP and message.action != "Notification":
        raise MessageError(UNSUPPORTED_ACTION, message.action)
    request = _step_or_news(request, ACTION_STEP.get(message.action), note, now)
    if message.action == "Cancel" and request.state != State.CANCELLED:  # too late: already lent
        status = iso_outgoing.STATUS_OF_STATE.get(State(request.state), "Loaned")
        iso_outgoing.send_status(exchange, status, "CancelResponse", now, answer="N")
    return request


def _step_or_news(request: Request, step: str | None, note: str, now: datetime) -> Request:
    if step is not None:
        try:
            return perform(request.pk, step, PARTNER, note=note, now=now)
        except InvalidTransition:
            note = f"{note} ({_('no step from “%s”') % request.get_state_display()})"
    _news(request, note, now)
    return Request.objects.get(pk=request.pk)


def _news(request: Request, note: str, now: datetime, actor: Actor | None = None) -> None:
    Event.objects.create(
        request=request,
        action="iso18626",
        from_state=request.state,
        to_state=request.state,
        actor=actor.user if actor else None,
        library=actor.library if actor else None,
        note=note[:2000],
        at=now,
    )
