"""A library outside the county on 127.0.0.1: the other side of an ISO 18626 exchange.

The peer is a real threaded HTTP server. It keeps every message Samsök posts to it (checked
against the v1.2 schema), answers each with an OK confirmation (or 503 while `down`), and sends
its own messages to Samsök's endpoint. Its messages are the real crosslink samples with the
header, status or action changed by lxml, so what Samsök reads is what a real partner writes.
"""

from __future__ import annotations

import copy
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from lxml import etree

from tests.world.serving import Served

NS = "http://illtransactions.org/2013/iso18626"
N = {"i": NS}


@dataclass
class Received:
    kind: str
    root: etree._Element
    raw: bytes
    schema_errors: list[str]

    def text(self, path: str) -> str:
        found = self.root.find(path, N)
        return (found.text or "") if found is not None else ""


def _set(root: etree._Element, path: str, value: str) -> None:
    element = root.find(path, N)
    assert element is not None, path
    element.text = value


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class IsoPeer(Served):
    def __init__(self, samples: Path, agency_id: str = "DK-820010"):
        self.samples = samples / "crosslink" / "broker" / "test" / "testdata"
        self.schema = etree.XMLSchema(etree.parse(str(samples / "xsd" / "ISO-18626-v1_2.xsd")))
        self.agency_id = agency_id
        self.received: list[Received] = []
        self.down = False
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if outer.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                answer = outer.take(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), Handler))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/iso18626"

    # --- what Samsök sends us ---

    def take(self, body: bytes) -> bytes:
        root = etree.fromstring(body)
        errors = [] if self.schema.validate(root) else [str(e) for e in self.schema.error_log]
        kind = etree.QName(root[0]).localname
        self.received.append(Received(kind, root, body, errors))
        head = root[0].find("i:header", N)
        confirmation = {
            "request": "requestConfirmation",
            "supplyingAgencyMessage": "supplyingAgencyMessageConfirmation",
            "requestingAgencyMessage": "requestingAgencyMessageConfirmation",
        }[kind]
        out = etree.Element(f"{{{NS}}}ISO18626Message", nsmap={None: NS})
        out.set(f"{{{NS}}}version", "1.2")
        message = etree.SubElement(out, f"{{{NS}}}{confirmation}")
        header = etree.SubElement(message, f"{{{NS}}}confirmationHeader")
        if head is not None:
            for name in ("supplyingAgencyId", "requestingAgencyId"):
                found = head.find(f"i:{name}", N)
                if found is not None:
                    header.append(copy.deepcopy(found))
        etree.SubElement(header, f"{{{NS}}}timestamp").text = _now()
        if head is not None:
            requesting = head.find("i:requestingAgencyRequestId", N)
            if requesting is not None:
                header.append(copy.deepcopy(requesting))
        etree.SubElement(header, f"{{{NS}}}timestampReceived").text = _now()
        etree.SubElement(header, f"{{{NS}}}messageStatus").text = "OK"
        return bytes(etree.tostring(out, xml_declaration=True, encoding="UTF-8"))

    def last(self, kind: str) -> Received:
        return [r for r in self.received if r.kind == kind][-1]

    # --- what we send Samsök ---

    def post(self, samsok_endpoint: str, body: bytes) -> etree._Element:
        """POST a message to Samsök; its confirmation, checked against the schema."""
        request = urllib.request.Request(
            samsok_endpoint, data=body, method="POST", headers={"Content-Type": "application/xml"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = etree.fromstring(response.read())
        assert self.schema.validate(answer), self.schema.error_log
        return answer

    def request(self, supplier: str, request_id: str, title: str = "Lord of the Rings") -> bytes:
        """The crosslink sample request (with its patronInfo) to one of the county's libraries."""
        root = etree.parse(str(self.samples / "request-willsupply-loaned.xml")).getroot()
        _set(root, "i:request/i:header/i:supplyingAgencyId/i:agencyIdValue", supplier)
        _set(root, "i:request/i:header/i:requestingAgencyId/i:agencyIdValue", self.agency_id)
        _set(root, "i:request/i:header/i:requestingAgencyRequestId", request_id)
        _set(root, "i:request/i:header/i:timestamp", _now())
        _set(root, "i:request/i:bibliographicInfo/i:title", title)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    def supplying(
        self, requester: str, request_id: str, status: str, reason: str = "StatusChange", answer: str = ""
    ) -> bytes:
        """The crosslink sample supplyingAgencyMessage with our status for Samsök's request."""
        root = etree.parse(str(self.samples / "supmsg-ok.xml")).getroot()
        message = "i:supplyingAgencyMessage"
        _set(root, f"{message}/i:header/i:supplyingAgencyId/i:agencyIdValue", self.agency_id)
        _set(root, f"{message}/i:header/i:requestingAgencyId/i:agencyIdValue", requester)
        _set(root, f"{message}/i:header/i:requestingAgencyRequestId", request_id)
        _set(root, f"{message}/i:header/i:supplyingAgencyRequestId", f"peer-{request_id}")
        _set(root, f"{message}/i:messageInfo/i:reasonForMessage", reason)
        if answer:
            info = root.find(f"{message}/i:messageInfo", N)
            assert info is not None
            etree.SubElement(info, f"{{{NS}}}answerYesNo").text = answer
        _set(root, f"{message}/i:statusInfo/i:status", status)
        if status != "Loaned":
            delivery = root.find(f"{message}/i:deliveryInfo", N)
            assert delivery is not None
            delivery.getparent().remove(delivery)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))

    def requesting(self, supplier: str, request_id: str, action: str) -> bytes:
        """The crosslink sample requestingAgencyMessage with our action on our request to Samsök."""
        root = etree.parse(str(self.samples / "reqmsg-ok.xml")).getroot()
        message = "i:requestingAgencyMessage"
        _set(root, f"{message}/i:header/i:supplyingAgencyId/i:agencyIdValue", supplier)
        _set(root, f"{message}/i:header/i:requestingAgencyId/i:agencyIdValue", self.agency_id)
        _set(root, f"{message}/i:header/i:requestingAgencyRequestId", request_id)
        _set(root, f"{message}/i:action", action)
        return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
