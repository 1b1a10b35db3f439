"""Clearing the lockout and rate-limit counters between tests (the "counters" cache alias)."""

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def clear_counters() -> None:
    counters = caches["counters"]
    if isinstance(counters, RedisCache):
        # Only this run's counters: clear() would flush the Redis database parallel runs share.
        client = counters._cache.get_client(write=True)
        keys = list(client.scan_iter(match=counters.make_key("*")))
        if keys:
            client.delete(*keys)
    else:
        counters.clear()
