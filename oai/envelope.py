"""The OAI-PMH response document: responseDate, the request echoed, then the verb's answer or
the errors (section 3.2)."""

from datetime import datetime

from lxml import etree

from catalog.marcxml import xml_safe
from oai.arguments import OaiRequest, datestamp
from oai.errors import OaiError

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"


def element(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{OAI_NS}}}{name}", attributes)
    if text is not None:
        node.text = text
    return node


def document(base_url: str, now: datetime, request: OaiRequest | None) -> etree._Element:
    """The envelope; ``request`` None echoes the base URL alone (after badVerb, badArgument)."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    element(root, "responseDate", datestamp(now))
    # What the client sent may hold characters XML cannot carry.
    attributes = {name: xml_safe(value) for name, value in request.args.items()} if request else {}
    attributes = {"verb": request.verb, **attributes} if request else {}
    element(root, "request", base_url, **attributes)
    return root


def error_document(
    base_url: str, now: datetime, request: OaiRequest | None, error: OaiError
) -> etree._Element:
    echoed = None if error.code in ("badVerb", "badArgument") else request
    root = document(base_url, now, echoed)
    element(root, "error", xml_safe(error.message), code=error.code)
    return root


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")  # type: ignore[no-any-return]
