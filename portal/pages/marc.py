"""Reading a SourceRecord's raw MARC back (for MARCXML export and the staff MARC view)."""

import io
import re

import pymarc
from lxml import etree

from catalog.models import SourceRecord

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
# Characters XML 1.0 cannot carry (C0 controls except tab/newline/CR, and U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def parse_raw(source_record: SourceRecord) -> pymarc.Record | None:
    """The member record as pymarc reads it, or None when the stored bytes cannot be read."""
    raw = bytes(source_record.raw or b"")
    if not raw:
        return None
    kind = (source_record.raw_format or "").lower()
    try:
        if "xml" in kind or raw.lstrip().startswith(b"<"):
            records = pymarc.parse_xml_to_array(io.BytesIO(raw))
        elif "json" in kind or raw.lstrip().startswith((b"{", b"[")):
            records = pymarc.parse_json_to_array(io.BytesIO(raw))
        else:
            records = [pymarc.Record(data=raw, force_utf8=True, utf8_handling="replace")]
    except Exception:  # harvested bytes may be anything; the staff page then says "unreadable"
        return None
    return records[0] if records and records[0] is not None else None


def marc_lines(record: pymarc.Record) -> list[str]:
    """Mnemonic lines (=245  10$aTitle) the way librarians read MARC."""
    return [f"=LDR  {record.leader}", *(str(field) for field in record.get_fields())]


def record_element(record: pymarc.Record) -> etree._Element:
    """One MARCXML <record>, every string cleaned to what XML can carry."""
    node = etree.Element(f"{{{MARCXML_NS}}}record", nsmap={None: MARCXML_NS})
    etree.SubElement(node, f"{{{MARCXML_NS}}}leader").text = xml_safe(str(record.leader))
    for field in record.get_fields():
        if field.is_control_field():
            control = etree.SubElement(node, f"{{{MARCXML_NS}}}controlfield", tag=xml_safe(field.tag))
            control.text = xml_safe(field.data or "")
            continue
        indicators = list(field.indicators or ("", ""))
        data = etree.SubElement(
            node,
            f"{{{MARCXML_NS}}}datafield",
            tag=xml_safe(field.tag),
            ind1=xml_safe(indicators[0] or " "),
            ind2=xml_safe(indicators[1] or " "),
        )
        for subfield in field.subfields:
            sub = etree.SubElement(data, f"{{{MARCXML_NS}}}subfield", code=xml_safe(subfield.code))
            sub.text = xml_safe(subfield.value or "")
    return node


def marcxml_collection(records: list[pymarc.Record]) -> bytes:
    collection = etree.Element(f"{{{MARCXML_NS}}}collection", nsmap={None: MARCXML_NS})
    for record in records:
        collection.append(record_element(record))
    return etree.tostring(collection, xml_declaration=True, encoding="UTF-8", pretty_print=True)  # type: ignore[no-any-return]
