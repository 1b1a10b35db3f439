"""Fixed-window limits on the shared counters (portal.counters: every web process counts together)."""

from portal.counters import count_hit


def over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True once more than `limit` hits fell in the current window."""
    return count_hit(f"ratelimit:{key}", window_seconds) > limit
