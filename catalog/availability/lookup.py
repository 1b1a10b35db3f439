"""Live lookups: cache first, then every library's system in parallel within one deadline.

Each library with a live provider gets one batch call in a worker thread. Whatever has not
answered when the deadline passes is left out (the caller shows harvested status); the thread
is bounded by the same deadline, records its success or failure in the library's circuit
breaker and caches what it got, so even a late answer serves the next request.
"""

import hashlib
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from threading import Lock

from django.conf import settings
from django.core.cache import cache

from catalog.availability import breaker
from catalog.availability.base import AvailabilityProvider, LiveStatus, ProviderError
from catalog.availability.registry import get_provider
from catalog.models import Holding

logger = logging.getLogger(__name__)

_executor: ThreadPoolExecutor | None = None
_executor_lock = Lock()
# The caller waits this much beyond the timeout for a worker to hand over its answer.
HANDOVER_SECONDS = 0.05


@dataclass
class LookupResult:
    """Live statuses by holding id, and why some libraries have none (code → reason)."""

    statuses: dict[int, LiveStatus] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def cache_key(holding: Holding) -> str:
    """Per holding AND what identifies it at its library, so a reused row id never hits."""
    identity = f"{holding.pk}|{holding.library.code}|{holding.record.local_id}|{holding.item_id}"
    return f"availability:holding:{hashlib.sha1(identity.encode(), usedforsecurity=False).hexdigest()}"


def executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                settings.AVAILABILITY_MAX_WORKERS, thread_name_prefix="availability"
            )
        return _executor


def cached_statuses(holdings: Iterable[Holding]) -> dict[int, LiveStatus]:
    """Live statuses still in the cache; no network."""
    keys = {cache_key(h): h.pk for h in holdings}
    found = cache.get_many(list(keys))
    return {keys[key]: LiveStatus.from_dict(value) for key, value in found.items()}


def live_statuses(holdings: Sequence[Holding], network: bool = True) -> LookupResult:
    """Live status for holdings (record and library loaded): cache, then systems in parallel.

    With network=False only the cache is read (what the record page does on first render).
    Returns within settings.AVAILABILITY_TIMEOUT plus a few milliseconds.
    """
    result = LookupResult(statuses=cached_statuses(holdings))
    if not network:
        return result
    by_library: dict[str, list[Holding]] = defaultdict(list)
    providers: dict[str, AvailabilityProvider] = {}
    for holding in holdings:
        if holding.pk in result.statuses:
            continue
        code = holding.library.code
        if code not in providers:
            providers[code] = get_provider(holding.library)
        if providers[code].live:
            by_library[code].append(holding)
    _ask_all(providers, by_library, result)
    return result


def _ask_all(
    providers: dict[str, AvailabilityProvider], by_library: dict[str, list[Holding]], result: LookupResult
) -> None:
    deadline = time.monotonic() + settings.AVAILABILITY_TIMEOUT
    futures: dict[Future[dict[int, LiveStatus]], str] = {}
    for code, holdings in by_library.items():
        if not breaker.allow_request(code):
            result.failed[code] = "breaker_open"
            continue
        futures[executor().submit(ask_library, providers[code], code, holdings, deadline)] = code
    if not futures:
        return
    done, _late = wait(futures, timeout=max(0.0, deadline - time.monotonic()) + HANDOVER_SECONDS)
    for future, code in futures.items():
        if future not in done:
            result.failed[code] = "timeout"
        elif future.exception() is not None:
            result.failed[code] = "error"
        else:
            result.statuses.update(future.result())


def ask_library(
    provider: AvailabilityProvider, code: str, holdings: Sequence[Holding], deadline: float
) -> dict[int, LiveStatus]:
    """One library's batch call (runs in a worker thread; no database access here)."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise ProviderError("no worker free before the deadline")  # not the library's fault
    provider.timeout = min(provider.timeout, left)
    try:
        statuses = provider.get_statuses(holdings)
    except Exception as exc:
        breaker.record_failure(code)
        logger.warning("availability lookup for %s failed: %s", code, exc)
        raise
    breaker.record_success(code)
    if settings.AVAILABILITY_CACHE_SECONDS:
        cache.set_many(
            {cache_key(h): statuses[h.pk].as_dict() for h in holdings if h.pk in statuses},
            timeout=settings.AVAILABILITY_CACHE_SECONDS,
        )
    return statuses
