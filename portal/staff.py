"""Staff access: the `staff_required` view guard and the login lockout against password guessing.

Who counts as staff is decided in `catalog.access`; this module only applies that decision to views
and keeps failed-login counters in the cache (per account and per client address).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from catalog.access import is_staff_member

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])

# A failure counter lives this long; hitting the limit locks for the same time.
LOCKOUT_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20


def staff_required(view: ViewFunc) -> ViewFunc:
    """Let signed-in staff members through; send others to the login page (or 403 when signed in)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded  # type: ignore[return-value]


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites it.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def _account_key(username: str) -> str:
    return f"staff-login:account:{username.strip().lower()}"


def _address_key(address: str) -> str:
    return f"staff-login:address:{address}"


def login_locked(username: str, address: str) -> bool:
    """True while this account or this address has used up its failed attempts."""
    account = int(cache.get(_account_key(username), 0))
    by_address = int(cache.get(_address_key(address), 0))
    return account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def record_login_failure(username: str, address: str) -> None:
    for key in (_account_key(username), _address_key(address)):
        cache.add(key, 0, LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, LOCKOUT_SECONDS)


def clear_login_failures(username: str) -> None:
    cache.delete(_account_key(username))
