"""ISO 18626 (v1.2) messages: build the six message types, parse and validate what partners send.

Agencies are identified under agencyIdType ISIL. The county's libraries are "SE-" + sigel towards
partners (`our_agency_id`); incoming ids are accepted with or without the "SE-". The export for
manual escalation keeps the bare sigel. No patron data leaves the portal: no patronInfo, ever.

Validation uses the standard's XSD at settings.ISO18626_XSD; where that file is absent the parser's
own checks still apply (required ids, known message type) and a warning is logged once.
"""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from catalog.models import Library
from ill.models import Request

log = logging.getLogger(__name__)

NS = "http://illtransactions.org/2013/iso18626"
VERSION = "1.2"
MESSAGE_KINDS = (
    "request",
    "requestConfirmation",
    "supplyingAgencyMessage",
    "supplyingAgencyMessageConfirmation",
    "requestingAgencyMessage",
    "requestingAgencyMessageConfirmation",
)
CONFIRMATION_OF = {
    "request": "requestConfirmation",
    "supplyingAgencyMessage": "supplyingAgencyMessageConfirmation",
    "requestingAgencyMessage": "requestingAgencyMessageConfirmation",
}
# errorType values (type_errorType)
BADLY_FORMED = "BadlyFormedMessage"
UNRECOGNISED_VALUE = "UnrecognisedDataValue"
UNRECOGNISED_ELEMENT = "UnrecognisedDataElement"
UNSUPPORTED_ACTION = "UnsupportedActionType"
UNSUPPORTED_REASON = "UnsupportedReasonForMessageType"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True, huge_tree=False)


class MessageError(Exception):
    """An incoming message we cannot act on; answered with an ERROR confirmation of this type."""

    def __init__(self, error_type: str, value: str):
        super().__init__(f"{error_type}: {value}")
        self.error_type = error_type
        self.value = value


@dataclass(frozen=True)
class Header:
    """Who and which transaction: the ids every message and confirmation carries."""

    supplier: str
    requester: str
    requesting_id: str
    supplying_id: str = ""


@dataclass
class Message:
    """A parsed incoming message: its type, header and the few fields Samsök acts on."""

    kind: str
    header: Header
    status: str = ""  # supplyingAgencyMessage statusInfo/status
    reason: str = ""  # supplyingAgencyMessage messageInfo/reasonForMessage
    answer_yes_no: str = ""
    action: str = ""  # requestingAgencyMessage action
    note: str = ""
    message_status: str = ""  # confirmations: OK or ERROR
    error: str = ""  # confirmations: errorType: errorValue
    bib: dict[str, str] = field(default_factory=dict)
    need_before: date | None = None
    any_edition: bool = False


def our_agency_id(library: Library) -> str:
    return f"SE-{library.code}"


def library_code(agency_id: str) -> str:
    """A county library's sigel from an agency id that names it ("SE-Nyks" or "Nyks")."""
    return agency_id[3:] if agency_id.upper().startswith("SE-") else agency_id


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _agency(parent: etree._Element, name: str, code: str) -> None:
    agency = _el(parent, name)
    _el(agency, "agencyIdType", "ISIL")
    _el(agency, "agencyIdValue", code)


def _message(kind: str) -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{NS}}}ISO18626Message", nsmap={"ill": NS})
    root.set(f"{{{NS}}}version", VERSION)
    return root, _el(root, kind)


def _bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _header(parent: etree._Element, header: Header, now: datetime) -> None:
    element = _el(parent, "header")
    _agency(element, "supplyingAgencyId", header.supplier)
    _agency(element, "requestingAgencyId", header.requester)
    _el(element, "multipleItemRequestId", "")
    _el(element, "timestamp", _stamp(now))
    _el(element, "requestingAgencyRequestId", header.requesting_id)
    if header.supplying_id:
        _el(element, "supplyingAgencyRequestId", header.supplying_id)


def request_message(
    request: Request, supplier_code: str = "", now: datetime | None = None, requester_code: str = ""
) -> bytes:
    """The request as an ISO 18626 `request` message (UTF-8 XML bytes), without any patron data."""
    now = now or timezone.now()
    root, message = _message("request")
    supplier = supplier_code or (request.current_lender.code if request.current_lender else "")
    requester = requester_code or (request.pickup_library.code if request.pickup_library else "")
    _header(message, Header(supplier, requester, request.number), now)
    bib = _el(message, "bibliographicInfo")
    if request.cluster_id:
        _el(bib, "supplierUniqueRecordId", str(request.cluster_id))
    _el(bib, "title", request.title)
    if request.author:
        _el(bib, "author", request.author)
    if request.isbn:
        item = _el(bib, "bibliographicItemId")
        _el(item, "bibliographicItemIdentifier", request.isbn)
        _el(item, "bibliographicItemIdentifierCode", "ISBN")
    if request.year:
        _el(_el(message, "publicationInfo"), "publicationDate", request.year)
    service = _el(message, "serviceInfo")
    _el(service, "requestType", "New")
    _el(service, "requestSubType", "PatronRequest")
    _el(service, "serviceType", "Loan")
    if request.needed_before:
        _el(service, "needBeforeDate", f"{request.needed_before.isoformat()}T00:00:00.000Z")
    _el(service, "anyEdition", "Y" if request.any_edition else "N")
    return _bytes(root)


def supplying_agency_message(
    header: Header, status: str, reason: str, now: datetime, answer_yes_no: str = "", note: str = ""
) -> bytes:
    """A `supplyingAgencyMessage`: our status as the lender (reasonForMessage, statusInfo)."""
    root, message = _message("supplyingAgencyMessage")
    _header(message, header, now)
    info = _el(message, "messageInfo")
    _el(info, "reasonForMessage", reason)
    if answer_yes_no:
        _el(info, "answerYesNo", answer_yes_no)
    if note:
        _el(info, "note", note)
    status_info = _el(message, "statusInfo")
    _el(status_info, "status", status)
    _el(status_info, "lastChange", _stamp(now))
    if status == "Loaned":
        _el(_el(message, "deliveryInfo"), "dateSent", _stamp(now))
    return _bytes(root)


def requesting_agency_message(header: Header, action: str, now: datetime, note: str = "") -> bytes:
    """A `requestingAgencyMessage`: Cancel, Received, ShippedReturn, ... as the borrower."""
    root, message = _message("requestingAgencyMessage")
    _header(message, header, now)
    _el(message, "action", action)
    if note:
        _el(message, "note", note)
    return _bytes(root)


def confirmation(
    kind: str,
    header: Header | None,
    now: datetime,
    received_at: datetime,
    error: MessageError | None = None,
    echo: str = "",
) -> bytes:
    """The confirmation of an incoming message of `kind` (OK, or ERROR with its errorData).

    `echo`: the reasonForMessage / action of the confirmed message, repeated as the schema allows.
    """
    root, message = _message(CONFIRMATION_OF.get(kind, "requestConfirmation"))
    head = _el(message, "confirmationHeader")
    if header is not None:
        _agency(head, "supplyingAgencyId", header.supplier)
        _agency(head, "requestingAgencyId", header.requester)
    _el(head, "timestamp", _stamp(now))
    if header is not None:
        _el(head, "requestingAgencyRequestId", header.requesting_id)
    _el(head, "timestampReceived", _stamp(received_at))
    _el(head, "messageStatus", "ERROR" if error else "OK")
    if echo and kind == "supplyingAgencyMessage":
        _el(message, "reasonForMessage", echo)
    elif echo and kind == "requestingAgencyMessage":
        _el(message, "action", echo)
    if error is not None:
        data = _el(message, "errorData")
        _el(data, "errorType", error.error_type)
        _el(data, "errorValue", error.value[:500])
    return _bytes(root)


@cache
def _schema() -> etree.XMLSchema | None:
    path = Path(settings.ISO18626_XSD)
    if not path.is_file():
        log.warning("ISO 18626 schema not found at %s: messages are checked by the parser only", path)
        return None
    return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(document: etree._Element) -> list[str]:
    """Where the document breaks the ISO 18626 v1.2 schema (empty: valid, or no schema installed)."""
    schema = _schema()
    if schema is None or schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log][:10]


def without_patron(body: bytes) -> bytes:
    """The message as we keep it: a partner's patronInfo (their patron's data) is dropped."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return body
    found = root.findall(".//i:patronInfo", {"i": NS})
    for element in found:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return _bytes(root) if found else body


def _text(element: etree._Element, path: str) -> str:
    found = element.find(path, {"i": NS})
    return (found.text or "").strip() if found is not None else ""


def _error_for_schema(errors: list[str]) -> MessageError:
    text = "; ".join(errors)
    if "not a valid value" in text or "not an element of the set" in text:  # a bad code or date
        return MessageError(UNRECOGNISED_VALUE, text)
    if "not expected" in text and "Expected is" not in text:  # an element the schema does not know here
        return MessageError(UNRECOGNISED_ELEMENT, text)
    return MessageError(BADLY_FORMED, text)  # a required element missing, a broken structure


def parse(body: bytes) -> tuple[Message | None, MessageError | None]:
    """Read one incoming message. Returns what could be read and, if it is not acceptable, why.

    The message (kind, header) is returned even with an error whenever it was readable, so the
    ERROR confirmation can name the transaction and the request's history can keep it.
    """
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        return None, MessageError(BADLY_FORMED, f"not XML: {exc}")
    if root.tag != f"{{{NS}}}ISO18626Message" or len(root) != 1:
        return None, MessageError(BADLY_FORMED, "the root must be one ISO18626Message with one message")
    inner = root[0]
    kind = etree.QName(inner).localname if isinstance(inner.tag, str) else ""
    if kind not in MESSAGE_KINDS:
        return None, MessageError(BADLY_FORMED, f"unknown message type {kind!r}")
    message = _read(kind, inner)
    errors = schema_errors(root)
    if errors:
        return message, _error_for_schema(errors)
    if not message.header.requesting_id:
        return message, MessageError(BADLY_FORMED, "requestingAgencyRequestId is missing")
    return message, None


def _read(kind: str, inner: etree._Element) -> Message:
    head = "i:confirmationHeader" if kind.endswith("Confirmation") else "i:header"
    header = Header(
        supplier=_text(inner, f"{head}/i:supplyingAgencyId/i:agencyIdValue"),
        requester=_text(inner, f"{head}/i:requestingAgencyId/i:agencyIdValue"),
        requesting_id=_text(inner, f"{head}/i:requestingAgencyRequestId"),
        supplying_id=_text(inner, f"{head}/i:supplyingAgencyRequestId"),
    )
    message = Message(kind, header)
    message.status = _text(inner, "i:statusInfo/i:status")
    message.reason = _text(inner, "i:messageInfo/i:reasonForMessage") or _text(inner, "i:reasonForMessage")
    message.answer_yes_no = _text(inner, "i:messageInfo/i:answerYesNo")
    message.action = _text(inner, "i:action")
    message.note = _text(inner, "i:note") or _text(inner, "i:messageInfo/i:note")
    message.message_status = _text(inner, f"{head}/i:messageStatus")
    if _text(inner, "i:errorData/i:errorType"):
        message.error = (
            f"{_text(inner, 'i:errorData/i:errorType')}: {_text(inner, 'i:errorData/i:errorValue')}"
        )
    if kind == "request":
        _read_request(inner, message)
    return message


def _read_request(inner: etree._Element, message: Message) -> None:
    bib = "i:bibliographicInfo"
    message.bib = {
        "title": _text(inner, f"{bib}/i:title"),
        "author": _text(inner, f"{bib}/i:author"),
        "record_id": _text(inner, f"{bib}/i:supplierUniqueRecordId"),
        "year": _text(inner, "i:publicationInfo/i:publicationDate"),
        "isbn": "",
    }
    for item in inner.findall(f"{bib}/i:bibliographicItemId", {"i": NS}):
        if _text(item, "i:bibliographicItemIdentifierCode").upper() == "ISBN":
            message.bib["isbn"] = _text(item, "i:bibliographicItemIdentifier")
            break
    need = _text(inner, "i:serviceInfo/i:needBeforeDate")
    try:
        message.need_before = datetime.fromisoformat(need.replace("Z", "+00:00")).date() if need else None
    except ValueError:
        message.need_before = None
    message.any_edition = _text(inner, "i:serviceInfo/i:anyEdition") == "Y"
