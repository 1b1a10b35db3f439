"""With Redis unreachable (cache and broker on a closed port) the site keeps working: pages and the
API answer from the database, limits and the lockout let requests through, a patron's fjärrlån
request is stored with its mail waiting in the outbox, and /healthz names the cache as failing."""

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client

from catalog.search.indexing import index_clusters
from ill.models import OutboxMessage, Request
from portal.celery import app
from tests.conftest import needs_redis
from tests.ill.test_patron import form_data
from tests.world.ill import County, make_county
from tests.world.places import PASSWORD

pytestmark = [pytest.mark.django_db, needs_redis]


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def reset_broker_connections() -> None:
    # The next send builds its pool anew from broker_url (kombu keeps one pool per URL).
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def dead_redis(settings: Any) -> Iterator[str]:
    """The cache aliases and the Celery broker as configured for Redis, on a closed port."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    broker = app.conf.broker_url  # read first: the app's settings load from Django's on first use
    # Changing CACHES drops every thread's cache handlers (django.test.signals), before and after.
    settings.CACHES = {alias: {**entry, "LOCATION": url} for alias, entry in settings.CACHES.items()}
    settings.CELERY_BROKER_URL = url
    app.conf.update(broker_url=url)
    reset_broker_connections()
    yield url
    app.conf.update(broker_url=broker)
    reset_broker_connections()


class Keeping(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def records_of(*names: str) -> Iterator[list[logging.LogRecord]]:
    """What these loggers log. A handler of their own, not caplog's on the root logger: a send
    through Celery sets Django up again (its fixup), which reapplies LOGGING to the root logger."""
    records: list[logging.LogRecord] = []
    handler = Keeping(records)
    for name in names:
        logging.getLogger(name).addHandler(handler)
    try:
        yield records
    finally:
        for name in names:
            logging.getLogger(name).removeHandler(handler)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county() -> County:
    county = make_county()
    index_clusters([county.cluster.pk])
    return county


def test_record_page_answers_from_the_database(dead_redis: str, client: Client, county: County) -> None:
    response = client.get(f"/post/{county.cluster.pk}/")
    assert response.status_code == 200
    assert "Röda rummet" in response.content.decode()


def test_api_search_and_availability_answer(dead_redis: str, client: Client, county: County) -> None:
    search = client.get("/api/v1/search", {"q": "röda rummet"})
    assert search.status_code == 200 and search.json()["total"] == 1
    availability = client.get(f"/api/v1/records/{county.cluster.pk}/availability")
    assert availability.status_code == 200
    statuses = {h["library"]: h["status"] for h in availability.json()["holdings"]}
    assert statuses["Nyks"] == "available" and statuses["G"] == "on_loan"  # as harvested


def test_fjarrlan_request_is_stored_and_its_mail_waits(
    dead_redis: str,
    client: Client,
    county: County,
    django_capture_on_commit_callbacks: Any,
) -> None:
    logged = records_of("portal.fail_soft_cache", "portal.jobs")
    with logged as records, django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/fjarrlan/ny/?record={county.cluster.pk}", form_data(county))
    assert response.status_code == 302 and response["Location"] == "/fjarrlan/tack/"
    request = Request.objects.get()
    assert request.card_number == "1234567890"
    mail = OutboxMessage.objects.get(request=request)
    assert mail.sent_at is None  # the outbox sweep sends it once it can
    cache_warnings = [r for r in records if r.name == "portal.fail_soft_cache"]
    assert len(cache_warnings) == 1 and "Connection" in cache_warnings[0].getMessage()  # once, not per call
    assert any("broker is unavailable" in r.getMessage() for r in records)  # the dispatch had its turn


def test_staff_sign_in_works_and_the_lockout_lets_it_through(
    dead_redis: str, client: Client, county: County
) -> None:
    for _ in range(8):  # more than the lockout allows, uncounted while Redis is away
        assert client.post("/staff/login/", {"username": "sara", "password": "wrong"}).status_code == 200
    response = client.post("/staff/login/", {"username": "sara", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_healthz_names_the_cache(dead_redis: str, client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"].startswith("error: RuntimeError: ConnectionError"), checks
    assert checks["database"] == "ok"
