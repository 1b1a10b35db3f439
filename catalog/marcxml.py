"""The public MARCXML of a record: what a library keeps to itself about its copies (barcodes,
prices, acquisition, non-public notes) left out, every string cleaned to what XML can carry.
Used by the record page's MARCXML export (opac) and the OAI-PMH provider (oai)."""

import re

import pymarc
from lxml import etree

MARCXML_NS = "http://www.loc.gov/MARC21/slim"
# Characters XML 1.0 cannot carry (C0 controls except tab/newline/CR, and U+FFFE/FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Item fields, with the subfields a patron may see (any other code is left out of the export):
# Koha 952 (barcode $p, prices $g $v, acquisition $d $e, inventory $i, non-public note $x,
# circulation counts $l $m $n, internal ids $9 … stay home), local 949 items (our holdings
# profile), 852 locations (not piece designation $p = barcode, non-public note $x), and MARC
# item information 876-878 (not cost, acquisition, barcode, internal ids, non-public notes).
PUBLIC_SUBFIELDS = {
    "952": frozenset("0124780abcfhoqtuyz"),
    "949": frozenset("abcdhqsz"),
    "852": frozenset("abcefghijklmnqtuz2368"),
    "876": frozenset("hjltz368"),
    "877": frozenset("hjltz368"),
    "878": frozenset("hjltz368"),
}
# Left out whole: the immediate source of acquisition (vendor, price, accession number).
PRIVATE_FIELDS = frozenset({"541"})
# Left out when their first indicator says private (0): ownership history, action notes.
PRIVACY_INDICATOR_FIELDS = frozenset({"561", "583"})


def public_record(record: pymarc.Record) -> pymarc.Record:
    """A copy of the record with only what the public may see (see PUBLIC_SUBFIELDS)."""
    public = pymarc.Record(leader=str(record.leader), force_utf8=True)
    for field in record.get_fields():
        if field.tag in PRIVATE_FIELDS:
            continue
        if field.tag in PRIVACY_INDICATOR_FIELDS and (field.indicators or " ")[0] == "0":
            continue
        allowed = PUBLIC_SUBFIELDS.get(field.tag)
        if allowed is not None:
            subfields = [sub for sub in field.subfields if sub.code in allowed]
            if not subfields:
                continue
            field = pymarc.Field(tag=field.tag, indicators=field.indicators, subfields=subfields)
        public.add_field(field)
    return public


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


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
