"""Is this library card valid? A SIP2 Patron Status (23/24) at the card's home library.

Reuses the availability provider's SIP2 session (deadline, login, checksums). The answer is
reduced to a verdict; nothing else about the patron is kept or returned.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from django.utils import timezone

from catalog.availability import sip2_messages as sip
from catalog.availability.base import ProviderError
from catalog.availability.providers.sip2 import open_session


class CardVerdict(Enum):
    VALID = "valid"
    BLOCKED = "blocked"  # charge privileges denied or card reported lost
    UNKNOWN = "unknown"  # BL N: the system does not know the card
    WRONG_PIN = "wrong_pin"  # CQ N when a PIN was given


def verdict_from_patron_status(message: sip.Sip2Message, pin_given: bool) -> CardVerdict:
    """A 24 Patron Status Response (or 64) as a verdict."""
    if message.get("BL") != "Y":
        return CardVerdict.UNKNOWN
    if pin_given and message.get("CQ") != "Y":
        return CardVerdict.WRONG_PIN
    status = message.fixed[:14]
    if any(status[i : i + 1] == "Y" for i in sip.PATRON_BLOCKED_AT):
        return CardVerdict.BLOCKED
    return CardVerdict.VALID


def check_patron(url: str, options: Mapping[str, Any], card: str, pin: str, timeout: float) -> CardVerdict:
    """Ask the SIP2 server at `url` about `card` (and `pin`) within `timeout` seconds.

    Raises Sip2Timeout (slow), Sip2Unreachable (down) or ProviderError (any other nonsense).
    """
    connection = open_session(url, options, timeout)
    try:
        answer = connection.exchange(
            sip.patron_status(
                card,
                timezone.localtime(),
                connection.sequence,
                patron_password=pin,
                institution=options.get("institution", ""),
                terminal_password=options.get("terminal_password", ""),
                encoding=connection.encoding,
            )
        )
    finally:
        connection.close()
    if answer.code != "24":
        raise ProviderError(f"SIP2 answered {answer.code} to Patron Status")
    return verdict_from_patron_status(answer, bool(pin))
