"""Hit counters for the login lockout and the rate limits, in the cache every web process shares.

They live in their own cache alias, "counters" (settings.CACHES): Redis when REDIS_URL is set,
otherwise a file cache in SAMSOK_DATA_DIR, so several workers of the embedded default count
together and a restart forgets nothing. The default cache (availability) stays in memory there.
"""

from django.core.cache import caches


def count_hit(key: str, window_seconds: int) -> int:
    """Count one hit on `key` and return the count; the window starts at the first hit."""
    store = caches["counters"]
    store.add(key, 0, window_seconds)
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr
        store.set(key, 1, window_seconds)
        return 1


def hits(key: str) -> int:
    return int(caches["counters"].get(key, 0))


def forget(key: str) -> None:
    caches["counters"].delete(key)
