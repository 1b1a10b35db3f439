"""What /healthz checks: each part answers ok or the reason it is not."""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from catalog.search import get_backend
from portal import heartbeat


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        # A fail-soft cache (portal.fail_soft_cache) answers "nothing cached" and keeps the reason.
        raise RuntimeError(getattr(cache, "last_failure", "") or "cache did not return what was stored")


def check_broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # embedded default: work runs in-process, there is no broker to be down
    import redis

    redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()


def check_search() -> None:
    if not get_backend().ping():
        raise RuntimeError("search backend did not answer")


def check_scheduler() -> None:
    """Celery beat (or the embedded default's run_scheduled) wrote its heartbeat lately."""
    problem = heartbeat.problem()
    if problem:
        raise RuntimeError(problem)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
    "scheduler": check_scheduler,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure is a finding, never a crash of the endpoint
            results[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    return results
