"""A small OAI-PMH 2.0 provider on 127.0.0.1, serving MARCXML records from memory.

Used by the test suite and ``scripts/bench_harvest.py`` (a real HTTP server, not a mock): records
can be added, changed and deleted between runs, and faults injected into chosen requests (HTTP 503
with Retry-After, a connection cut mid-body, an OAI error, a slow answer, a recorded response).
It can also replay recorded responses: a ``resumptionToken`` names the file to answer with.

From the command line it is the quickest OAI-PMH source to try the portal with: it serves the
MARC records of a file or folder (ISO 2709 or MARCXML, each file a set named after it) and prints
the URL to give ``manage.py add_source``::

    python -m sample.local_oai var/demo [--port 8070] [--page-size 100]
"""

import argparse
import base64
import gzip
import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from xml.sax import SAXException
from xml.sax.saxutils import escape

import pymarc

OAI_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/'
    b'OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">'
)


def oai_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class StoredRecord:
    identifier: str
    datestamp: datetime
    metadata: bytes | None  # None: deleted
    sets: tuple[str, ...] = ()
    about: bytes = b""


@dataclass
class Repository:
    """The provider's records; change them between harvests to test incremental runs."""

    page_size: int = 100
    granularity: str = "YYYY-MM-DDThh:mm:ssZ"
    prefixes: tuple[str, ...] = ("marcxml", "marc21")
    earliest: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    records: dict[str, StoredRecord] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The last selection, reused while nothing changed (a list request is paged 1000s of times).
    _selection: tuple[object, list[StoredRecord]] | None = None

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def put(self, identifier: str, metadata: bytes, sets: tuple[str, ...] = (), about: bytes = b"") -> None:
        with self.lock:
            self.records[identifier] = StoredRecord(identifier, self.now(), metadata, sets, about)
            self._selection = None

    def delete(self, identifier: str) -> None:
        with self.lock:
            old = self.records.get(identifier)
            self.records[identifier] = StoredRecord(identifier, self.now(), None, old.sets if old else ())
            self._selection = None

    def select(self, start: datetime | None, until: datetime | None, set_spec: str) -> list[StoredRecord]:
        key = (start, until, set_spec, len(self.records))
        cached = self._selection
        if cached is not None and cached[0] == key:
            return cached[1]
        with self.lock:
            chosen = [
                record
                for record in self.records.values()
                if (start is None or record.datestamp >= start)
                and (until is None or record.datestamp <= until)
                and (not set_spec or set_spec in record.sets)
            ]
        chosen.sort(key=lambda record: (record.datestamp, record.identifier))
        self._selection = (key, chosen)
        return chosen


class LocalOaiServer:
    """``with LocalOaiServer(repo) as server: server.url`` — a threaded HTTP server on 127.0.0.1."""

    def __init__(
        self, repository: Repository | None = None, replay_dir: Path | None = None, port: int = 0
    ) -> None:
        self.repository = repository or Repository()
        self.replay_dir = replay_dir
        self.replay_first = ""
        self.replay_identify = ""
        self.gzip = False
        self.faults: dict[int, dict[str, Any]] = {}
        self.requests: list[dict[str, str]] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/oai"

    def fail(self, request_number: int, **fault: Any) -> None:
        """Make request number N (1-based, counted from the server's start) misbehave."""
        self.faults[request_number] = fault

    def fail_next(self, skip: int = 0, **fault: Any) -> None:
        """Make the request after the next ``skip`` ones misbehave."""
        self.fail(len(self.requests) + skip + 1, **fault)

    def __enter__(self) -> "LocalOaiServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- answering -------------------------------------------------------------------------

    def answer(self, params: dict[str, str]) -> tuple[int, bytes, dict[str, Any]]:
        with self.lock:
            self.requests.append(params)
            fault = self.faults.pop(len(self.requests), {})
        if "delay" in fault:
            time.sleep(fault["delay"])
        if "status" in fault:
            return fault["status"], b"busy", fault
        if "body" in fault:
            return 200, fault["body"], fault
        if "error" in fault:
            return 200, self.error(params, fault["error"]), fault
        return 200, self.respond(params), fault

    def envelope(self, params: dict[str, str], body: bytes) -> bytes:
        attributes = "".join(f' {k}="{escape(v, {chr(34): "&quot;"})}"' for k, v in sorted(params.items()))
        request = f"<request{attributes}>http://127.0.0.1/oai</request>".encode()
        date = f"<responseDate>{oai_time(self.repository.now())}</responseDate>".encode()
        return OAI_HEAD + date + request + body + b"</OAI-PMH>"

    def error(self, params: dict[str, str], code: str, message: str = "") -> bytes:
        text = escape(message or code)
        return self.envelope(params, f'<error code="{code}">{text}</error>'.encode())

    def respond(self, params: dict[str, str]) -> bytes:
        verb = params.get("verb", "")
        if self.replay_dir is not None and verb == "Identify" and self.replay_identify:
            return (self.replay_dir / self.replay_identify).read_bytes()
        if self.replay_dir is not None and verb == "ListRecords":
            return self.replay(params)
        if verb == "Identify":
            return self.identify(params)
        if verb == "ListRecords":
            return self.list_records(params)
        return self.error(params, "badVerb", f"unsupported verb {verb!r}")

    def identify(self, params: dict[str, str]) -> bytes:
        repo = self.repository
        body = (
            "<Identify><repositoryName>Samsök test provider</repositoryName>"
            "<baseURL>http://127.0.0.1/oai</baseURL><protocolVersion>2.0</protocolVersion>"
            "<adminEmail>noreply@example.org</adminEmail>"
            f"<earliestDatestamp>{oai_time(repo.earliest)}</earliestDatestamp>"
            f"<deletedRecord>persistent</deletedRecord><granularity>{repo.granularity}</granularity>"
            "</Identify>"
        )
        return self.envelope(params, body.encode())

    def replay(self, params: dict[str, str]) -> bytes:
        assert self.replay_dir is not None
        name = params.get("resumptionToken") or self.replay_first
        path = self.replay_dir / name
        if not name or "/" in name or not path.is_file():
            return self.error(params, "badResumptionToken", f"no such token {name!r}")
        return path.read_bytes()

    def list_records(self, params: dict[str, str]) -> bytes:
        token = params.get("resumptionToken")
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token.encode()))
            except ValueError:
                return self.error(params, "badResumptionToken", "unknown token")
        else:
            prefix = params.get("metadataPrefix", "")
            if prefix not in self.repository.prefixes:
                return self.error(params, "cannotDisseminateFormat", f"no format {prefix!r}")
            state = {"from": params.get("from"), "until": params.get("until"), "set": params.get("set", "")}
            state["offset"] = 0
        try:
            start = _parse_time(state.get("from"))
            until = _parse_time(state.get("until"))
        except ValueError:
            return self.error(params, "badArgument", "bad from/until")
        records = self.repository.select(start, until, state.get("set") or "")
        offset = int(state.get("offset") or 0)
        chosen = records[offset : offset + self.repository.page_size]
        if not chosen:
            return self.error(params, "noRecordsMatch", "no records")
        parts = [b"<ListRecords>"]
        parts.extend(_record_xml(record) for record in chosen)
        if offset + len(chosen) < len(records):
            state["offset"] = offset + len(chosen)
            next_token = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
            parts.append(
                f'<resumptionToken completeListSize="{len(records)}" cursor="{offset}">{next_token}'
                "</resumptionToken>".encode()
            )
        elif offset:
            parts.append(f'<resumptionToken completeListSize="{len(records)}" cursor="{offset}"/>'.encode())
        parts.append(b"</ListRecords>")
        return self.envelope(params, b"".join(parts))


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    if len(value) == 10:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _record_xml(record: StoredRecord) -> bytes:
    sets = "".join(f"<setSpec>{escape(spec)}</setSpec>" for spec in record.sets)
    status = ' status="deleted"' if record.metadata is None else ""
    header = (
        f"<header{status}><identifier>{escape(record.identifier)}</identifier>"
        f"<datestamp>{oai_time(record.datestamp)}</datestamp>{sets}</header>"
    ).encode()
    if record.metadata is None:
        return b"<record>" + header + b"</record>"
    about = b"<about>" + record.about + b"</about>" if record.about else b""
    return b"<record>" + header + b"<metadata>" + record.metadata + b"</metadata>" + about + b"</record>"


def _handler_for(server: LocalOaiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            params = dict(parse_qsl(urlsplit(self.path).query))
            status, body, fault = server.answer(params)
            headers = {"Content-Type": "text/xml; charset=utf-8"}
            if "retry_after" in fault:
                headers["Retry-After"] = str(fault["retry_after"])
            if server.gzip and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body, compresslevel=1)
                headers["Content-Encoding"] = "gzip"
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if fault.get("cut"):
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(body)

    return Handler


# -- the command line: serve a file or folder of MARC records ---------------------------------

MARC_SUFFIXES = {".mrc", ".marc", ".iso", ".iso2709", ".xml"}
DEFAULT_PORT = 8070
_OAI_UNSAFE = re.compile(r"[^A-Za-z0-9_.!~*'()-]")  # what a setSpec allows (and a tidy identifier)


def marc_files(location: Path) -> list[Path]:
    """The file itself, or the MARC files (by suffix) directly in the folder, sorted by name."""
    if location.is_dir():
        return sorted(path for path in location.iterdir() if path.suffix.lower() in MARC_SUFFIXES)
    return [location]


def read_marc(path: Path) -> Iterator[pymarc.Record | None]:
    """The records of an ISO 2709 or MARCXML file (told apart by the first byte); None for a
    record that cannot be read."""
    with path.open("rb") as stream:
        xml = stream.read(64).lstrip().startswith(b"<")
    if xml:
        yield from pymarc.parse_xml_to_array(str(path))
        return
    with path.open("rb") as stream:
        yield from pymarc.MARCReader(stream, to_unicode=True, force_utf8=True, utf8_handling="replace")


def load_marc(repository: Repository, location: Path) -> tuple[dict[str, int], int]:
    """Put every record of the file or folder into the repository, in the set named after its
    file; identifiers ``oai:local:SET:001`` (the record's number in its file without a 001).
    Returns records per set and how many could not be read."""
    per_set: dict[str, int] = {}
    unreadable = 0
    for path in marc_files(location):
        set_spec = _OAI_UNSAFE.sub("_", path.stem)
        count = 0
        for number, record in enumerate(read_marc(path), start=1):
            if record is None:
                unreadable += 1
                continue
            control = record["001"]
            local_id = control.data.strip() if control is not None and control.data else ""
            local_id = _OAI_UNSAFE.sub("_", local_id) or str(number)
            metadata = pymarc.record_to_xml(record, namespace=True)
            repository.put(f"oai:local:{set_spec}:{local_id}", metadata, sets=(set_spec,))
            count += 1
        per_set[set_spec] = count
    return per_set, unreadable


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample.local_oai",
        description="Serve the MARC records of a file or folder over OAI-PMH on 127.0.0.1 (for trials).",
    )
    parser.add_argument(
        "location",
        metavar="DIR_OR_FILE",
        type=Path,
        help="an ISO 2709 or MARCXML file, or a folder of them (.mrc, .marc, .iso, .xml); each file is a set",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--page-size", type=int, default=100, help="records per ListRecords page (default 100)"
    )
    args = parser.parse_args(argv)
    if not args.location.exists():
        parser.error(f"{args.location} does not exist")
    if args.page_size < 1:
        parser.error("--page-size must be at least 1")
    repository = Repository(page_size=args.page_size)
    try:
        per_set, unreadable = load_marc(repository, args.location)
    except (OSError, ValueError, SAXException) as exc:
        parser.error(f"cannot read {args.location}: {exc}")
    if not repository.records:
        parser.error(
            f"no MARC records in {args.location} (files ending in {', '.join(sorted(MARC_SUFFIXES))})"
        )
    try:
        server = LocalOaiServer(repository, port=args.port)
    except OSError as exc:
        parser.error(f"cannot listen on 127.0.0.1:{args.port}: {exc}")
    sets = ", ".join(f"{name} ({count})" for name, count in per_set.items())
    example_set = next(iter(per_set))
    lines = [
        f"serving {len(repository.records)} records at {server.url}",
        f"  sets: {sets}" + (f"; {unreadable} unreadable records skipped" if unreadable else ""),
        "add it as a source (the portal must allow a provider on this machine:"
        " HARVEST_ALLOW_PRIVATE_URLS=1):",
        f"  python manage.py add_source CODE --protocol oai-pmh --url {server.url}",
        f"  python manage.py add_source CODE --protocol oai-pmh --url {server.url} --set {example_set}"
        "   # one file's records",
        "Ctrl-C stops it; records are read again at each start (new datestamps).",
    ]
    print("\n".join(lines), flush=True)
    with server:
        try:
            server.thread.join()
        except KeyboardInterrupt:
            print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
