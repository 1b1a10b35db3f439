"""Fixed-window counters in the cache (Redis in production, so every web process shares them)."""

from django.core.cache import cache


def over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True once more than `limit` hits fell in the current window."""
    full_key = f"ratelimit:{key}"
    cache.add(full_key, 0, window_seconds)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.set(full_key, 1, window_seconds)
        count = 1
    return count > limit
