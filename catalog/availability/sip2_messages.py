"""SIP2 messages (3M Standard Interchange Protocol 2.00): build, check, parse.

A message is a two-digit id, a fixed-length part, then variable fields `XXvalue|`, and with
error detection `AY<sequence>AZ<checksum>` and a carriage return. The checksum is the two's
complement of the 16-bit sum of every byte up to and including 'AZ', as 4 hex digits.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

# Length of the fixed part after the message id, for the responses we read.
FIXED_LENGTHS = {
    "09": 37,
    "10": 22,
    "17": 18,
    "18": 24,
    "23": 21,
    "24": 35,
    "63": 31,
    "64": 59,
    "94": 1,
    "98": 34,
    "99": 8,
}
# Patron status (24/64, first 14 fixed characters): 'Y' at these positions means the card may not borrow.
PATRON_BLOCKED_AT = {0: "charge privileges denied", 4: "card reported lost"}
_TRAILER = re.compile(r"\|?AY(\d)AZ([0-9A-Fa-f]{4})$")


class Sip2Error(ValueError):
    """A message that is not SIP2, or whose checksum or sequence number is wrong."""


def checksum(text: str, encoding: str = "utf-8") -> str:
    return f"{-sum(text.encode(encoding)) & 0xFFFF:04X}"


def with_error_detection(body: str, sequence: int, encoding: str = "utf-8") -> str:
    """body + AY<n>AZ<checksum> + CR."""
    head = f"{body}AY{sequence % 10}AZ"
    return f"{head}{checksum(head, encoding)}\r"


def sip_timestamp(when: dt.datetime) -> str:
    """SIP2's 18-character date: YYYYMMDDZZZZHHMMSS (ZZZZ = four spaces for local time)."""
    return when.strftime("%Y%m%d    %H%M%S")


def item_information(
    item_id: str,
    when: dt.datetime,
    sequence: int,
    institution: str = "",
    terminal_password: str = "",
    encoding: str = "utf-8",
) -> str:
    """17 Item Information request."""
    body = f"17{sip_timestamp(when)}AO{institution}|AB{item_id}|AC{terminal_password}|"
    return with_error_detection(body, sequence, encoding)


def patron_status(
    patron_id: str,
    when: dt.datetime,
    sequence: int,
    patron_password: str = "",
    institution: str = "",
    terminal_password: str = "",
    encoding: str = "utf-8",
) -> str:
    """23 Patron Status request (language 000 = unknown); the answer is a 24."""
    body = (
        f"23000{sip_timestamp(when)}AO{institution}|AA{patron_id}|AC{terminal_password}|AD{patron_password}|"
    )
    return with_error_detection(body, sequence, encoding)


def login(user: str, password: str, location: str, sequence: int, encoding: str = "utf-8") -> str:
    """93 Login (UID/PWD algorithm 0 = plain)."""
    return with_error_detection(f"9300CN{user}|CO{password}|CP{location}|", sequence, encoding)


def sc_status(sequence: int) -> str:
    """99 SC Status: status OK, print width 80, protocol 2.00."""
    return with_error_detection("9900802.00", sequence)


@dataclass
class Sip2Message:
    code: str
    fixed: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    sequence: int | None = None

    def get(self, name: str) -> str:
        values = self.fields.get(name)
        return values[0] if values else ""


def parse_message(raw: str, encoding: str = "utf-8") -> Sip2Message:
    """Parse one message (with or without its CR); checks the checksum when there is one.

    Unknown field codes (ZZ, XZ, ...) are kept, not refused: vendors add their own.
    """
    text = raw.rstrip("\r\n")
    if len(text) < 2 or not text[:2].isdigit():
        raise Sip2Error(f"not a SIP2 message: {text[:20]!r}")
    sequence = None
    trailer = _TRAILER.search(text)
    if trailer:
        head = text[: trailer.end(2) - 4]
        if checksum(head, encoding) != trailer[2].upper():
            raise Sip2Error("checksum mismatch")
        sequence = int(trailer[1])
        text = text[: trailer.start()]
    code = text[:2]
    length = FIXED_LENGTHS.get(code, 0)
    fixed, rest = text[2 : 2 + length], text[2 + length :]
    if len(fixed) < length:
        raise Sip2Error(f"message {code} is too short")
    fields: dict[str, list[str]] = {}
    for part in rest.split("|"):
        if len(part) >= 2:
            fields.setdefault(part[:2], []).append(part[2:])
    return Sip2Message(code, fixed, fields, sequence)
