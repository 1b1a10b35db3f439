"""A circuit breaker per library, kept in the cache so every web process shares it.

closed: ask; count consecutive failures. After AVAILABILITY_BREAKER_FAILURES of them, open:
don't ask for AVAILABILITY_BREAKER_SECONDS. Then one process (cache.add wins) sends a single
trial request; success closes the breaker, failure opens it again for another period.
"""

import time

from django.conf import settings
from django.core.cache import cache

_STATE = "availability:breaker:{}"
_TRIAL = "availability:breaker-trial:{}"


def _key(template: str, library_code: str) -> str:
    return template.format(library_code.encode("utf-8").hex())


def allow_request(library_code: str) -> bool:
    """May we ask this library's system now?"""
    state = cache.get(_key(_STATE, library_code)) or {}
    open_until = state.get("open_until")
    if open_until is None:
        return True
    if time.time() < open_until:
        return False
    # Half-open: exactly one caller (across processes) gets to try.
    return cache.add(_key(_TRIAL, library_code), 1, timeout=max(1, int(settings.AVAILABILITY_TIMEOUT * 3)))


def record_success(library_code: str) -> None:
    cache.delete_many([_key(_STATE, library_code), _key(_TRIAL, library_code)])


def record_failure(library_code: str) -> None:
    key = _key(_STATE, library_code)
    state = cache.get(key) or {}
    failures = int(state.get("failures", 0)) + 1
    state = {"failures": failures, "open_until": state.get("open_until")}
    if failures >= settings.AVAILABILITY_BREAKER_FAILURES or state["open_until"] is not None:
        state["open_until"] = time.time() + settings.AVAILABILITY_BREAKER_SECONDS
    cache.set(key, state, timeout=settings.AVAILABILITY_BREAKER_SECONDS * 10)
    cache.delete(_key(_TRIAL, library_code))


def is_open(library_code: str) -> bool:
    """For display: is the breaker holding this library back right now?"""
    state = cache.get(_key(_STATE, library_code)) or {}
    return state.get("open_until") is not None and time.time() < state["open_until"]
