"""holding_lines, the cache, the circuit breaker and the JSON endpoints, on real local servers."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client

from catalog.availability import breaker, holding_lines
from catalog.availability.summary import cluster_summaries
from tests.availability.conftest import add_holding, daia_json, daia_responder, make_cluster, make_library
from tests.availability.servers import HangingServer, ReplayHttpServer, Sip2Server

pytestmark = pytest.mark.django_db

AVAILABLE = {"id": "x:1", "available": [{"service": "loan"}]}
ON_LOAN = {"id": "x:1", "unavailable": [{"service": "loan", "expected": "2026-12-01", "queue": 2}]}


@pytest.mark.sqlite
def test_harvested_lines_home_first_then_by_name() -> None:
    cluster = make_cluster()
    ulricehamn, boras, alingsas = (make_library(n) for n in ("Ulricehamn", "Borås", "Alingsås"))
    for library in (ulricehamn, boras, alingsas):
        add_holding(cluster, library, status="on_loan", due_date=dt.date(2026, 12, 1))
    lines = holding_lines(cluster, home_library=ulricehamn.code, live=False)
    assert [line.library_name for line in lines] == ["Ulricehamn", "Alingsås", "Borås"]
    assert lines[0].is_home and lines[0].source == "harvested"
    assert lines[0].freshness.startswith(("from the 04:00 harvest", "from the harvest of 22 Nov 04:00"))
    assert lines[0].due_date == dt.date(2026, 12, 1) and not lines[0].disagrees


@pytest.mark.sqlite
def test_live_status_from_daia_says_so_and_flags_disagreement() -> None:
    cluster = make_cluster()
    with daia_responder(daia_json(AVAILABLE)) as server:
        library = make_library("Borås", "daia", server.url, id_prefix="ppn:")
        add_holding(cluster, library, status="on_loan")
        [line] = holding_lines(cluster, None, live=True)
    assert (line.status, line.source, line.indexed_status) == ("available", "live", "on_loan")
    assert line.disagrees and "on loan" in line.note
    assert line.freshness.startswith("live, checked ")


def test_first_render_does_not_wait_for_the_network() -> None:
    cluster = make_cluster()
    with daia_responder(daia_json(AVAILABLE), delay=1) as server:
        add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        started = time.monotonic()
        [line] = holding_lines(cluster, None, live=False)
        assert time.monotonic() - started < 0.3 and server.requests == []  # the server takes 1 s
    assert line.source == "harvested"


def test_live_results_are_cached(samples: Path) -> None:
    cluster = make_cluster()
    with daia_responder(daia_json(ON_LOAN)) as server:
        add_holding(cluster, make_library("Borås", "daia", server.url, id_prefix="ppn:"))
        first = holding_lines(cluster, None, live=True)
        second = holding_lines(cluster, None, live=True)
        cached_only = holding_lines(cluster, None, live=False)
    assert len(server.requests) == 1
    for lines in (first, second, cached_only):
        assert (lines[0].status, lines[0].source, lines[0].queue_length) == ("on_loan", "live", 2)


def test_failing_systems_answer_within_the_timeout_with_harvested_status(
    fast_timeout: float,
    sip2_server: Sip2Server,
    hanging_server: HangingServer,
    garbage_server: ReplayHttpServer,
    koha_server: ReplayHttpServer,
    down_port: int,
) -> None:
    """One title at six libraries: SIP2 and Koha answer; hanging, garbage and down ones don't."""
    cluster = make_cluster()
    add_holding(cluster, make_library("Borås", "sip2", sip2_server.url), item_id="SomeBarcode")
    add_holding(cluster, make_library("Koha", "koha-ilsdi", koha_server.url), item_id="2", status="on_loan")
    hanging = make_library("Hänger", "daia", f"http://127.0.0.1:{hanging_server.port}/")
    garbage = make_library("Skräp", "koha-ilsdi", garbage_server.url)
    down = make_library("Nere", "sip2", f"127.0.0.1:{down_port}")
    # Three systems that hang: asked one after the other they would take three timeouts.
    more_hanging = [
        make_library(f"Hänger {n}", "daia", f"http://127.0.0.1:{hanging_server.port}/{n}") for n in (2, 3)
    ]
    for library in (hanging, garbage, down, *more_hanging):
        add_holding(cluster, library, item_id="1", status="on_loan")
    add_holding(cluster, make_library("Harvest only"), status="available")

    started = time.monotonic()
    lines = {line.library_name: line for line in holding_lines(cluster, None, live=True)}
    assert time.monotonic() - started < fast_timeout + 0.3  # all asked at once
    assert all(lines[f"Hänger {n}"].live_failed for n in (2, 3))

    assert (lines["Borås"].source, lines["Borås"].status) == ("live", "on_loan")
    assert lines["Borås"].due_date == dt.date(2023, 8, 31)
    assert (lines["Koha"].source, lines["Koha"].status) == ("live", "available")
    for name in ("Hänger", "Skräp", "Nere"):
        assert (lines[name].source, lines[name].status, lines[name].live_failed) == (
            "harvested",
            "on_loan",
            True,
        )
        assert lines[name].freshness.startswith("from the")
    assert not lines["Harvest only"].live_failed and lines["Harvest only"].source == "harvested"


def test_circuit_breaker_opens_and_closes(settings: pytest.FixtureRequest) -> None:
    settings.AVAILABILITY_BREAKER_FAILURES = 2  # type: ignore[attr-defined]
    settings.AVAILABILITY_BREAKER_SECONDS = 1  # type: ignore[attr-defined]
    settings.AVAILABILITY_CACHE_SECONDS = 0  # type: ignore[attr-defined]
    cluster = make_cluster()
    answers = {"body": b"garbage"}
    with ReplayHttpServer(lambda path, query: (200, "application/json", answers["body"])) as server:
        library = make_library("Borås", "daia", server.url)
        add_holding(cluster, library, status="on_loan")
        for _ in range(2):
            assert holding_lines(cluster, None, live=True)[0].live_failed
        assert breaker.is_open(library.code) and len(server.requests) == 2

        [line] = holding_lines(cluster, None, live=True)  # open: the system is not asked
        assert line.live_failed and line.source == "harvested" and len(server.requests) == 2

        answers["body"] = daia_json(AVAILABLE)
        time.sleep(1.05)  # cool-down over: one trial request, which succeeds and closes it
        [line] = holding_lines(cluster, None, live=True)
        assert line.source == "live" and line.status == "available" and len(server.requests) == 3
        assert not breaker.is_open(library.code)


def test_breaker_state_is_shared_through_the_cache(settings: pytest.FixtureRequest) -> None:
    """Another process sees the same state: it lives in the cache (Redis in production)."""
    settings.AVAILABILITY_BREAKER_FAILURES = 1  # type: ignore[attr-defined]
    breaker.record_failure("Shared1")
    state = cache.get(breaker._key(breaker._STATE, "Shared1"))
    assert state["failures"] == 1 and state["open_until"] > time.time()
    assert not breaker.allow_request("Shared1")
    breaker.record_success("Shared1")
    assert breaker.allow_request("Shared1")


def test_half_open_lets_only_one_caller_try(settings: pytest.FixtureRequest) -> None:
    settings.AVAILABILITY_BREAKER_FAILURES = 1  # type: ignore[attr-defined]
    settings.AVAILABILITY_BREAKER_SECONDS = 1  # type: ignore[attr-defined]
    breaker.record_failure("Trial1")
    cache.set(breaker._key(breaker._STATE, "Trial1"), {"failures": 1, "open_until": time.time() - 1})
    assert [breaker.allow_request("Trial1") for _ in range(3)] == [True, False, False]


@pytest.mark.sqlite
def test_summaries_for_a_result_page_in_one_batch_per_library() -> None:
    in_stock, everywhere_out, nowhere = make_cluster("A"), make_cluster("B"), make_cluster("C")
    with daia_responder(daia_json(ON_LOAN)) as server:
        borås = make_library("Borås", "daia", server.url)
        alingsås = make_library("Alingsås")
        add_holding(in_stock, borås, local_id="a", status="on_loan")
        add_holding(in_stock, alingsås, local_id="a", status="available")
        add_holding(everywhere_out, borås, local_id="b", status="available")
        summaries = cluster_summaries([in_stock.pk, everywhere_out.pk, nowhere.pk])
    assert len(server.requests) == 1  # one batch call for both titles held by Borås
    assert "id=a%7Cb" in server.requests[0]
    assert summaries[in_stock.pk]["available_at"] == [alingsås.code]  # codes, as in a search hit
    assert summaries[in_stock.pk]["available_at_libraries"] == [{"code": alingsås.code, "name": "Alingsås"}]
    assert summaries[in_stock.pk]["text"] == "Available at 1 library: Alingsås"
    assert summaries[in_stock.pk]["state"] == "in"
    # The DAIA answer names no document, so Borås keeps its harvested status.
    assert summaries[everywhere_out.pk]["available_at"] == [borås.code]
    assert summaries[nowhere.pk]["text"] == "No copies"


@pytest.mark.sqlite
def test_on_loan_everywhere_with_queue() -> None:
    cluster = make_cluster()
    for name in ("Borås", "Alingsås"):
        holding = add_holding(cluster, make_library(name), status="on_loan", due_date=dt.date(2026, 12, 1))
        holding.queue_length = 2
        holding.save()
    summary = cluster_summaries([cluster.pk], live=False)[cluster.pk]
    assert summary["on_loan_everywhere"] and summary["queue_length"] == 4
    assert summary["text"] == "On loan everywhere – queue 4" and summary["state"] == "out"  # noqa: RUF001
    assert summary["earliest_due_date"] == "2026-12-01"


@pytest.mark.sqlite
def test_a_title_level_queue_repeated_on_each_copy_counts_once_per_library() -> None:
    """Koha GetRecords and DAIA give every copy the title's queue: Borås's 4 is one queue of 4."""
    cluster = make_cluster()
    borås, alingsås = make_library("Borås"), make_library("Alingsås")
    for library, local_id, queue in ((borås, "a", 4), (borås, "b", 4), (alingsås, "c", 2)):
        holding = add_holding(cluster, library, local_id=local_id, status="on_loan")
        holding.queue_length = queue
        holding.save()
    assert cluster_summaries([cluster.pk], live=False)[cluster.pk]["queue_length"] == 6


@pytest.mark.urls("tests.availability.urls")
def test_record_availability_endpoint(client: Client) -> None:
    cluster = make_cluster()
    with daia_responder(daia_json(AVAILABLE)) as server:
        add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        response = client.get(f"/api/v1/records/{cluster.pk}/availability", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    [holding] = response.json()["holdings"]
    assert holding["status"] == "available" and holding["source"] == "live" and holding["disagrees"]
    assert holding["freshness"].startswith("live, checked")
    assert response.json()["unanswered"] == []
    missing = client.get("/api/v1/records/999999999/availability")
    assert missing.status_code == 404 and "error" in missing.json()


@pytest.mark.sqlite
@pytest.mark.urls("tests.availability.urls")
def test_batch_endpoint(client: Client) -> None:
    cluster = make_cluster()
    add_holding(cluster, make_library("Borås"), status="available")
    response = client.get(f"/api/v1/availability?ids={cluster.pk},{cluster.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.json()["records"][str(cluster.pk)]["text"] == "Available at 1 library: Borås"
    for bad in ("", "1,x", "-1", ",".join(["1"] * 101)):
        assert client.get(f"/api/v1/availability?ids={bad}").status_code == 400


@pytest.mark.sqlite
def test_holdings_table_is_accessible_and_csp_safe() -> None:
    cluster = make_cluster()
    add_holding(cluster, make_library("Borås"), status="on_loan", due_date=dt.date(2026, 12, 1))
    html = render_to_string(
        "catalog/_holdings.html",
        {"holding_lines": holding_lines(cluster, None, live=False), "cluster": cluster},
    )
    assert '<th scope="col">' in html and '<th scope="row">' in html
    assert f'data-availability-url="/api/v1/records/{cluster.pk}/availability"' in html
    assert 'aria-live="polite"' in html and 'href="?live=1#holdings"' in html
    assert "style=" not in html and "<script>" not in html and 'src="/static/js/availability.js"' in html
    assert "1 Dec 2026" in html or "1 dec 2026" in html


def test_record_page_with_live_1_answers_within_the_timeout(
    client: Client, fast_timeout: float, hanging_server: HangingServer
) -> None:
    """The portal's record page (?live=1, the no-JS 'check now') with a library that hangs."""
    cluster = make_cluster()
    add_holding(cluster, make_library("Hänger", "daia", f"http://127.0.0.1:{hanging_server.port}/"))
    started = time.monotonic()
    response = client.get(f"/post/{cluster.pk}/?live=1")
    assert time.monotonic() - started < fast_timeout + 0.3
    assert response.status_code == 200
    assert b'data-source="harvested"' in response.content


@pytest.mark.urls("tests.availability.urls")
def test_record_endpoint_names_the_libraries_that_did_not_answer(
    client: Client, fast_timeout: float, hanging_server: HangingServer
) -> None:
    cluster = make_cluster()
    library = make_library("Hänger", "daia", f"http://127.0.0.1:{hanging_server.port}/")
    add_holding(cluster, library, status="on_loan")
    started = time.monotonic()
    data = client.get(f"/api/v1/records/{cluster.pk}/availability").json()
    assert time.monotonic() - started < fast_timeout + 0.3
    assert data["unanswered"] == [library.code]
    assert data["holdings"][0]["source"] == "harvested" and data["holdings"][0]["live_failed"]


@pytest.mark.sqlite
def test_registry_falls_back_to_harvested(settings: pytest.FixtureRequest) -> None:
    from catalog.availability.registry import get_provider
    from catalog.models import Library

    assert get_provider(Library(code="X", availability_provider="no-such")).live is False
    assert get_provider(Library(code="X", availability_provider="daia", availability_url="")).live is False
    daia = get_provider(Library(code="X", availability_provider="daia", availability_url="http://x/"))
    assert daia.live is True and daia.timeout == settings.AVAILABILITY_TIMEOUT  # type: ignore[attr-defined]
    short = Library(
        code="X",
        availability_provider="sip2",
        availability_url="h:1",
        availability_options={"timeout_ms": 500},
    )
    assert get_provider(short).timeout == 0.5
    longer = Library(
        code="X",
        availability_provider="sip2",
        availability_url="h:1",
        availability_options={"timeout_ms": 9000},
    )
    assert get_provider(longer).timeout == settings.AVAILABILITY_TIMEOUT  # type: ignore[attr-defined]
