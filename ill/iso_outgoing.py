"""The ISO 18626 messages a step sends to the partner, written to the outbox in the step's transaction.

`ill.workflow.perform` calls `after_step` for every step; only requests exchanged with a partner
(an `IsoTransaction`) send anything. Delivery (with retries) is `ill.outbox.deliver_iso`.
"""

from datetime import datetime

from lxml import etree

from ill import iso18626
from ill.models import IsoMessage, IsoPartner, IsoTransaction, Request
from ill.states import State
from portal.jobs import enqueue

# Our step as the lender → (status, reasonForMessage) told to the partner who borrows.
SUPPLIER_STATUS = {
    "accept": ("WillSupply", "RequestResponse"),
    "refuse": ("Unfilled", "RequestResponse"),
    "expire": ("Unfilled", "RequestResponse"),
    "ship": ("Loaned", "StatusChange"),
    "receive_return": ("LoanCompleted", "StatusChange"),
    "partner_cancel": ("Cancelled", "CancelResponse"),
}
# Our step as the borrower → the action told to the partner who lends.
REQUESTER_ACTION = {"receive": "Received", "ship_return": "ShippedReturn"}
# What we answer a status request with, by the request's state (we supply).
STATUS_OF_STATE = {
    State.SENT: "RequestReceived",
    State.ACCEPTED: "WillSupply",
    State.SHIPPED: "Loaned",
    State.RECEIVED: "Loaned",
    State.RETURN_SHIPPED: "Loaned",
    State.RETURN_RECEIVED: "LoanCompleted",
    State.CLOSED: "LoanCompleted",
    State.NOT_FULFILLED: "Unfilled",
    State.CANCELLED: "Cancelled",
}


def header_for(transaction: IsoTransaction) -> iso18626.Header:
    request, partner = transaction.request, transaction.partner
    if transaction.role == IsoTransaction.Role.REQUESTER:
        return iso18626.Header(
            partner.agency_id, transaction.our_agency_id, request.number, transaction.partner_request_id
        )
    return iso18626.Header(
        transaction.our_agency_id, partner.agency_id, transaction.partner_request_id, request.number
    )


def queue(
    request: Request | None, partner: IsoPartner, kind: str, summary: str, body: bytes, now: datetime
) -> IsoMessage:
    """Store an outgoing message (checked against the schema) and have it delivered after commit."""
    errors = iso18626.schema_errors(etree.fromstring(body))
    message = IsoMessage.objects.create(
        request=request,
        partner=partner,
        direction=IsoMessage.Direction.OUT,
        kind=kind,
        summary=summary,
        body=body.decode("utf-8"),
        error="; ".join(errors),
        at=now,
        next_attempt_at=now,
    )
    enqueue("ill.tasks.send_iso_message", message.pk)
    return message


def send_status(
    transaction: IsoTransaction, status: str, reason: str, now: datetime, answer: str = ""
) -> None:
    body = iso18626.supplying_agency_message(header_for(transaction), status, reason, now, answer)
    summary = f"{reason}: {status}" + (f" ({answer})" if answer else "")
    queue(transaction.request, transaction.partner, "supplyingAgencyMessage", summary, body, now)


def send_action(transaction: IsoTransaction, action: str, now: datetime, note: str = "") -> None:
    body = iso18626.requesting_agency_message(header_for(transaction), action, now, note)
    queue(transaction.request, transaction.partner, "requestingAgencyMessage", action, body, now)


def send_request(transaction: IsoTransaction, now: datetime) -> None:
    request = transaction.request
    body = iso18626.request_message(
        request, transaction.partner.agency_id, now, requester_code=transaction.our_agency_id
    )
    queue(request, transaction.partner, "request", "New", body, now)


def after_step(request: Request, action: str, now: datetime) -> None:
    """Tell the partner about this step, when the request is exchanged with one."""
    transaction = IsoTransaction.objects.select_related("partner").filter(request=request).first()
    if transaction is None:
        return
    transaction.request = request
    if transaction.role == IsoTransaction.Role.SUPPLIER and action in SUPPLIER_STATUS:
        status, reason = SUPPLIER_STATUS[action]
        send_status(transaction, status, reason, now, answer="Y" if reason == "CancelResponse" else "")
    elif transaction.role == IsoTransaction.Role.REQUESTER and action in REQUESTER_ACTION:
        send_action(transaction, REQUESTER_ACTION[action], now)
