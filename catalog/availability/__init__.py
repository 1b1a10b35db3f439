"""Availability: harvested status plus live lookups in each library's own system.

Contract for the record page: `holding_lines(cluster, home_library, live)` (live=False never
waits for the network); result lists: `cluster_summaries(ids, live)`. JSON endpoints (views.py):
GET /api/v1/records/<id>/availability and GET /api/v1/availability?ids=1,2,3.

Configuration per library (Library row):
  availability_provider  "harvested" (default), "koha-ilsdi", "daia" or "sip2" — the names in
                         settings.AVAILABILITY_PROVIDERS; unknown names or an empty address
                         fall back to harvested
  availability_url       the ilsdi.pl / DAIA address, or host:port for SIP2
  availability_options   per provider (see each module in providers/), plus "timeout_ms"
                         (a shorter timeout than AVAILABILITY_TIMEOUT for this library)
Settings: AVAILABILITY_TIMEOUT (env AVAILABILITY_TIMEOUT_MS, 2000), AVAILABILITY_CACHE_SECONDS
(120), AVAILABILITY_BREAKER_FAILURES (3), AVAILABILITY_BREAKER_SECONDS (60),
AVAILABILITY_MAX_WORKERS (32 threads per process).
"""

from typing import TYPE_CHECKING, Any

__all__ = ["HoldingLine", "LiveStatus", "cluster_summaries", "holding_lines"]

if TYPE_CHECKING:
    from catalog.availability.base import LiveStatus
    from catalog.availability.lines import HoldingLine, holding_lines
    from catalog.availability.summary import cluster_summaries


def __getattr__(name: str) -> Any:
    # Imported lazily so `import catalog.availability` works before the app registry is ready.
    if name in ("HoldingLine", "holding_lines"):
        from catalog.availability import lines

        return getattr(lines, name)
    if name == "LiveStatus":
        from catalog.availability.base import LiveStatus

        return LiveStatus
    if name == "cluster_summaries":
        from catalog.availability.summary import cluster_summaries

        return cluster_summaries
    raise AttributeError(name)
