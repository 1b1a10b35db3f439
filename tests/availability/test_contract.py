"""One contract, every provider: the same promises from harvested, Koha ILS-DI, DAIA and SIP2."""

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from catalog.availability.base import AvailabilityProvider, LiveStatus, ProviderError
from catalog.availability.registry import PROVIDERS, provider_class
from catalog.models import Holding, ItemStatus, Library, SourceRecord
from tests.availability.conftest import HARVEST_TIME, _sip2_sample, daia_responder, koha_responder
from tests.availability.servers import HangingServer, ReplayHttpServer, Sip2Server, closed_port

LIBRARY = Library(code="Bo", name="Borås")
# A holding each live sample knows: Koha item 1, DAIA document ppn:027586081, SIP2 SomeBarcode.
KNOWN = {"koha-ilsdi": ("1", "1"), "daia": ("027586081", "711134758"), "sip2": ("1", "SomeBarcode")}


def holding(pk: int, local_id: str, item_id: str) -> Holding:
    return Holding(
        pk=pk,
        item_id=item_id,
        status="on_loan",
        checked_at=HARVEST_TIME,
        record=SourceRecord(local_id=local_id),
        library=LIBRARY,
    )


@pytest.fixture(params=PROVIDERS.names())
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def good(name: str, samples: Path) -> Iterator[Callable[[float], AvailabilityProvider]]:
    """A factory for `name`'s provider pointed at a server that answers with the samples."""
    with ExitStack() as stack:
        url, options = "", {}
        if name == "koha-ilsdi":
            url = stack.enter_context(koha_responder(samples)).url
        elif name == "daia":
            body = (samples / "daia" / "vufind" / "daia.json").read_bytes()
            url, options = stack.enter_context(daia_responder(body)).url, {"id_prefix": "ppn:"}
        elif name == "sip2":
            sip2 = Sip2Server({n: _sip2_sample(samples, n) for n in ("18", "98")})
            url = stack.enter_context(sip2).url
        elif name != "harvested":
            pytest.fail(f"availability provider {name!r} has no sample server in {__name__}: add one")
        yield lambda timeout: provider_class(name)(url=url, options=options, timeout=timeout)


def failing_url(name: str, kind: str, stack: ExitStack) -> str:
    if kind == "down":
        port = closed_port()
    elif kind == "hanging":
        port = stack.enter_context(HangingServer()).port
    else:
        server = ReplayHttpServer(lambda path, query: (200, "text/plain", b"\x00garbage\r"))
        port = int(stack.enter_context(server).server.server_address[1])
    return f"127.0.0.1:{port}" if name == "sip2" else f"http://127.0.0.1:{port}/"


def test_empty_batch_asks_nothing(good: Callable[[float], AvailabilityProvider]) -> None:
    assert good(2).get_statuses([]) == {}


def test_answers_in_the_vocabulary_for_the_holdings_asked(
    name: str, good: Callable[[float], AvailabilityProvider]
) -> None:
    local_id, item_id = KNOWN.get(name, ("1", "1"))
    statuses = good(2).get_statuses([holding(7, local_id, item_id)])
    assert set(statuses) == {7}
    assert isinstance(statuses[7], LiveStatus) and statuses[7].status in ItemStatus.values
    assert statuses[7].checked_at is not None


def test_ping(good: Callable[[float], AvailabilityProvider]) -> None:
    assert good(2).ping() is True


@pytest.mark.parametrize("kind", ["down", "hanging", "garbage"])
def test_failures_are_provider_errors_within_the_timeout(name: str, kind: str) -> None:
    if name == "harvested":
        pytest.skip("never asks a server")
    with ExitStack() as stack:
        provider = provider_class(name)(url=failing_url(name, kind, stack), options={}, timeout=0.3)
        started = time.monotonic()
        with pytest.raises(ProviderError):
            provider.get_statuses([holding(7, "1", "1")])
        assert time.monotonic() - started < 0.5
        assert provider.ping() is False
