"""Reading a SourceRecord's raw MARC back (for MARCXML export and the staff MARC view).

The staff MARC view shows a record as harvested. The public MARCXML export leaves out what a
library keeps to itself about its copies (``catalog.marcxml``).
"""

import pymarc
from lxml import etree

from catalog.marcxml import MARCXML_NS, public_record, record_element
from catalog.models import SourceRecord
from harvest.records import parse_by_format


def parse_raw(source_record: SourceRecord) -> pymarc.Record | None:
    """The member record as the harvest reads it (encoding repaired), or None when the stored
    bytes cannot be read."""
    raw = bytes(source_record.raw or b"")
    return parse_by_format(raw, source_record.raw_format).record if raw else None


def marc_lines(record: pymarc.Record) -> list[str]:
    """Mnemonic lines (=245  10$aTitle) the way librarians read MARC."""
    return [f"=LDR  {record.leader}", *(str(field) for field in record.get_fields())]


def marcxml_collection(records: list[pymarc.Record]) -> bytes:
    """The public MARCXML export of these records: public fields only (``public_record``)."""
    collection = etree.Element(f"{{{MARCXML_NS}}}collection", nsmap={None: MARCXML_NS})
    for record in records:
        collection.append(record_element(public_record(record)))
    return etree.tostring(collection, xml_declaration=True, encoding="UTF-8", pretty_print=True)  # type: ignore[no-any-return]
