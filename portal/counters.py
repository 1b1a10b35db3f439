"""Hit counters for the login lockout and the rate limits, in the cache every web process shares.

They live in their own cache alias, "counters" (settings.CACHES): Redis when REDIS_URL is set,
otherwise a file cache in SAMSOK_DATA_DIR, so several workers of the embedded default count
together and a restart forgets nothing. The default cache (availability) stays in memory there.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import caches


def _stored(key: str) -> str:
    """The name a counter is kept under. Counter keys name library cards, e-mail addresses, user
    names and client addresses, and a counter lives up to a day: the store (Redis, the counter
    files) sees only a hash keyed with SECRET_KEY, from which nobody can list whose they are."""
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()
    return f"counter:{digest[:32]}"


def count_hit(key: str, window_seconds: int) -> int:
    """Count one hit on `key` and return the count; the window starts at the first hit."""
    key = _stored(key)
    store = caches["counters"]
    store.add(key, 0, window_seconds)
    try:
        return int(store.incr(key))
    except ValueError:  # expired between add and incr
        store.set(key, 1, window_seconds)
        return 1


def hits(key: str) -> int:
    return int(caches["counters"].get(_stored(key), 0))


def forget(key: str) -> None:
    caches["counters"].delete(_stored(key))
