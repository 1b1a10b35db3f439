"""The two metadata formats: ``marcxml`` (the title's display record, its holdings as one 852 per
library location and its member records' identifiers as 035) and ``oai_dc`` (from the title's
normalized description)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pymarc
from lxml import etree

from catalog.marcxml import MARCXML_NS, public_record, record_element, xml_safe
from harvest.records import parse_by_format
from oai.titles import Title

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# Holdings of the member records: replaced by the title's own 852s.
HOLDINGS_TAGS = ("852", "866", "867", "868", "876", "877", "878", "949", "952")
BLANK = pymarc.Indicators(" ", " ")
DCMI_TYPES = {
    "book": "Text",
    "ebook": "Text",
    "large_print": "Text",
    "serial": "Text",
    "audiobook": "Sound",
    "talking_book": "Sound",
    "music": "Sound",
    "film": "MovingImage",
    "game": "InteractiveResource",
    "map": "Image",
}


@dataclass(frozen=True)
class Repository:
    """What a record says about where it comes from."""

    identifier: str  # the domain of oai:<identifier>:<id>, also the 003
    site: str  # the portal's address, for record page links


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    write: Callable[[Title, Repository], etree._Element]


def _minimal(data: dict[str, Any]) -> pymarc.Record:
    """A record to carry the description when the display record cannot be read."""
    record = pymarc.Record(leader="     nam a22     4i 4500", force_utf8=True)
    heading = pymarc.Subfield("a", str(data.get("title") or "[?]"))
    record.add_field(pymarc.Field("245", pymarc.Indicators("0", "0"), [heading]))
    return record


def marcxml(title: Title, repository: Repository) -> etree._Element:
    parsed = parse_by_format(title.raw, title.raw_format).record if title.raw else None
    record = public_record(parsed) if parsed is not None else _minimal(title.data)
    record.remove_fields("001", "003", *HOLDINGS_TAGS)
    record.add_ordered_field(pymarc.Field("001", data=str(title.entry.id)))
    record.add_ordered_field(pymarc.Field("003", data=repository.identifier))
    for member in title.members:
        record.add_ordered_field(pymarc.Field("035", BLANK, [pymarc.Subfield("a", member)]))
    for where in title.locations:
        subfields = [pymarc.Subfield("b", where.sigel)]
        subfields += [pymarc.Subfield("c", where.shelf)] if where.shelf else []
        subfields += [pymarc.Subfield("h", where.call_number)] if where.call_number else []
        record.add_ordered_field(pymarc.Field("852", BLANK, subfields))
    element = record_element(record)
    element.set(f"{{{XSI_NS}}}schemaLocation", f"{MARCXML_NS} {MARCXML.schema}")
    return element


def _names(agents: object) -> list[str]:
    return [str(agent.get("name")) for agent in agents or [] if isinstance(agent, dict) and agent.get("name")]  # type: ignore[attr-defined]


def _terms(headings: object) -> list[str]:
    return [str(h.get("term") if isinstance(h, dict) else h) for h in headings or [] if h]  # type: ignore[attr-defined]


def dublin_core(title: Title, repository: Repository) -> list[tuple[str, str]]:
    """(element, value) pairs of simple Dublin Core, in the usual order."""
    data = title.data
    heading = " : ".join(str(part) for part in (data.get("title"), data.get("subtitle")) if part)
    pairs = [("title", heading)] if heading else []
    pairs += [("creator", name) for name in _names(data.get("authors"))]
    pairs += [("subject", term) for term in _terms(data.get("subjects"))]
    pairs += [("description", str(data["summary"]))] if data.get("summary") else []
    pairs += [("publisher", str(data["publisher"]))] if data.get("publisher") else []
    pairs += [("contributor", name) for name in _names(data.get("contributors"))]
    pairs += [("date", str(data["year"]))] if data.get("year") else []
    formats = data.get("formats") or []
    pairs += [("type", kind) for kind in dict.fromkeys(DCMI_TYPES[f] for f in formats if f in DCMI_TYPES)]
    pairs += [("format", str(code)) for code in formats]
    pairs += [("identifier", f"{repository.site}/post/{title.entry.id}/")]
    pairs += [("identifier", f"urn:isbn:{isbn}") for isbn in data.get("isbns") or []]
    pairs += [("identifier", f"urn:issn:{issn}") for issn in data.get("issns") or []]
    pairs += [("language", str(code)) for code in data.get("languages") or []]
    return pairs


def oai_dc(title: Title, repository: Repository) -> etree._Element:
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC.schema}")
    for name, value in dublin_core(title, repository):
        etree.SubElement(root, f"{{{DC_NS}}}{name}").text = xml_safe(value)
    return root


MARC21_SLIM = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
MARCXML = MetadataFormat("marcxml", MARC21_SLIM, MARCXML_NS, marcxml)
OAI_DC = MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS, oai_dc)
FORMATS = {fmt.prefix: fmt for fmt in (MARCXML, OAI_DC)}
