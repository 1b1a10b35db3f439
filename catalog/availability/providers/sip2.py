"""SIP2 Item Information (17/18) over TCP: one connection per batch, one request per item.

Library.availability_url is "host:port" (or sip2://host:port). availability_options:
  institution, terminal_password   AO and AC of each request
  login_user, login_password, location   send 93 Login first when login_user is set
  encoding                         of the connection (default utf-8; some servers use cp850)
Holdings without an item id (barcode) cannot be asked and keep their harvested status.
"""

import datetime as dt
import socket
import time
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from catalog.availability import sip2_messages as sip
from catalog.availability.base import AvailabilityProvider, LiveStatus, ProviderError
from catalog.availability.dates import parse_due_date
from catalog.models import Holding, ItemStatus

# SIP2 circulation status (18, fixed field 1) → Samsök status.
CIRCULATION_STATUS = {
    "01": ItemStatus.UNKNOWN,  # other
    "02": ItemStatus.ORDERED,  # on order
    "03": ItemStatus.AVAILABLE,
    "04": ItemStatus.ON_LOAN,  # charged
    "05": ItemStatus.ON_LOAN,  # charged, not to be recalled until ...
    "06": ItemStatus.UNKNOWN,  # in process
    "07": ItemStatus.ON_LOAN,  # recalled
    "08": ItemStatus.ON_HOLD_SHELF,
    "09": ItemStatus.AVAILABLE,  # waiting to be re-shelved: back in the library
    "10": ItemStatus.IN_TRANSIT,
    "11": ItemStatus.UNKNOWN,  # claimed returned
    "12": ItemStatus.NOT_FOR_LOAN,  # lost
    "13": ItemStatus.NOT_FOR_LOAN,  # missing
}


def status_from_item_information(message: sip.Sip2Message, now: dt.datetime) -> LiveStatus:
    """An 18 Item Information Response as a LiveStatus (due date AH, hold queue CF)."""
    status = CIRCULATION_STATUS.get(message.fixed[:2], ItemStatus.UNKNOWN)
    queue = message.get("CF")
    return LiveStatus(
        status=status,
        due_date=parse_due_date(message.get("AH")) if status == ItemStatus.ON_LOAN else None,
        queue_length=int(queue) if queue.isdigit() else None,
        checked_at=now,
        message=message.get("AF"),
    )


def parse_address(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "//" in url else f"sip2://{url}")
    if not parts.hostname or not parts.port:
        raise ProviderError(f"SIP2 address needs host:port, got {url!r}")
    return parts.hostname, parts.port


class Sip2Timeout(ProviderError):
    """The SIP2 server did not connect or answer within the timeout."""


class Sip2Unreachable(ProviderError):
    """The SIP2 server refused or dropped the connection (down). Other ProviderErrors: garbage."""


class Sip2Connection:
    """A SIP2 session with a deadline: every read is bounded by the time left."""

    def __init__(self, address: tuple[str, int], deadline: float, encoding: str = "utf-8"):
        self.deadline = deadline
        self.encoding = encoding
        self.sequence = 0
        self.buffer = b""
        try:
            self.sock = socket.create_connection(address, timeout=self._left())
        except TimeoutError:
            raise Sip2Timeout(f"SIP2 {address[0]}:{address[1]}: no connection within the timeout") from None
        except OSError as exc:
            raise Sip2Unreachable(f"SIP2 {address[0]}:{address[1]}: {exc}") from None

    def _left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise Sip2Timeout("SIP2 answer took longer than the timeout")
        return left

    def exchange(self, message: str) -> sip.Sip2Message:
        """Send one message, read one CR-terminated answer, check checksum and sequence."""
        sent_sequence = self.sequence
        self.sequence = (self.sequence + 1) % 10
        try:
            self.sock.settimeout(self._left())
            self.sock.sendall(message.encode(self.encoding))
            raw = self._read_line()
            answer = sip.parse_message(raw.decode(self.encoding, errors="replace"), self.encoding)
        except sip.Sip2Error as exc:
            raise ProviderError(f"SIP2: {exc}") from None
        except TimeoutError:
            raise Sip2Timeout("SIP2 answer took longer than the timeout") from None
        except OSError as exc:
            raise Sip2Unreachable(f"SIP2: {exc}") from None
        if answer.sequence is not None and answer.sequence != sent_sequence:
            raise ProviderError("SIP2 answer has the wrong sequence number")
        return answer

    def _read_line(self) -> bytes:
        while b"\r" not in self.buffer:
            self.sock.settimeout(self._left())
            chunk = self.sock.recv(4096)
            if not chunk:
                raise Sip2Unreachable("SIP2 server closed the connection")
            self.buffer += chunk
            if len(self.buffer) > 65536:
                raise ProviderError("SIP2 answer too long")
        line, _, self.buffer = self.buffer.partition(b"\r")
        return line.lstrip(b"\n")

    def close(self) -> None:
        self.sock.close()


def open_session(url: str, options: Mapping[str, Any], timeout: float) -> Sip2Connection:
    """Connect to a SIP2 server within `timeout` and log in (93) when options name a login_user."""
    connection = Sip2Connection(
        parse_address(url), time.monotonic() + timeout, options.get("encoding", "utf-8")
    )
    user = options.get("login_user")
    if user:
        login = sip.login(
            user,
            options.get("login_password", ""),
            options.get("location", ""),
            connection.sequence,
            connection.encoding,
        )
        try:
            answer = connection.exchange(login)
        except ProviderError:
            connection.close()
            raise
        if answer.code != "94" or answer.fixed != "1":
            connection.close()
            raise ProviderError("SIP2 login refused")
    return connection


class Sip2Provider(AvailabilityProvider):
    """Item Information for each holding with a barcode, on one connection."""

    def _connect(self) -> Sip2Connection:
        return open_session(self.url, self.options, self.timeout)

    def get_statuses(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        asked = [h for h in holdings if h.item_id]
        if not asked:
            return {}
        connection = self._connect()
        try:
            return {h.pk: self._item(connection, h.item_id) for h in asked}
        finally:
            connection.close()

    def _item(self, connection: Sip2Connection, item_id: str) -> LiveStatus:
        request = sip.item_information(
            item_id,
            timezone.localtime(),
            connection.sequence,
            self.options.get("institution", ""),
            self.options.get("terminal_password", ""),
            connection.encoding,
        )
        answer = connection.exchange(request)
        if answer.code != "18":
            raise ProviderError(f"SIP2 answered {answer.code} to Item Information")
        return status_from_item_information(answer, timezone.now())

    def ping(self) -> bool:
        try:
            connection = self._connect()
            try:
                return connection.exchange(sip.sc_status(connection.sequence)).code == "98"
            finally:
                connection.close()
        except ProviderError:
            return False
