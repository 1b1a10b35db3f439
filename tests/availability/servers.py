"""Real local servers on 127.0.0.1 for the availability tests and the benchmark.

ReplayHttpServer answers GETs from a function of (path, query); Sip2Server speaks SIP2 over TCP
with the Borås sample messages; HangingServer accepts connections and never answers;
closed_port() returns a port nobody listens on.
"""

from __future__ import annotations

import socket
import socketserver
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from catalog.availability import sip2_messages as sip
from tests.world.serving import Served

Responder = Callable[[str, dict[str, list[str]]], tuple[int, str, bytes]]


class ReplayHttpServer(Served):
    """HTTP on 127.0.0.1:<free port>; `respond(path, query)` → (status, content type, body)."""

    def __init__(self, respond: Responder, delay: float = 0.0):
        self.respond = respond
        self.delay = delay
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if outer.delay:
                    time.sleep(outer.delay)
                parts = urlsplit(self.path)
                status, content_type, body = outer.respond(parts.path, parse_qs(parts.query))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


def item_information_response(template: str, item_id: str, sequence: int) -> str:
    """The sample 18 message for another barcode and sequence number, checksum recomputed."""
    message = sip.parse_message(template)
    body = template.rstrip("\r\n")
    body = body[: body.rindex("AY")].replace("ABSomeBarcode|", f"AB{item_id}|")
    if message.sequence == sequence and item_id == "SomeBarcode":
        return template.rstrip("\r\n") + "\r"  # the sample byte for byte
    return sip.with_error_detection(body, sequence)


def resequenced(sample: str, sequence: int) -> str:
    """A sample answer carrying the request's sequence number (verbatim when it already does)."""
    if sip.parse_message(sample).sequence == sequence:
        return sample
    body = sample.rstrip("\r\n")
    return sip.with_error_detection(body[: body.rindex("AY")], sequence)


class Sip2Server(Served):
    """SIP2 over TCP: 93 → 94 ok, 99 → the sample 98, 17 → the sample 18 for the asked barcode.

    `statuses` overrides the circulation status per barcode (e.g. {"B2": "03"}); `garbage`
    answers every request with nonsense; `delay` waits before each answer. `patrons` makes 23
    Patron Status answer 24 per card: {card: (14-character patron status, PIN)}.
    """

    def __init__(
        self,
        samples: dict[str, str],
        statuses: dict[str, str] | None = None,
        delay: float = 0.0,
        patrons: dict[str, tuple[str, str]] | None = None,
    ):
        self.samples = samples
        self.statuses = statuses or {}
        self.patrons = patrons or {}
        self.delay = delay
        self.garbage = False
        self.received: list[str] = []
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                buffer = b""
                while True:
                    chunk = self.request.recv(4096)
                    if not chunk:
                        return
                    buffer += chunk
                    while b"\r" in buffer:
                        line, _, buffer = buffer.partition(b"\r")
                        if outer.delay:
                            time.sleep(outer.delay)
                        self.request.sendall(outer.answer(line.decode("utf-8")).encode("utf-8"))

        self._serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler))

    def answer(self, line: str) -> str:
        self.received.append(line)
        if self.garbage:
            return "<html>502 Bad Gateway</html>\r"
        message = sip.parse_message(line)
        sequence = message.sequence or 0
        if message.code == "93":
            return sip.with_error_detection("941", sequence)
        if message.code == "99":
            return resequenced(self.samples["98"], sequence)
        if message.code == "17":
            item_id = message.get("AB")
            response = item_information_response(self.samples["18"], item_id, sequence)
            if item_id in self.statuses:
                body = response[: response.rindex("AY")]
                response = sip.with_error_detection(f"18{self.statuses[item_id]}{body[4:]}", sequence)
            return response
        if message.code == "23":
            return self.patron_status(message, sequence)
        return "XXSomeUnknownData\r"

    def patron_status(self, message: sip.Sip2Message, sequence: int) -> str:
        """24 per the SIP2 spec: status, language, date, AO, AA, AE, BL valid patron, CQ valid PIN."""
        card = message.get("AA")
        status, pin = self.patrons.get(card, (" " * 14, ""))
        valid = "Y" if card in self.patrons else "N"
        pin_ok = "Y" if card in self.patrons and message.get("AD") == pin else "N"
        body = f"24{status}00020260302    090000AO{message.get('AO')}|AA{card}|AE|BL{valid}|CQ{pin_ok}|"
        return sip.with_error_detection(body, sequence)

    @property
    def url(self) -> str:
        return f"127.0.0.1:{self.port}"


class HangingServer:
    """Listens (the kernel completes the handshake) but never reads or answers."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def __enter__(self) -> HangingServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()


def closed_port() -> int:
    """A port that was free a moment ago and has nobody listening now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
