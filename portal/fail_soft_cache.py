"""A Redis cache that a Redis outage cannot turn into errors: both cache aliases in production.

Nothing the cache holds is the only copy: availability and search answers come again from the
database or the live lookup, and the lockout and rate-limit counters only slow abuse down. So
when Redis does not answer, each call gives the answer of an empty cache instead of raising: a
read finds nothing, a write keeps nothing, `add` lets its caller go ahead (it was first) and
`incr` counts from nothing (the first hit), so limits and the lockout let requests through while
Redis is away. The patron's fjärrlån request is stored and its mail waits in the outbox.

After a failure the process leaves Redis alone for RETRY_SECONDS, so an unreachable server costs
one connection timeout per process now and then rather than one per call. The outage is logged
as a WARNING when it starts (then every REMIND_SECONDS while it lasts) and at INFO when Redis
answers again. `last_failure` keeps the reason for /healthz, which still reports the cache.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_SECONDS = 5.0
REMIND_SECONDS = 300.0


class _Outage:
    """Per server, shared by every thread's cache handler in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.resting_until = 0.0  # monotonic time before which Redis is not asked
        self.reported_at: float | None = None  # when the outage was last logged; None: no outage
        self.reason = ""


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class FailSoftRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._outage = _outage_of(server)

    @property
    def last_failure(self) -> str:
        """Why Redis last failed, while the outage lasts ("" when it answers)."""
        return self._outage.reason if self._outage.reported_at is not None else ""

    def _soft(self, fallback: T, call: Callable[[], T]) -> T:
        outage = self._outage
        if outage.reported_at is not None and time.monotonic() < outage.resting_until:
            return fallback
        try:
            result = call()
        except RedisError as error:
            self._failed(error)
            return fallback
        if outage.reported_at is not None:
            self._recovered()
        return result

    def _failed(self, error: RedisError) -> None:
        outage, now = self._outage, time.monotonic()
        with outage.lock:
            outage.resting_until = now + RETRY_SECONDS
            outage.reason = f"{type(error).__name__}: {error}"[:300]
            if outage.reported_at is not None and now - outage.reported_at < REMIND_SECONDS:
                return
            outage.reported_at = now
        log.warning(
            "cache unavailable (%s), working without it: lockout and rate limits let requests through",
            outage.reason,
        )

    def _recovered(self) -> None:
        with self._outage.lock:
            if self._outage.reported_at is None:
                return
            self._outage.reported_at = None
        log.info("cache available again")

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._soft(default, lambda: super(FailSoftRedisCache, self).get(key, default, version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._soft({}, lambda: super(FailSoftRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._soft(False, lambda: super(FailSoftRedisCache, self).has_key(key, version))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._soft(None, lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version))

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._soft(
            list(data), lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version)
        )

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        # True: the caller goes ahead as if it were first (a counter's window, a breaker's trial).
        return self._soft(True, lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        # A counter nobody could read is at its first hit: limits and the lockout let it through.
        return self._soft(delta, lambda: super(FailSoftRedisCache, self).incr(key, delta, version))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._soft(False, lambda: super(FailSoftRedisCache, self).touch(key, timeout, version))

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._soft(False, lambda: super(FailSoftRedisCache, self).delete(key, version))

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._soft(None, lambda: super(FailSoftRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._soft(None, lambda: super(FailSoftRedisCache, self).clear())
