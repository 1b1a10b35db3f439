"""Validating /oai answers against the OAI-PMH 2.0 schema (tests/oai/schemas, PROVENANCE.md there)."""

from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
OAI = "http://www.openarchives.org/OAI/2.0/"
MARC = "http://www.loc.gov/MARC21/slim"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
DCMES = frozenset(
    {"title", "creator", "subject", "description", "publisher", "contributor", "date", "type", "format"}
    | {"identifier", "source", "language", "relation", "coverage", "rights"}
)


@cache
def strict() -> etree.XMLSchema:
    """OAI-PMH.xsd with MARC21slim.xsd beside it: <metadata> must hold a valid MARCXML record."""
    wrapper = f"""<schema xmlns="http://www.w3.org/2001/XMLSchema">
      <import namespace="{OAI}" schemaLocation="{(SCHEMAS / "OAI-PMH.xsd").as_uri()}"/>
      <import namespace="{MARC}" schemaLocation="{(SCHEMAS / "MARC21slim.xsd").as_uri()}"/>
    </schema>"""
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


@cache
def lax() -> etree.XMLSchema:
    """OAI-PMH.xsd with <metadata>'s wildcard lax: for oai_dc, whose schema we do not hold."""
    text = (SCHEMAS / "OAI-PMH.xsd").read_bytes()
    metadata = b'<complexType name="metadataType">'
    head, tail = text.split(metadata, 1)
    tail = tail.replace(b'processContents="strict"', b'processContents="lax"', 1)
    return etree.XMLSchema(etree.fromstring(head + metadata + tail))


def validate(body: bytes) -> etree._Element:
    """Parse an answer and assert it is valid OAI-PMH 2.0; returns the document."""
    document = etree.fromstring(body)
    dublin_core = document.findall(f".//{{{OAI_DC}}}dc")
    schema = lax() if dublin_core else strict()
    assert schema.validate(document), schema.error_log.filter_from_errors()
    for dc in dublin_core:
        names = {etree.QName(child).localname for child in dc if etree.QName(child).namespace == DC}
        assert names and names <= DCMES, names
        assert all(etree.QName(child).namespace == DC for child in dc)
    return document
