"""Reading a LIBRIS MARC export's answer as it streams in: its records, and what follows a NUL.

The records are split as MARC files are (``harvest.protocols.marc_file``: at record terminators,
or at ``</record>``), so a broken record costs only itself. An answer cut off on the way (the
connection dropped, the server died) raises ``ExportCut``: a body shorter than its Content-Length,
a last record shorter than its leader says, or a MARCXML collection without its end tag, is never
stored as if it were whole. (Without a Content-Length, an ISO 2709 answer cut exactly between two
records cannot be told from a whole one; the next run's window covers those bibs again.)
"""

import http.client
import re
from collections.abc import Iterator
from typing import IO, Any, cast

from harvest.protocols.base import HarvestError
from harvest.protocols.marc_file import BLOCK, iso2709_chunks, xml_chunks, xml_wrapper
from harvest.records import ParsedRecord, parse_iso2709, parse_marcxml

NUL = b"\x00"
# The NUL of deleted=append follows the MARC data: a record terminator or the collection's end tag
# (optionally a line break), or nothing at all when no record changed. A NUL elsewhere is a
# broken record's, and stays in it.
_AFTER_DATA = (b"\x1d", b">", b"\n", b"\r", b" ", b"\t", b"")
_XML_END = re.compile(rb"</(?:[\w.-]+:)?collection\s*>\s*$")
_XML_START = re.compile(rb"<(?:[\w.-]+:)?record(?=[\s>])")
_XML_COLLECTION = re.compile(rb"<(?:[\w.-]+:)?collection(?=[\s>])")


class ExportCut(HarvestError):
    """The answer broke off (or the server was briefly unable): asking again may work."""


class ExportBody:
    """The answer's MARC data as a stream (``read``), then ``appended``: what came after the NUL
    that ends it when ``separated`` (deleted=append). Network trouble while reading raises
    ExportCut; a body shorter than its Content-Length is such trouble too."""

    def __init__(self, response: Any, separated: bool) -> None:
        self.response = response
        self.separated = separated
        self.pending = b""  # read from the network, not handed out yet
        self.after = b""
        self.ended = False
        self.last = b""  # the data's last bytes handed out (for the previous byte, and the end tag)
        self.total = 0
        self.short = False  # the network ended before the length the answer announced

    def head(self, size: int) -> bytes:
        """The first bytes of the data (up to its first record, at most ``size``), left to be read."""
        while len(self.pending) < size and not _XML_START.search(self.pending):
            block = self._network(BLOCK)
            if not block:
                break
            self.pending += block
        return self.pending[:size]

    def read(self, size: int = -1) -> bytes:
        if not self.pending and not self.ended:
            self.pending = self._network(BLOCK if size < 0 else max(size, 1))
            if not self.pending and self.short:
                raise ExportCut(f"the answer broke off after {self.total} bytes of more it announced")
        data, self.pending = self.pending, b""
        if self.separated and not self.ended:
            cut = self._separator(data)
            if cut >= 0:
                self.after, data = data[cut + 1 :], data[:cut]
                self.ended = True
        self.last = (self.last + data)[-256:]
        self.total += len(data)
        return data

    def _separator(self, data: bytes) -> int:
        start = 0
        while (cut := data.find(NUL, start)) >= 0:
            before = data[cut - 1 : cut] if cut else self.last[-1:]
            if before in _AFTER_DATA:
                return cut
            start = cut + 1
        return -1

    def appended(self) -> bytes:
        """Everything after the separating NUL (empty when there was none)."""
        if not self.ended:
            return b""
        rest = [self.after]
        while block := self._network(BLOCK):
            rest.append(block)
        return b"".join(rest)

    def _network(self, size: int) -> bytes:
        try:
            block: bytes = self.response.read(size)
        except (TimeoutError, http.client.HTTPException, OSError) as exc:
            raise ExportCut(f"the answer broke off after {self.total} bytes: {type(exc).__name__}") from exc
        if not block:  # http.client ends a body shorter than its Content-Length silently
            self.short = bool(getattr(self.response, "length", None))
        return block


def record_chunks(body: ExportBody, marcxml: bool, latin1: bool) -> Iterator[tuple[bytes, ParsedRecord]]:
    """Each record's bytes and what the parser made of them, in the order of the answer."""
    if marcxml:
        head = body.head(1 << 16)
        collection = _XML_COLLECTION.search(head) is not None
        start = _XML_START.search(head)
        wrapper = xml_wrapper(head[: start.start() if start else len(head)])
        for raw, _end in xml_chunks(cast(IO[bytes], body), 0):
            if not re.search(rb"</(?:[\w.-]+:)?record\s*>$", raw):
                raise ExportCut("the answer broke off in the middle of a record")
            yield raw, parse_marcxml(raw, wrapper)
        if collection and not _XML_END.search(body.last):
            raise ExportCut("the answer broke off before the end of its collection")
        return
    last = b""
    for raw, _end in iso2709_chunks(cast(IO[bytes], body), 0):
        if last:
            yield last, parse_iso2709(last, latin1=latin1)
        last = raw
    # The splitter ends the last piece with a terminator of its own: a record shorter than its
    # leader says is the end of an answer that broke off (one in the middle is a broken record).
    if last[:5].isdigit() and int(last[:5]) > len(last):
        raise ExportCut("the answer broke off in the middle of a record")
    if last:
        yield last, parse_iso2709(last, latin1=latin1)
