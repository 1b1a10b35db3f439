"""The login lockout, in the authentication layer: every way in (the staff login, /admin/login/, any
later one) is refused while locked and counts its failures on the same counters.

`LockoutGate` is the first authentication backend: while an account or a client address has used up
its failed attempts it stops `authenticate()` before any password is checked, so even the right
password is refused. Failures are counted from Django's `user_login_failed` signal, which fires for
a failure through any backend and any form.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from portal.counters import count_hit, forget, hits
from portal.proxy import client_address

# A failure counter lives this long from its first failure; hitting the limit locks until it ends.
LOCKOUT_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def _account_key(username: str) -> str:
    return f"staff-login:account:{username.strip().lower()}"


def _address_key(address: str) -> str:
    return f"staff-login:address:{address}"


def address_of(request: HttpRequest | None) -> str:
    return client_address(request) if request is not None else "unknown"


def login_locked(username: str, address: str) -> bool:
    """True while this account or this address has used up its failed attempts."""
    return (
        hits(_account_key(username)) >= MAX_FAILURES_PER_ACCOUNT
        or hits(_address_key(address)) >= MAX_FAILURES_PER_ADDRESS
    )


def record_login_failure(username: str, address: str) -> None:
    count_hit(_account_key(username), LOCKOUT_SECONDS)
    count_hit(_address_key(address), LOCKOUT_SECONDS)


def _username(credentials: dict[str, Any]) -> str:
    return str(credentials.get(get_user_model().USERNAME_FIELD) or "")


class LockoutGate:
    """Authentication backend that authenticates nobody; it refuses every attempt while locked."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if login_locked(_username(credentials), address_of(request)):
            raise PermissionDenied  # authenticate() stops here and sends user_login_failed
        return None  # let the next backend check the password


@receiver(user_login_failed, dispatch_uid="portal.lockout.count_failure")
def count_failure(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_login_failure(_username(credentials), address_of(request))


@receiver(user_logged_in, dispatch_uid="portal.lockout.forget_failures")
def forget_failures(sender: object, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # The address counter stays: one good password does not excuse guesses at other accounts.
    forget(_account_key(user.get_username()))
