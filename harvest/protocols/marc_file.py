"""MARC files and URLs: ISO 2709, MARCXML (a collection or one record), MARC-in-JSON.

Files are streamed: ISO 2709 is split at record terminators, MARCXML at ``</record>`` end tags
(each record is parsed on its own, so one broken record does not take the rest of the file with
it, and its bytes are kept as received). ``position`` is the byte offset after the last stored
record for ISO 2709 and MARCXML, the record number for JSON (JSON is read whole).

Every run reads the whole file, and most of it is what the last run stored. A record whose bytes
are those of a stored bibliographic record is handed on by that record's id alone, not even read
(``KnownRecords``: its 001 is in those bytes). Any other bibliographic record is not parsed here:
its 001 is read from its ISO 2709 directory, or found in its MARCXML as one plain
``<controlfield tag="001">``, and it is parsed only if its checksum differs from the stored one
(``HarvestedItem.parser``). Holdings records, records whose directory pymarc would not read as it
is, MARCXML whose 001 is not found so plainly, and MARC-in-JSON are parsed at once.
"""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import closing
from functools import partial
from typing import IO, TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from catalog.mapping.holdings import HOLDINGS_TYPES, is_holdings_record
from harvest.locations import allowed_file, open_url
from harvest.protocols.base import HarvestedItem, HarvestError, HarvestProtocol, KnownRecords, Page
from harvest.records import (
    ParsedRecord,
    control_number,
    decode_json_bytes,
    iso2709_control_number,
    parse_iso2709,
    parse_marc_json,
    parse_marcxml,
)

if TYPE_CHECKING:
    from harvest.models import HarvestRun

BLOCK = 1 << 20
PAGE_SIZE = 500
# A record stored as it is weighs this much less in a page (an id, against a record to write): each
# page costs the writer a transaction and two rows, and a nightly run in pages of 500 records would
# store 10,000 of them in a county of five million.
UNCHANGED_WEIGHT = 20
RECORD_TERMINATOR = b"\x1d"
# A prefix's name is matched possessively (``++``): the name of every other element is not given
# back letter by letter in search of a ":" that cannot be inside it.
_XML_START = re.compile(rb"<(?:[\w.-]++:)?record(?=[\s>])")
_XML_END = re.compile(rb"</(?:[\w.-]++:)?record\s*>")
_XMLNS = re.compile(rb"""\sxmlns(?::[\w.-]+)?\s*=\s*(?:"[^"]*"|'[^']*')""")
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")
HEADER_LIMIT = 1 << 16
# A MARCXML record's leader and its 001 as plain text (no entity, no comment, no CDATA inside):
# an element's name and what follows, then its opening "<" and prefix (``_elements``).
_XML_LEADER = re.compile(rb"leader\s*>([^<&]*)</")
_XML_001 = re.compile(rb"""controlfield\s+tag\s*=\s*["']001["']\s*>([^<&]*)</""")
_XML_OPENING = re.compile(rb"<(?:[\w.-]++:)?")

Chunk = tuple[bytes, int]  # raw record bytes, offset after it
# What the reader made of a record: its parse, or (a bibliographic ISO 2709 record left unparsed)
# its 001 as its directory says.
Read = ParsedRecord | str
_URL = re.compile(r"^https?://")


def open_stream(location: str) -> IO[bytes]:
    """A local path or file URL under the harvest file root, or an http(s) URL of a public host,
    opened for streaming reads (``harvest.locations`` says what is allowed; checked on every read,
    so a source stored before the rules, or a symlink changed since, gets no further)."""
    if _URL.match(location):
        try:
            stream: IO[bytes] = open_url(location, timeout=60)
            return stream
        except OSError as exc:
            raise HarvestError(f"cannot fetch {location}: {exc}") from exc
    path = allowed_file(location)
    try:
        return path.open("rb")
    except OSError as exc:
        raise HarvestError(f"cannot open {location}: {exc}") from exc


def skip_to(stream: IO[bytes], position: int) -> None:
    """Move to a byte offset: seek on files, read and drop on URLs."""
    if position <= 0:
        return
    if stream.seekable():
        stream.seek(position)
        return
    remaining = position
    while remaining > 0:
        got = stream.read(min(BLOCK, remaining))
        if not got:
            return
        remaining -= len(got)


def iso2709_chunks(stream: IO[bytes], offset: int) -> Iterator[Chunk]:
    """Records split at the record terminator (more robust than trusting leader lengths)."""
    buffer = b""
    while True:
        block = stream.read(BLOCK)
        buffer += block
        parts = buffer.split(RECORD_TERMINATOR)
        buffer = parts.pop() if block else b""
        if not block and parts and not parts[-1].strip():
            parts.pop()
        for part in parts:
            offset += len(part) + 1
            if part.strip():
                yield part.lstrip() + RECORD_TERMINATOR, offset
        if not block:
            if buffer.strip():
                yield buffer.strip(), offset + len(buffer)
            return


def xml_wrapper(header: bytes) -> tuple[bytes, bytes]:
    """Namespace declarations of the document element (and the XML declaration) for each record."""
    declaration = _XML_DECLARATION.search(header)
    namespaces = b"".join(dict.fromkeys(_XMLNS.findall(header)))
    return (declaration.group(0) if declaration else b"") + b"<wrap" + namespaces + b">", b"</wrap>"


def xml_chunks(stream: IO[bytes], offset: int) -> Iterator[Chunk]:
    """Each ``<record>…</record>`` as bytes; an unterminated last record is yielded as it is.
    The buffer is cut only when a block is read (cutting it after each record copied the rest of
    the block every time: 28 µs a record)."""
    buffer = b""
    at = 0  # where the rest of the buffer begins
    eof = False
    while True:
        start = _XML_START.search(buffer, at)
        end = _end_tag(buffer, start.end()) if start else None
        if start and end:
            yield buffer[start.start() : end.end()], offset + end.end() - at
            offset += end.end() - at
            at = end.end()
            continue
        if eof:
            if start:
                yield buffer[start.start() :], offset + len(buffer) - at
            return
        block = stream.read(BLOCK)
        eof = not block
        buffer = buffer[at:] + block
        at = 0


def _end_tag(buffer: bytes, at: int) -> re.Match[bytes] | None:
    """``_XML_END.search(buffer, at)``, found faster: the pattern tried only at the "</" before
    each "record" (bytes.find), not at every "</" of the record (7 µs a record of 3 KB, now 4.5)."""
    start = at
    while (found := buffer.find(b"record", at)) >= 0:
        opening = buffer.rfind(b"</", start, found)
        if opening >= 0 and (match := _XML_END.match(buffer, opening)):
            return match
        at = found + 6
    return None


def sniff(head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "marcxml"
    if text.startswith((b"{", b"[")):
        return "marc-json"
    return "iso2709"


class MarcFileProtocol(HarvestProtocol):
    """A file (or URL) that holds the source's whole current set of records."""

    label = _("MARC file or URL")
    delivers_complete_set = True
    uses_known_records = True

    def lists_cheaply(self) -> bool:
        return not _URL.match(self.source.url)

    def pages(self, run: "HarvestRun") -> Iterator[Page]:
        with closing(open_stream(self.source.url)) as stream:
            head = stream.read(HEADER_LIMIT)
        kind = sniff(head)
        if kind == "marc-json":
            yield from self._json_pages(run)
            return
        with closing(open_stream(self.source.url)) as stream:
            skip_to(stream, run.position)
            read: Callable[[bytes], Read] = read_iso2709
            parse: Callable[[bytes], ParsedRecord] = parse_iso2709
            records = iso2709_chunks(stream, run.position)
            if kind == "marcxml":
                wrapper = xml_wrapper(head[: _first_record_start(head)])
                read = partial(read_marcxml, wrapper=wrapper)
                parse = partial(parse_marcxml, wrapper=wrapper)
                records = xml_chunks(stream, run.position)
            chunks = ((raw, end, _stored_or_read(raw, read, self.known)) for raw, end in records)
            yield from _paged(chunks, kind, parse, read, self.known)

    def _json_pages(self, run: "HarvestRun") -> Iterator[Page]:
        with closing(open_stream(self.source.url)) as stream:
            raw_file = stream.read()
        parsed: list[tuple[bytes, int, ParsedRecord]] = []
        for raw, result in json_records(raw_file):
            parsed.append((raw, len(parsed) + 1, result))
        yield from _paged(iter(parsed[run.position :]), "marc-json")


def _stored_or_read(raw: bytes, read: Callable[[bytes], Read], known: KnownRecords | None) -> Read | int:
    """The id of the stored record with these bytes (``KnownRecords``), else the record read."""
    stored = known.unchanged(raw) if known else None
    return read(raw) if stored is None else stored


def _first_record_start(head: bytes) -> int:
    match = _XML_START.search(head)
    return match.start() if match else len(head)


def json_records(raw_file: bytes) -> Iterator[tuple[bytes, ParsedRecord]]:
    """A MARC-in-JSON object, an array of them, or JSON lines."""
    text, _ = decode_json_bytes(raw_file)
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        lines = [line for line in text.splitlines() if line.strip()]
        if "Extra data" not in str(exc) or len(lines) < 2:
            yield raw_file, ParsedRecord(None, f"JSON does not parse: {exc}")
            return
        for line in lines:
            raw = line.encode("utf-8", "surrogateescape")
            try:
                yield raw, parse_marc_json(json.loads(line))
            except json.JSONDecodeError as line_exc:
                yield raw, ParsedRecord(None, f"JSON does not parse: {line_exc}")
        return
    if isinstance(whole, list):
        for obj in whole:
            yield _json_bytes(obj), parse_marc_json(obj)
    else:
        yield raw_file, parse_marc_json(whole)


def _json_bytes(obj: object) -> bytes:
    """One record of a JSON array as its own raw bytes; with \\u escapes if it holds a lone
    surrogate (escaped in the file, no byte it could have been), which UTF-8 cannot carry."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return json.dumps(obj).encode("ascii")


def read_iso2709(raw: bytes) -> Read:
    """A bibliographic record's 001 from its directory; anything else parsed (see the top)."""
    if raw[6:7].decode("latin-1") in HOLDINGS_TYPES:
        return parse_iso2709(raw)
    local_id = iso2709_control_number(raw)
    return parse_iso2709(raw) if local_id is None else local_id


def read_marcxml(raw: bytes, wrapper: tuple[bytes, bytes]) -> Read:
    """A bibliographic record's 001 if the record has one leader and one 001, both plain ASCII
    text; anything else parsed (see the top)."""
    leaders, ids = _elements(_XML_LEADER, raw), _elements(_XML_001, raw)
    if len(leaders) != 1 or len(ids) != 1 or not (leaders[0] + ids[0]).isascii() or b"\r" in ids[0]:
        return parse_marcxml(raw, wrapper)
    leader = leaders[0].decode("ascii")  # as the parse takes it, unstripped
    if len(leader) < 7 or leader[6] in HOLDINGS_TYPES:
        return parse_marcxml(raw, wrapper)
    return ids[0].decode("ascii").strip()


def _elements(pattern: re.Pattern[bytes], raw: bytes) -> list[bytes]:
    """The text of each element ``pattern`` finds from its name on, with "<" and a prefix before
    the name: what ``findall`` of the whole pattern gives, in a third of the time (a pattern that
    begins with "<" is tried at every tag of the record; one that begins with a name, only there)."""
    found = []
    for match in pattern.finditer(raw):
        name = match.start()
        if _XML_OPENING.fullmatch(raw, raw.rfind(b"<", 0, name), name):
            found.append(match.group(1))
    return found


def _parse_later(
    item: HarvestedItem, parse_raw: Callable[[bytes], ParsedRecord]
) -> Callable[[], ParsedRecord]:
    """The item's parser; its id becomes what the parse reads, as for a record parsed at once
    (they differ only for a record pymarc cannot read after all: stored under its content hash)."""

    def parse() -> ParsedRecord:
        parsed = parse_raw(item.raw)
        item.local_id = control_number(parsed.record) if parsed.record is not None else ""
        return parsed

    return parse


def _paged(
    chunks: Iterator[tuple[bytes, int, Read | int]],
    raw_format: str,
    parse: Callable[[bytes], ParsedRecord] | None = None,
    read: Callable[[bytes], Read] | None = None,
    known: KnownRecords | None = None,
) -> Iterator[Page]:
    """Pages of items; a holdings record without 004 belongs to the bib before it (LIBRIS export).
    A chunk read as an int is a record stored as it is (``KnownRecords``): the page's
    ``unchanged``. ``parse``: how a record left unparsed is parsed when it must be (None: all come
    parsed); ``read``: how such a stored bib's id is read, if a holdings record needs it."""
    page = Page([])
    last_bib: str | bytes = ""  # the bib's id, or the bytes of a stored one, read only when needed
    position = 0
    for raw, position, result in chunks:
        if isinstance(result, int):
            page.unchanged.append(result)
            last_bib = raw
        else:
            item, last_bib = _item(raw, raw_format, result, last_bib, parse, read)
            page.items.append(item)
            if known:
                known.delivered(item.local_id)
        if len(page.items) + len(page.unchanged) // UNCHANGED_WEIGHT >= PAGE_SIZE:
            page.position = position
            yield page
            page = Page([])
    if page.items or page.unchanged:
        page.position = position
        yield page


def _item(
    raw: bytes,
    raw_format: str,
    read: Read,
    last_bib: str | bytes,
    parse: Callable[[bytes], ParsedRecord] | None,
    read_bytes: Callable[[bytes], Read] | None,
) -> tuple[HarvestedItem, str | bytes]:
    """The item of one record, and the bib a next holdings record without 004 belongs to."""
    if isinstance(read, str):  # an unparsed bibliographic record
        assert parse is not None, "a record left unparsed needs its parser"
        item = HarvestedItem(local_id=read, raw=raw, raw_format=raw_format)
        item.parser = _parse_later(item, parse)
        return item, read
    record = read.record
    local_id = control_number(record) if record is not None else ""
    item = HarvestedItem(local_id=local_id, raw=raw, raw_format=raw_format, parsed=read)
    if record is None:
        return item, last_bib
    if not is_holdings_record(record):
        return item, local_id
    if last_bib and not record.get_fields("004"):
        item.parent_local_id = last_bib if isinstance(last_bib, str) else _bib_id(last_bib, read_bytes)
    return item, last_bib


def _bib_id(raw: bytes, read: Callable[[bytes], Read] | None) -> str:
    """The id of a stored bib that was not read (its holdings record came without 004)."""
    assert read is not None, "a stored record's id needs its reader"
    result = read(raw)
    if isinstance(result, str):
        return result
    return control_number(result.record) if result.record is not None else ""
