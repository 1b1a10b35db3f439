"""A LIBRIS MARC export server on 127.0.0.1, for tests: a real threaded ``http.server`` that answers
as libris/librisxl's ``marc_export/marc-export-documentation.md`` (and its ProfileExport) says.

POST to it an export profile (a Java properties file) with ``from``, ``until`` (ISO 8601 with a
zone, read from the raw query string as the real server does), ``deleted`` (ignore | export |
append) and ``virtualDelete``. It exports every bib of its catalogue changed in the window, or
whose holdings changed, that a profile location holds; each with all those locations' holdings,
merged into it (``holdtype=interleaved``: an 841 and the holdings' data fields with ``$5`` sigel)
or after it (``after``), composed or decomposed (``composestrategy``), as ISO 2709 or MARCXML in
UTF-8 or ISO-8859-1. A bib none of the locations holds any more counts as deleted with
``virtualDelete=true``; deleted bibs are dropped, marked in the leader, or listed (CSV) after a NUL.

``crashes`` makes the next answers break off: after so many bytes the connection is dropped.
"""

import re
import socket
import threading
import unicodedata
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import etree
from pymarc import Field, Record, Subfield
from pymarc.marcxml import record_to_xml

from tests.world.serving import Served

MARC_NS = "http://www.loc.gov/MARC21/slim"
EXAMPLE = b"2018-09-10T00:00:00Z"


@dataclass
class Bib:
    record: Record
    created: datetime
    modified: datetime
    deleted: bool = False
    raw: bytes | None = None  # served as it is instead of the record (MARCXML only): a broken one

    @property
    def id(self) -> str:
        return str(self.record["001"].data)


@dataclass
class Holding:
    id: str
    bib: str
    sigel: str
    record: Record
    created: datetime
    modified: datetime
    deleted: bool = False


@dataclass
class Crash:
    after_bytes: int
    with_length: bool = True  # announce the whole length (the client sees a short body)


@dataclass
class Catalogue:
    """What the server holds: bibs and holdings records with their change times."""

    bibs: dict[str, Bib] = field(default_factory=dict)
    holdings: dict[str, Holding] = field(default_factory=dict)

    def add_bib(self, record: Record, at: datetime) -> Bib:
        bib = Bib(record, at, at)
        self.bibs[bib.id] = bib
        return bib

    def hold(self, holding_id: str, bib_id: str, sigel: str, record: Record, at: datetime) -> Holding:
        holding = Holding(holding_id, bib_id, sigel, record, at, at)
        self.holdings[holding_id] = holding
        return holding

    def withdraw(self, holding_id: str, at: datetime) -> None:
        self.holdings[holding_id].deleted = True
        self.holdings[holding_id].modified = at

    def delete_bib(self, bib_id: str, at: datetime) -> None:
        """LIBRIS deletes a bib only with its holdings."""
        for holding in self.live_holdings(bib_id):
            self.withdraw(holding.id, at)
        self.bibs[bib_id].deleted = True
        self.bibs[bib_id].modified = at

    def live_holdings(self, bib_id: str) -> list[Holding]:
        found = [h for h in self.holdings.values() if h.bib == bib_id and not h.deleted]
        return sorted(found, key=lambda holding: holding.sigel)


def parse_profile(text: str) -> dict[str, str]:
    """The properties the server reads (``key=value`` lines; # and ! comments)."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if line and line[0] not in "#!":
            key, _, value = line.partition("=")
            found[key.strip()] = value.strip()
    return found


def parse_time(value: str) -> datetime | None:
    """ZonedDateTime.parse: ISO 8601 with a zone, nothing escaped."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


class Export:
    """One answer: what ProfileExport.exportInto writes for a profile and a window."""

    def __init__(self, catalogue: Catalogue, profile: dict[str, str], deleted: str, virtual: bool) -> None:
        self.catalogue = catalogue
        self.profile = profile
        self.locations = set(profile.get("locations", "").split())
        self.deleted_mode = deleted
        self.virtual = virtual
        self.exported: set[str] = set()
        self.records: list[Record | bytes] = []
        self.deleted_ids: list[str] = []

    def run(self, start: datetime, end: datetime) -> "Export":
        changes: list[tuple[datetime, str, Any]] = [
            (bib.modified, "bib", bib) for bib in self.catalogue.bibs.values() if start <= bib.modified <= end
        ]
        changes += [
            (h.modified, "hold", h) for h in self.catalogue.holdings.values() if start <= h.modified <= end
        ]
        for _at, collection, thing in sorted(changes, key=lambda change: (change[0], change[1])):
            created = start < thing.created < end
            if not self._wanted(collection, created, thing.deleted):
                continue
            if collection == "bib" and (self._all or self._held(thing.id)):
                self._export(thing.id)
            elif collection == "hold" and (self._all or thing.sigel in self.locations):
                self._export(thing.bib)
        return self

    @property
    def _all(self) -> bool:
        return "*" in self.locations

    def _wanted(self, collection: str, created: bool, deleted: bool) -> bool:
        def off(kind: str) -> bool:
            return self.profile.get(collection + kind, "on").lower() == "off"

        return not (
            (created and off("create")) or (not created and off("update")) or (deleted and off("delete"))
        )

    def _held(self, bib_id: str) -> bool:
        return any(h.sigel in self.locations for h in self.catalogue.live_holdings(bib_id))

    def _export(self, bib_id: str) -> None:
        if bib_id in self.exported:
            return
        self.exported.add(bib_id)
        bib = self.catalogue.bibs[bib_id]
        deleted = bib.deleted or (self.virtual and not self._all and not self._held(bib_id))
        if deleted and self.deleted_mode == "ignore":
            return
        if deleted and self.deleted_mode == "append":
            self.deleted_ids.append(bib_id)
            return
        self.records += self._compile(bib, deleted)

    def _compile(self, bib: Bib, deleted: bool) -> list[Record | bytes]:
        if bib.raw is not None:
            raw = re.sub(rb"(<(?:\w+:)?leader>.{5}).", rb"\g<1>d", bib.raw, count=1) if deleted else bib.raw
            return [raw, *(h.record for h in self.catalogue.live_holdings(bib.id))]
        record = deepcopy(bib.record)
        record.remove_fields("003")
        record.add_ordered_field(Field(tag="003", data=self.profile.get("f003", "SE-LIBR")))
        if deleted:
            record.leader = record.leader[:5] + "d" + record.leader[6:]
        result: list[Record | bytes] = [record]
        holdings = [h for h in self.catalogue.live_holdings(bib.id) if self._all or h.sigel in self.locations]
        for holding in holdings:
            if self.profile.get("holdtype", "interleaved").lower() == "after":
                mfhd = deepcopy(holding.record)
                mfhd.add_ordered_field(Field(tag="003", data=self.profile.get("f003", "SE-LIBR")))
                result.append(mfhd)
            else:
                merge_holding(record, holding)
        strategy = self.profile.get("composestrategy", "none")
        form = {"compose": "NFC", "composelatin1": "NFC", "decompose": "NFD"}.get(strategy)
        for each in result if form else []:
            normalize(each, form)  # type: ignore[arg-type]  # Records only here
        return result

    def body(self) -> bytes:
        latin1 = self.profile.get("characterencoding", "UTF-8").upper() != "UTF-8"
        encoding = "iso-8859-1" if latin1 else "utf-8"
        if self.profile.get("format", "ISO2709").upper() == "MARCXML":
            data = marcxml(self.records, encoding)
        else:
            data = b"".join(
                iso2709(record, encoding) for record in self.records if isinstance(record, Record)
            )
        if self.deleted_mode == "append":
            data += b"\x00" + "".join(f"{bib_id},DELETED\n" for bib_id in self.deleted_ids).encode()
        return data


def merge_holding(record: Record, holding: Holding) -> None:
    """holdtype=interleaved: ExportProfile.mergeBibMfhd — an 841, then each data field, $5 sigel."""
    mfhd = holding.record
    fixed = mfhd["008"].data if mfhd.get_fields("008") else ""
    record.add_field(
        Field(
            tag="841",
            indicators=[" ", " "],  # type: ignore[arg-type]
            subfields=[
                Subfield("5", holding.sigel),
                Subfield("a", str(mfhd.leader)[6:10]),
                Subfield("b", fixed[:32]),
                Subfield("e", str(mfhd.leader)[17:18]),
            ],
        )
    )
    for fld in mfhd.fields:
        if fld.is_control_field() or fld.tag == "014":
            continue
        record.add_field(
            Field(
                tag=fld.tag,
                indicators=fld.indicators,
                subfields=[Subfield("5", holding.sigel), *fld.subfields],
            )
        )


def normalize(record: Record, form: str) -> None:
    for fld in record.fields:
        if not fld.is_control_field():
            fld.subfields = [Subfield(sf.code, unicodedata.normalize(form, sf.value)) for sf in fld.subfields]  # type: ignore[arg-type]


def _encodable(text: str, encoding: str) -> str:
    return text.encode(encoding, "replace").decode(encoding)


def iso2709(record: Record, encoding: str) -> bytes:
    """ISO 2709 in ``encoding`` whatever leader/09 says (unencodable characters become "?")."""
    record = deepcopy(record)
    for fld in record.fields:
        if fld.is_control_field():
            fld.data = _encodable(fld.data or "", encoding)
        else:
            fld.subfields = [Subfield(sf.code, _encodable(sf.value, encoding)) for sf in fld.subfields]
    directory, data, offset = b"", b"", 0
    for fld in record.fields:
        chunk = fld.as_marc(encoding)
        directory += f"{fld.tag}{len(chunk):04d}{offset:05d}".encode()
        data += chunk
        offset += len(chunk)
    base = 24 + len(directory) + 1
    leader = str(record.leader)
    leader = f"{base + len(data) + 1:05d}{leader[5:12]}{base:05d}{leader[17:24]}"
    return leader.encode("ascii") + directory + b"\x1e" + data + b"\x1d"


def marcxml(records: list[Record | bytes], encoding: str) -> bytes:
    collection = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS})
    for record in records:
        raw = record if isinstance(record, bytes) else record_to_xml(record, namespace=True)
        collection.append(etree.fromstring(raw))
    return etree.tostring(collection, xml_declaration=True, encoding=encoding.upper()) + b"\n"


class LibrisExportServer(Served):
    """``with LibrisExportServer(catalogue) as server: server.url`` — the export endpoint."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or Catalogue()
        self.requests: list[dict[str, Any]] = []
        self.crashes: list[Crash] = []
        self.lock = threading.Lock()
        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), _handler(self)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/marc_export/"

    def answer(self, query: str, profile_text: str) -> tuple[int, bytes]:
        """(status, body) for one request; the request is recorded."""
        params = dict(part.split("=", 1) for part in query.split("&") if "=" in part)
        start, end = parse_time(params.get("from", "")), parse_time(params.get("until", ""))
        profile = parse_profile(profile_text)
        with self.lock:
            self.requests.append({"params": params, "profile": profile})
        if start is None or end is None:
            return 400, b'Valid "from" and "until" parameters are required, for example like so: ' + EXAMPLE
        deleted = params.get("deleted", "ignore")
        if deleted not in ("ignore", "export", "append"):
            return 400, b'Valid options for "deleted" are "ignore", "export" or "append"'
        virtual = params.get("virtualDelete", "false").lower() == "true"
        with self.lock:
            export = Export(self.catalogue, profile, deleted, virtual).run(start, end)
            return 200, export.body()


def _handler(server: LibrisExportServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            profile = self.rfile.read(length).decode("utf-8")
            query = self.path.partition("?")[2]
            status, body = server.answer(query, profile)
            crash = server.crashes.pop(0) if server.crashes and status == 200 else None
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream" if status == 200 else "text/plain")
            if crash is None or crash.with_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if crash is None:
                self.wfile.write(body)
                return
            self.wfile.write(body[: crash.after_bytes])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

        def do_GET(self) -> None:
            self.send_error(405, "POST an export profile")

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the tests read server.requests instead."""

    return Handler


def sigel_of(record: Record) -> str:
    found = [fld.get("b") for fld in record.get_fields("852") if fld.get("b")]
    return str(found[0]) if found else ""
