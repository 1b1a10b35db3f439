"""Parse OAI-PMH 2.0 responses: errors, Identify, ListRecords pages (records, deletions, tokens)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from lxml import etree

from harvest.protocols.base import HarvestedItem, HarvestError
from harvest.records import MARC_NS, ParsedRecord, control_number, parse_marcxml_element

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
NS = {"oai": OAI_NS, "marc": MARC_NS}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
# Error codes of OAI-PMH 2.0 §3.6; anything else is reported as it came.
ERROR_CODES = (
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
)


class OaiError(HarvestError):
    """The repository answered with OAI-PMH <error> elements."""

    def __init__(self, code: str, message: str, answered_at: datetime | None = None) -> None:
        super().__init__(f"OAI-PMH error {code}: {message}".strip())
        self.code = code
        self.answered_at = answered_at


@dataclass
class Identify:
    granularity: str = "YYYY-MM-DDThh:mm:ssZ"
    earliest: datetime | None = None
    deleted_record: str = "no"


@dataclass
class ListRecordsPage:
    items: list[HarvestedItem] = field(default_factory=list)
    resumption_token: str = ""
    response_date: datetime | None = None


def parse_oai_datetime(value: str | None) -> datetime | None:
    """A UTC datestamp in either granularity; None when it is not one."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        parsed = parse_datetime(text)
        if parsed is None:
            day = parse_date(text)
            parsed = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_oai_datetime(value: datetime, granularity: str) -> str:
    value = value.astimezone(UTC)
    if granularity == "YYYY-MM-DD":
        return value.strftime("%Y-%m-%d")
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_document(body: bytes) -> Any:
    """The OAI-PMH root element; raises on non-XML or a foreign document, or an OAI error."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise HarvestError(f"response is not well-formed XML: {exc}") from exc
    if etree.QName(root).localname != "OAI-PMH":
        raise HarvestError(f"response is not OAI-PMH (root element <{etree.QName(root).localname}>)")
    errors = root.findall("oai:error", NS)
    if errors:
        codes = [error.get("code") or "unknown" for error in errors]
        # noRecordsMatch wins: it is a normal, empty answer even if reported with others.
        code = "noRecordsMatch" if "noRecordsMatch" in codes else codes[0]
        message = "; ".join((error.text or "").strip() for error in errors)
        raise OaiError(code, message, response_date(root))
    return root


def response_date(root: Any) -> datetime | None:
    return parse_oai_datetime(root.findtext("oai:responseDate", namespaces=NS))


def parse_identify(body: bytes) -> Identify:
    root = parse_document(body)
    node = root.find("oai:Identify", NS)
    if node is None:
        raise HarvestError("Identify response without <Identify>")
    granularity = (node.findtext("oai:granularity", namespaces=NS) or "").strip()
    return Identify(
        granularity=granularity if granularity == "YYYY-MM-DD" else "YYYY-MM-DDThh:mm:ssZ",
        earliest=parse_oai_datetime(node.findtext("oai:earliestDatestamp", namespaces=NS)),
        deleted_record=(node.findtext("oai:deletedRecord", namespaces=NS) or "no").strip(),
    )


def _marc_records(element: Any) -> list[Any]:
    """MARCXML <record> elements inside an element (namespaced or not)."""
    found = element.findall(".//marc:record", NS)
    return found or [node for node in element.iter("record")]


def _metadata_item(identifier: str, datestamp: datetime | None, metadata: Any) -> HarvestedItem:
    payload = next((child for child in metadata if isinstance(child.tag, str)), None)
    if payload is None:
        return HarvestedItem(identifier, b"", "marcxml", ParsedRecord(None, "empty <metadata>"), datestamp)
    raw = etree.tostring(payload, encoding="utf-8")
    name = etree.QName(payload).localname
    if name == "collection":
        records = _marc_records(payload)
        payload = records[0] if records else payload
        name = etree.QName(payload).localname
    if name != "record":
        parsed = ParsedRecord(None, f"metadata is not MARCXML (<{name}>)")
        return HarvestedItem(identifier, raw, "marcxml", parsed, datestamp)
    element = payload
    return HarvestedItem(
        identifier, raw, "marcxml", None, datestamp, parser=lambda: parse_marcxml_element(element, raw)
    )


def _about_holdings(record: Any, parent: str) -> list[HarvestedItem]:
    """LIBRIS ``marcxml_includehold``: holdings records delivered in the record's <about>."""
    items = []
    for about in record.findall("oai:about", NS):
        for element in _marc_records(about):
            parsed = parse_marcxml_element(element)
            local_id = control_number(parsed.record) if parsed.record is not None else ""
            raw = etree.tostring(element, encoding="utf-8")
            items.append(HarvestedItem(local_id, raw, "marcxml", parsed, parent_local_id=parent))
    return items


def _child(element: Any, name: str) -> Any:
    """The first OAI-PMH child element of that name, or None (quicker than a find() path)."""
    return next(element.iterchildren(f"{{{OAI_NS}}}{name}"), None)


def _text(element: Any, name: str) -> str:
    found = _child(element, name)
    return (found.text or "").strip() if found is not None else ""


def parse_list_records(body: bytes) -> ListRecordsPage:
    """One ListRecords response → items (records, deletions, <about> holdings) and the token."""
    root = parse_document(body)
    page = ListRecordsPage(response_date=response_date(root))
    container = root.find("oai:ListRecords", NS)
    if container is None:
        raise HarvestError("ListRecords response without <ListRecords>")
    for record in container.iterchildren(f"{{{OAI_NS}}}record"):
        header = _child(record, "header")
        if header is None:
            continue
        identifier = _text(header, "identifier")
        datestamp = parse_oai_datetime(_text(header, "datestamp"))
        if header.get("status") == "deleted":
            if identifier:
                page.items.append(HarvestedItem(identifier, b"", "marcxml", None, datestamp, deleted=True))
            continue
        metadata = _child(record, "metadata")
        if not identifier or metadata is None:
            continue
        item = _metadata_item(identifier, datestamp, metadata)
        page.items.append(item)
        if _child(record, "about") is not None:
            holdings = _about_holdings(record, identifier)
            item.about_holdings = tuple(holding.local_id for holding in holdings)
            page.items.extend(holdings)
    token = container.find("oai:resumptionToken", NS)
    page.resumption_token = (token.text or "").strip() if token is not None else ""
    return page
