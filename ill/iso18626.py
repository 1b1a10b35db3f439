"""Export a request as an ISO 18626 (v1.2) `request` message, e.g. for escalation outside the county.

Agencies are identified by sigel under agencyIdType ISIL (Swedish ISILs are "SE-" + sigel; we send
the bare sigel, as the county's systems know them). No patron data leaves the portal: no patronInfo.
"""

from datetime import UTC, datetime

from django.utils import timezone
from lxml import etree

from ill.models import Request

NS = "http://illtransactions.org/2013/iso18626"


def _el(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def _agency(parent: etree._Element, name: str, code: str) -> None:
    agency = _el(parent, name)
    _el(agency, "agencyIdType", "ISIL")
    _el(agency, "agencyIdValue", code)


def request_message(request: Request, supplier_code: str = "", now: datetime | None = None) -> bytes:
    """The request as an ISO 18626 `request` message (UTF-8 XML bytes)."""
    now = now or timezone.now()
    root = etree.Element(f"{{{NS}}}ISO18626Message", nsmap={"ill": NS})
    root.set(f"{{{NS}}}version", "1.2")
    message = _el(root, "request")
    header = _el(message, "header")
    _agency(
        header,
        "supplyingAgencyId",
        supplier_code or (request.current_lender.code if request.current_lender else ""),
    )
    _agency(header, "requestingAgencyId", request.pickup_library.code)
    _el(header, "multipleItemRequestId", "")
    _el(header, "timestamp", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    _el(header, "requestingAgencyRequestId", request.number)
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
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
