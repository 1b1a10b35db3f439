"""Parsing what ILS servers call XML: encoding declarations that lie, nested declarations."""

import re

from lxml import etree

from catalog.availability.base import ProviderError

_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def decode_xml_bytes(body: bytes) -> str:
    """Text of an XML answer whatever its declaration claims.

    Koha has sent UTF-8 bytes under an ISO-8859-1 declaration: trusting it turns 'Bibliothèque'
    into mojibake. Bytes that decode as UTF-8 are UTF-8 (Latin-1 text with any byte above 127
    almost never does), so UTF-8 is tried first and the declaration only second.
    """
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_ENCODING.search(body[:200])
    encoding = declared[1].decode("ascii") if declared else "iso-8859-1"
    try:
        return body.decode(encoding, errors="replace")
    except LookupError:
        return body.decode("iso-8859-1")


def parse_xml(body: bytes) -> etree._Element:
    """Root element of an answer; strips every <?xml?> (Koha nests one inside <marcxml>)."""
    text = decode_xml_bytes(body)
    cleaned = _DECLARATION.sub(b"", text.encode("utf-8")).strip()
    if not cleaned:
        raise ProviderError("empty answer")
    try:
        return etree.fromstring(cleaned, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProviderError(f"not XML: {exc}") from None


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Child elements called `name` in any namespace."""
    return [child for child in element if local_name(child) == name]


def child_text(element: etree._Element, name: str) -> str:
    for child in children(element, name):
        return (child.text or "").strip()
    return ""
