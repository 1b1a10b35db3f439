"""Fixtures: the availability samples, real local servers, and a title held by libraries."""

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone, translation

from catalog.models import Cluster, Holding, Library, SourceRecord
from harvest.models import Source
from tests.availability.servers import HangingServer, ReplayHttpServer, Sip2Server, closed_port

_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assertions read the English msgids, whatever the Swedish catalogue says by now."""
    with translation.override("en"):
        yield


@pytest.fixture
def samples(shared_testdata: Path) -> Path:
    return shared_testdata / "availability"


def _sip2_sample(samples: Path, name: str) -> str:
    return (samples / "sip2" / "boras-sip2-ruby" / f"{name}.sip2").read_bytes().decode("utf-8").rstrip(
        "\r\n"
    ) + "\r"


@pytest.fixture
def sip2_server(samples: Path) -> Iterator[Sip2Server]:
    with Sip2Server({name: _sip2_sample(samples, name) for name in ("18", "98")}) as server:
        yield server


def koha_responder(samples: Path) -> ReplayHttpServer:
    def respond(path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes]:
        service = query.get("service", [""])[0]
        if service == "GetAvailability":
            return 200, "text/xml", (samples / "koha-ilsdi" / "GetAvailability-doc-example.xml").read_bytes()
        if service == "GetRecords":
            return 200, "text/xml", (samples / "koha-ilsdi" / "GetRecords-doc-example.xml").read_bytes()
        return 400, "text/plain", b"unknown service"

    return ReplayHttpServer(respond)


@pytest.fixture
def koha_server(samples: Path) -> Iterator[ReplayHttpServer]:
    with koha_responder(samples) as server:
        yield server


def daia_responder(body: bytes, delay: float = 0.0) -> ReplayHttpServer:
    return ReplayHttpServer(lambda path, query: (200, "application/json", body), delay=delay)


@pytest.fixture
def daia_server(samples: Path) -> Iterator[ReplayHttpServer]:
    with daia_responder((samples / "daia" / "vufind" / "daia.json").read_bytes()) as server:
        yield server


@pytest.fixture
def garbage_server() -> Iterator[ReplayHttpServer]:
    with ReplayHttpServer(lambda path, query: (200, "text/xml", b"<html><body>Oops \x00\xff")) as server:
        yield server


@pytest.fixture
def hanging_server() -> Iterator[HangingServer]:
    with HangingServer() as server:
        yield server


@pytest.fixture
def down_port() -> int:
    return closed_port()


@pytest.fixture
def fast_timeout(settings: pytest.FixtureRequest) -> float:
    """A short timeout so the failure tests take fractions of a second."""
    settings.AVAILABILITY_TIMEOUT = 0.5  # type: ignore[attr-defined]
    return 0.5


def make_library(name: str, provider: str = "harvested", url: str = "", **options: object) -> Library:
    """A library with a code unique in this test run (the breaker state outlives a test)."""
    code = f"{name[:3]}{next(_codes)}"
    return Library.objects.create(
        code=code,
        name=name,
        availability_provider=provider,
        availability_url=url,
        availability_options=options,
    )


def make_cluster(title: str = "Pippi Långstrump") -> Cluster:
    return Cluster.objects.create(data={"title": title})


HARVEST_TIME = dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC)


def add_holding(
    cluster: Cluster,
    library: Library,
    local_id: str = "1",
    item_id: str = "",
    status: str = "available",
    due_date: dt.date | None = None,
    checked_at: dt.datetime | None = HARVEST_TIME,
) -> Holding:
    source, _ = Source.objects.get_or_create(library=library, defaults={"protocol": "oai-pmh", "url": "x"})
    record, _ = SourceRecord.objects.get_or_create(
        source=source, local_id=local_id, defaults={"cluster": cluster, "data": {"title": "t"}}
    )
    return Holding.objects.create(
        record=record,
        library=library,
        item_id=item_id,
        status=status,
        due_date=due_date,
        checked_at=checked_at,
        call_number=f"Hc {library.name}",
    )


def daia_json(*items: dict[str, object], document_id: str = "ppn:1") -> bytes:
    return json.dumps({"document": [{"id": document_id, "item": list(items)}]}).encode()


AVAILABLE_DAIA = daia_json({"id": "x:1", "available": [{"service": "loan"}]})


def now() -> dt.datetime:
    return timezone.now()
