"""Raw record bytes as received → a pymarc ``Record`` with its encoding repaired, or an error.

One function per serialization: ISO 2709, MARCXML (one ``<record>`` element), MARC-in-JSON.
Parsers never raise for bad input: they return a ``ParsedRecord`` whose ``error`` says what the
parser objected to, so the caller can store the record with its raw bytes and count it.
"""

import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from pymarc import Field, Indicators, Leader, Record, Subfield

from harvest.encoding import SUSPECT, has_suspect_bytes, is_utf8, iso2709_is_utf8, repair_text

MARC_NS = "http://www.loc.gov/MARC21/slim"
LEADER_LENGTH = 24
# Raw formats of records received in ISO-8859-1 (a LIBRIS export profile may ask for it): the
# bytes are kept as received, so parsing them again must know their encoding.
ISO2709_LATIN1 = "iso2709-latin1"
MARCXML_LATIN1 = "marcxml-latin1"
_LATIN1_DECLARATION = b'<?xml version="1.0" encoding="ISO-8859-1"?>'


def _may_decompose(raw: bytes) -> bool:
    """Whether the bytes hold a UTF-8 lead byte of U+0300..U+037F, the combining diacritics of
    decomposed (NFD) Latin text, or an XML character reference: without them, nothing to compose."""
    return b"\xcc" in raw or b"\xcd" in raw or b"&#" in raw


@dataclass
class ParsedRecord:
    record: Record | None
    error: str = ""
    repairs: list[str] = field(default_factory=list)


class MarcError(ValueError):
    """The record cannot be read as MARC (the message is shown on the source health page)."""


def _unicode_leader(leader: str) -> Leader:
    """Leader with character coding scheme set to Unicode: everything we store is Unicode."""
    text = leader.ljust(LEADER_LENGTH)[:LEADER_LENGTH]
    return Leader(text[:9] + "a" + text[10:])


def _repair_fields(record: Record, repairs: set[str]) -> None:
    for fld in record.fields:
        if fld.is_control_field():
            if fld.data and SUSPECT.search(fld.data):
                fld.data = repair_text(fld.data, repairs)
            continue
        if any(SUSPECT.search(sf.value or "") for sf in fld.subfields):
            fld.subfields = [Subfield(sf.code, repair_text(sf.value or "", repairs)) for sf in fld.subfields]


def _compose_fields(record: Record) -> None:
    """Decomposed characters ("a" + combining ring) composed (NFC, "å"): LIBRIS exports either
    (its profile's ``composestrategy``), and matching and search must see one form."""
    for fld in record.fields:
        if fld.is_control_field():
            if fld.data and not unicodedata.is_normalized("NFC", fld.data):
                fld.data = unicodedata.normalize("NFC", fld.data)
            continue
        if any(not unicodedata.is_normalized("NFC", sf.value or "") for sf in fld.subfields):
            fld.subfields = [
                Subfield(sf.code, unicodedata.normalize("NFC", sf.value or "")) for sf in fld.subfields
            ]


def _finish(
    record: Record, repairs: set[str], always_check: bool = True, compose: bool = True
) -> ParsedRecord:
    """``always_check``: look for encoding damage field by field; ``compose``: for decomposed
    characters (both may be skipped when the raw bytes show there is nothing to find)."""
    if always_check:
        _repair_fields(record, repairs)
    if compose:
        _compose_fields(record)
    if not record.fields:
        return ParsedRecord(None, "record has no fields", sorted(repairs))
    return ParsedRecord(record, "", sorted(repairs))


def parse_iso2709(raw: bytes, latin1: bool = False) -> ParsedRecord:
    """One ISO 2709 record (with or without its record terminator); ``latin1``: its bytes are
    ISO-8859-1 whatever its leader says (the sender said so)."""
    if len(raw) < LEADER_LENGTH or not raw[:5].isdigit():
        return ParsedRecord(None, "not an ISO 2709 record (no numeric record length in the leader)")
    as_utf8, implied = (False, []) if latin1 else iso2709_is_utf8(raw)
    try:
        record = Record(
            # pymarc reads a record whose leader/09 is blank in file_encoding (unless it is
            # "iso8859-1", which it takes for MARC-8): so the leader says so, same length.
            data=raw[:9] + b" " + raw[10:] if latin1 else raw,
            to_unicode=True,
            force_utf8=as_utf8,
            hide_utf8_warnings=True,
            utf8_handling="surrogateescape",
            file_encoding="latin-1" if latin1 else "iso8859-1",
        )
    except Exception as exc:  # pymarc raises many kinds for broken structure
        return ParsedRecord(None, f"{type(exc).__name__}: {exc}".rstrip(": "))
    repairs = set(implied)
    record.leader = _unicode_leader(str(record.leader))
    # Valid UTF-8 without the byte patterns of mojibake (or a NUL) needs no per-field look.
    needs_check = not as_utf8 or not is_utf8(raw) or has_suspect_bytes(raw)
    return _finish(record, repairs, needs_check, _may_decompose(raw))


def _localname(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def record_from_element(element: Any) -> Record:
    """A MARCXML ``<record>`` element (namespaced or not) → Record; tags padded ("10" → "010")."""
    record = Record(to_unicode=True, force_utf8=True)
    fields = record.fields  # appended directly: add_field() re-sorts nothing but costs a call
    leader = None
    for child in element.iterchildren(tag=etree.Element):
        name = child.tag.rpartition("}")[2]
        if name == "datafield":
            subs = [
                Subfield(sub.get("code") or " ", sub.text or "")
                for sub in child.iterchildren(tag=etree.Element)
            ]
            attributes = child.attrib
            indicators = Indicators((attributes.get("ind1") or " ")[:1], (attributes.get("ind2") or " ")[:1])
            tag = (attributes.get("tag") or "").strip().zfill(3)
            fields.append(Field(tag=tag, indicators=indicators, subfields=subs))
        elif name == "controlfield":
            fields.append(Field(tag=(child.get("tag") or "").strip().zfill(3), data=child.text or ""))
        elif name == "leader":
            leader = child.text or ""
    if not leader or not leader.strip():
        raise MarcError("record has no leader")
    record.leader = _unicode_leader(leader)
    return record


def parse_marcxml_element(element: Any, raw: bytes | None = None) -> ParsedRecord:
    """``raw``: the element's bytes (UTF-8), if at hand; without mojibake patterns in them the
    per-field repair pass is skipped (XML cannot carry invalid bytes, so nothing else to repair)."""
    try:
        record = record_from_element(element)
    except MarcError as exc:
        return ParsedRecord(None, str(exc))
    if raw is None:
        return _finish(record, set())
    return _finish(record, set(), has_suspect_bytes(raw), _may_decompose(raw))


def parse_marcxml(raw: bytes, wrapper: tuple[bytes, bytes] = (b"", b"")) -> ParsedRecord:
    """One MARCXML record as bytes; ``wrapper`` re-supplies namespace declarations of its file."""
    try:
        root = etree.fromstring(wrapper[0] + raw + wrapper[1], parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        return ParsedRecord(None, f"XML not well-formed: {exc}")
    element = root if not wrapper[0] else next(iter(root), None)
    if element is not None and _localname(str(element.tag)) == "collection":  # a one-record collection
        element = next(element.iterchildren(f"{{{MARC_NS}}}record", "record"), None)
    if element is None:
        return ParsedRecord(None, "no <record> element")
    utf8 = not wrapper[0] or b"encoding" not in wrapper[0] or b"utf-8" in wrapper[0].lower()
    return parse_marcxml_element(element, raw if utf8 else None)


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _json_field(tag: str, value: Any) -> Field:
    if isinstance(value, str):
        return Field(tag=tag, data=value)
    if not isinstance(value, dict):
        raise MarcError(f"field {tag}: neither a string nor an object")
    subs: list[Subfield] = []
    for item in value.get("subfields") or []:
        if not isinstance(item, dict):
            raise MarcError(f"field {tag}: subfield is not an object")
        subs.extend(Subfield(str(code), str(text)) for code, text in item.items())
    indicators = Indicators(str(value.get("ind1") or " ")[:1], str(value.get("ind2") or " ")[:1])
    return Field(tag=tag, indicators=indicators, subfields=subs)


def parse_marc_json(obj: Any) -> ParsedRecord:
    """A MARC-in-JSON object ``{"leader": ..., "fields": [{"245": {...}}, ...]}`` → Record."""
    try:
        if not isinstance(obj, dict) or not isinstance(obj.get("fields"), list):
            raise MarcError("not a MARC-in-JSON record (no 'fields' list)")
        if not isinstance(obj.get("leader"), str):
            raise MarcError("record has no leader")
        record = Record(to_unicode=True, force_utf8=True)
        record.leader = _unicode_leader(obj["leader"])
        for entry in obj["fields"]:
            if not isinstance(entry, dict):
                raise MarcError("field is not an object")
            for tag, value in entry.items():
                record.add_field(_json_field(str(tag).zfill(3), value))
    except MarcError as exc:
        return ParsedRecord(None, str(exc))
    return _finish(record, set())


def decode_json_bytes(raw: bytes) -> tuple[str, bool]:
    """JSON text from bytes; invalid UTF-8 bytes survive as surrogates for ``repair_text``."""
    if is_utf8(raw):
        return raw.decode("utf-8"), False
    return raw.decode("utf-8", "surrogateescape"), True


def digest(raw: bytes) -> bytes:
    """The SHA-256 of a record's raw bytes; its stored checksum is this in hex
    (``harvest.prepare.checksum``)."""
    return hashlib.sha256(raw).digest()


def control_number(record: Record) -> str:
    """The record's own id (001), stripped; '' when it has none."""
    found = record.get_fields("001")
    return (found[0].data or "").strip() if found else ""


def iso2709_control_number(raw: bytes) -> str | None:
    """An ISO 2709 record's 001, stripped ('' without one), read from its directory without
    parsing it; None when the leader or directory is not one pymarc reads as it is (the caller
    parses the record instead) or the 001 is not ASCII (its decoding would need the parse).
    Reading the ids of a file this way costs some microseconds a record; a parse, hundreds."""
    leader = raw[:LEADER_LENGTH]
    if len(leader) < LEADER_LENGTH or not leader.isascii() or not (raw[:5] + raw[12:17]).isdigit():
        return None
    base = int(raw[12:17])
    if not LEADER_LENGTH < base < len(raw) or len(raw) < int(raw[:5]):
        return None
    directory = raw[LEADER_LENGTH : base - 1]
    if len(directory) % _ENTRY or not directory.isascii():
        return None
    found: str | None = None
    for start in range(0, len(directory), _ENTRY):
        entry = directory[start : start + _ENTRY]
        if not entry[3:].isdigit():
            return None  # pymarc refuses the whole record
        if found is None and entry[:3] == b"001":
            offset = base + int(entry[7:])
            data = raw[offset : offset + int(entry[3:7]) - 1]
            if not data.isascii():
                return None
            found = data.decode("ascii").strip()
    return found if found is not None else ""


_ENTRY = 12  # bytes of an ISO 2709 directory entry: tag, length, offset


def parse_by_format(raw: bytes, raw_format: str) -> ParsedRecord:
    """Parse stored raw bytes again (for re-mapping without re-harvesting)."""
    if raw_format in ("iso2709", ISO2709_LATIN1):
        return parse_iso2709(raw, latin1=raw_format == ISO2709_LATIN1)
    if raw_format == "marc-json":
        import json

        text, _ = decode_json_bytes(raw)
        try:
            return parse_marc_json(json.loads(text))
        except json.JSONDecodeError as exc:
            return ParsedRecord(None, f"JSON does not parse: {exc}")
    declaration = _LATIN1_DECLARATION if raw_format == MARCXML_LATIN1 else b""
    return parse_marcxml(raw, (declaration + b"<wrap xmlns:marc='" + MARC_NS.encode() + b"'>", b"</wrap>"))
