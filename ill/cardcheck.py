"""The card check at the borrowing library: a live SIP2 Patron Status before the request is accepted.

A card the home library's system calls unknown, blocked or with a wrong PIN stops the form. When
the system is slow, down or answers nonsense the request is stored anyway, marked "card not
checked" with the reason: never lost, never blocked. Timeout and circuit breaker are the
live-availability ones (AVAILABILITY_TIMEOUT or a shorter "timeout_ms" in the options,
catalog.availability.breaker). The PIN is only passed
through, never stored or logged.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from catalog.availability import breaker
from catalog.availability.base import ProviderError
from catalog.availability.providers.sip2 import Sip2Timeout, Sip2Unreachable
from catalog.availability.registry import library_timeout
from catalog.availability.sip2_patron import CardVerdict, check_patron
from catalog.models import Library
from ill.models import CardCheck, CardNotChecked

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardCheckResult:
    """`verdict` when the system answered; otherwise `not_checked` says why (empty: no check set up)."""

    verdict: CardVerdict | None = None
    not_checked: str = ""
    checked_at: datetime | None = None

    @property
    def refused(self) -> bool:
        return self.verdict is not None and self.verdict != CardVerdict.VALID


def settings_for(library: Library) -> CardCheck | None:
    return CardCheck.objects.filter(library=library, enabled=True).first()


def refusal_message(verdict: CardVerdict, library: Library) -> str:
    """What the patron reads when the home library's system refuses the card."""
    messages = {
        CardVerdict.UNKNOWN: _(
            "The library system of %(library)s does not know this card number. Check the number on your card."
        ),
        CardVerdict.BLOCKED: _(
            "Your card at %(library)s cannot be used for loans right now. Contact your library."
        ),
        CardVerdict.WRONG_PIN: _("The PIN does not match the card. Try again."),
    }
    return messages[verdict] % {"library": library.name}


def breaker_key(library: Library) -> str:
    # Its own breaker: the patron service may be down while item lookups still work, or the reverse.
    return f"{library.code}#sip2-patron"


def check_card(library: Library, card: str, pin: str, now: datetime) -> CardCheckResult:
    """Check `card` at `library`'s system, when it has a card check set up."""
    check = settings_for(library)
    if check is None:
        return CardCheckResult()
    key = breaker_key(library)
    if not breaker.allow_request(key):
        return CardCheckResult(not_checked=CardNotChecked.DOWN)
    try:
        verdict = check_patron(check.sip2_address, check.options, card, pin, library_timeout(check.options))
    except ProviderError as exc:
        breaker.record_failure(key)
        log.warning("card check at %s failed: %s", library.code, type(exc).__name__)
        return CardCheckResult(not_checked=_reason(exc))
    breaker.record_success(key)
    return CardCheckResult(verdict=verdict, checked_at=now)


def _reason(exc: ProviderError) -> str:
    if isinstance(exc, Sip2Timeout):
        return CardNotChecked.TIMEOUT
    if isinstance(exc, Sip2Unreachable):
        return CardNotChecked.DOWN
    return CardNotChecked.GARBAGE
