"""Each provider against a real local server replaying the recorded samples; no database."""

import datetime as dt
import time
from pathlib import Path

import pytest
from lxml import etree

from catalog.availability import sip2_messages as sip
from catalog.availability.base import ProviderError
from catalog.availability.providers.daia import DaiaProvider
from catalog.availability.providers.koha import KohaIlsDiProvider
from catalog.availability.providers.sip2 import Sip2Provider
from catalog.availability.xml import parse_xml
from catalog.models import Holding, Library, SourceRecord
from tests.availability.conftest import daia_json, daia_responder
from tests.availability.servers import HangingServer, ReplayHttpServer, Sip2Server

LIBRARY = Library(code="Bo", name="Borås")


def holding(pk: int, local_id: str = "1", item_id: str = "") -> Holding:
    return Holding(pk=pk, item_id=item_id, record=SourceRecord(local_id=local_id), library=LIBRARY)


# --- Koha ILS-DI ------------------------------------------------------------------------------
def test_koha_sample_declares_latin1_but_is_utf8(samples: Path) -> None:
    body = (samples / "koha-ilsdi" / "GetAvailability-doc-example.xml").read_bytes()
    trusting = etree.fromstring(body)  # what believing the declaration gives
    assert "BibliothÃ¨que" in etree.tostring(trusting, encoding="unicode")
    root = parse_xml(body)
    assert "Bibliothèque Jean Prunier" in etree.tostring(root, encoding="unicode")


def test_koha_get_availability_by_item(koha_server: ReplayHttpServer) -> None:
    provider = KohaIlsDiProvider(koha_server.url, {}, timeout=2)
    statuses = provider.get_statuses(
        [holding(10, item_id="1"), holding(11, item_id="2"), holding(12, item_id="99999")]
    )
    assert {pk: s.status for pk, s in statuses.items()} == {10: "available", 11: "available"}
    assert "id=1+2+99999" in koha_server.requests[0] and "id_type=item" in koha_server.requests[0]


def test_koha_get_availability_by_biblio_without_item_ids(koha_server: ReplayHttpServer) -> None:
    provider = KohaIlsDiProvider(koha_server.url, {}, timeout=2)
    statuses = provider.get_statuses([holding(10, local_id="oai:koha.example:2")])
    assert statuses[10].status == "available"
    assert "id_type=bib" in koha_server.requests[0]


def test_koha_get_records_due_date_and_not_found(koha_server: ReplayHttpServer) -> None:
    """GetRecords nests a second <?xml?> inside <marcxml>; 'RecordNotFound' records are skipped."""
    provider = KohaIlsDiProvider(koha_server.url, {"method": "GetRecords"}, timeout=2)
    statuses = provider.get_statuses(
        [holding(1, local_id="1"), holding(2, local_id="2", item_id="2"), holding(3, local_id="3")]
    )
    assert statuses[1].status == "on_loan" and statuses[1].due_date == dt.date(2019, 10, 1)
    assert statuses[2].status == "available"
    assert 3 not in statuses


def test_koha_messages_map_to_statuses() -> None:
    from catalog.availability.providers.koha import status_from_message

    assert status_from_message("not available", "Checked out") == "on_loan"
    assert status_from_message("not available", "Not for loan") == "not_for_loan"
    assert status_from_message("not available", "Item lost") == "not_for_loan"
    assert status_from_message("unknown", "") == "unknown"


# --- DAIA -------------------------------------------------------------------------------------
def test_daia_vufind_items_matched_by_id(daia_server: ReplayHttpServer) -> None:
    provider = DaiaProvider(daia_server.url, {"id_prefix": "ppn:"}, timeout=2)
    statuses = provider.get_statuses(
        [
            holding(1, "027586081", item_id="711134758"),
            holding(2, "027586081", item_id="711134766"),
            holding(3, "027586081", item_id="7111347777"),
            holding(4, "027586081"),
        ]
    )
    assert statuses[1].status == "available"
    assert statuses[2].status == "available" and statuses[2].message == "mit Zustimmung"
    assert statuses[3].status == "on_loan" and statuses[3].due_date == dt.date(2115, 2, 9)
    assert statuses[4].status == "available"  # no item id: the best copy of the document
    assert "id=ppn%3A027586081" in daia_server.requests[0]


@pytest.mark.parametrize(
    ("example", "expected"),
    [("response-4.json", "not_for_loan"), ("response-5.json", "available"), ("response-6.json", "available")],
)
def test_daia_spec_examples(samples: Path, example: str, expected: str) -> None:
    body = (samples / "daia" / "gbv-daia-spec" / example).read_bytes()
    with daia_responder(body) as server:
        statuses = DaiaProvider(server.url, {}, timeout=2).get_statuses([holding(1, "doc:rare")])
    assert statuses[1].status == expected


def test_daia_queue_and_unknown_expected() -> None:
    body = daia_json({"id": "x:9", "unavailable": [{"service": "loan", "expected": "unknown", "queue": 3}]})
    with daia_responder(body) as server:
        status = DaiaProvider(server.url, {"id_prefix": "ppn:"}, timeout=2).get_statuses([holding(1)])[1]
    assert (status.status, status.due_date, status.queue_length) == ("on_loan", None, 3)


def test_daia_document_with_a_prefix_matches_only_the_same_id() -> None:
    """The server's "ppn:1234" is our "1234", never our "34"."""
    body = daia_json({"id": "x:1", "available": [{"service": "loan"}]}, document_id="ppn:1234")
    with daia_responder(body) as server:
        provider = DaiaProvider(server.url, {}, timeout=2)
        assert provider.get_statuses([holding(1, "34")]) == {}
        assert provider.get_statuses([holding(1, "1234")])[1].status == "available"


def test_daia_invalid_json_is_a_provider_error(samples: Path) -> None:
    body = (samples / "daia" / "gbv-daia-spec" / "service-1.json").read_bytes()
    with daia_responder(body) as server, pytest.raises(ProviderError):
        DaiaProvider(server.url, {}, timeout=2).get_statuses([holding(1)])


# --- SIP2 -------------------------------------------------------------------------------------
def test_sip2_request_is_the_borås_sample_byte_for_byte(samples: Path) -> None:
    sample = (samples / "sip2" / "boras-sip2-ruby" / "17.sip2").read_bytes().rstrip(b"\n")
    built = sip.item_information("SomeBarcode", dt.datetime(2023, 8, 22, 15, 23, 39), sequence=1)
    assert built.encode() == sample


@pytest.mark.parametrize(
    "name", ["09", "10", "17", "18", "98", "98-with-unexpected", "99", "99-with-unexpected"]
)
def test_sip2_samples_parse_with_valid_checksums(samples: Path, name: str) -> None:
    message = sip.parse_message((samples / "sip2" / "boras-sip2-ruby" / f"{name}.sip2").read_text())
    assert message.code == name[:2] and message.sequence == 1


def test_sip2_item_information_fields(samples: Path) -> None:
    message = sip.parse_message((samples / "sip2" / "boras-sip2-ruby" / "18.sip2").read_text())
    assert message.fixed[:2] == "04"  # charged
    assert message.get("AH") == "2023-08-31 23:59:00 CEST"
    assert message.get("BH") == "SEK" and message.get("AQ") == "SomeOtherLocation"
    unexpected = sip.parse_message(
        (samples / "sip2" / "boras-sip2-ruby" / "98-with-unexpected.sip2").read_text()
    )
    assert unexpected.get("ZZ") == "SomeUnexpectedFieldValue"


def test_sip2_rejects_unknown_and_corrupt_messages(samples: Path) -> None:
    with pytest.raises(sip.Sip2Error):
        sip.parse_message((samples / "sip2" / "boras-sip2-ruby" / "XX.sip2").read_text())
    good = (samples / "sip2" / "boras-sip2-ruby" / "18.sip2").read_text()
    with pytest.raises(sip.Sip2Error, match="checksum"):
        sip.parse_message(good.replace("The Library", "The Librarx"))


def test_sip2_provider_over_tcp(sip2_server: Sip2Server) -> None:
    sip2_server.statuses = {"B2": "03", "B3": "08"}
    provider = Sip2Provider(sip2_server.url, {"institution": "Bo", "login_user": "samsok"}, timeout=2)
    statuses = provider.get_statuses(
        [holding(1, item_id="SomeBarcode"), holding(2, item_id="B2"), holding(3, item_id="B3"), holding(4)]
    )
    assert statuses[1].status == "on_loan" and statuses[1].due_date == dt.date(2023, 8, 31)
    assert statuses[2].status == "available" and statuses[2].due_date is None
    assert statuses[3].status == "on_hold_shelf"
    assert 4 not in statuses  # no barcode, nothing to ask
    assert [line[:2] for line in sip2_server.received] == ["93", "17", "17", "17"]
    assert (
        sip2_server.received[1].startswith("17") and "AOBo|ABSomeBarcode|AC|AY1AZ" in sip2_server.received[1]
    )


def test_sip2_ping_gets_the_acs_status(sip2_server: Sip2Server) -> None:
    assert Sip2Provider(sip2_server.url, {}, timeout=2).ping() is True
    assert sip2_server.received == [sip.sc_status(0).rstrip("\r")]


def test_sip2_garbage_is_a_provider_error(sip2_server: Sip2Server) -> None:
    sip2_server.garbage = True
    with pytest.raises(ProviderError):
        Sip2Provider(sip2_server.url, {}, timeout=2).get_statuses([holding(1, item_id="SomeBarcode")])


# --- failing servers: every provider gives up within its timeout ------------------------------
@pytest.mark.parametrize("kind", ["koha", "daia", "sip2"])
def test_hanging_server_times_out(hanging_server: HangingServer, kind: str) -> None:
    provider = _provider(kind, hanging_server.port, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(ProviderError):
        provider.get_statuses([holding(1, item_id="SomeBarcode")])
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("kind", ["koha", "daia", "sip2"])
def test_down_server_fails_fast(down_port: int, kind: str) -> None:
    started = time.monotonic()
    with pytest.raises(ProviderError):
        _provider(kind, down_port, timeout=2).get_statuses([holding(1, item_id="SomeBarcode")])
    assert time.monotonic() - started < 0.5
    assert _provider(kind, down_port, timeout=2).ping() is False


@pytest.mark.parametrize("kind", ["koha", "daia"])
def test_garbage_http_is_a_provider_error(garbage_server: ReplayHttpServer, kind: str) -> None:
    provider = KohaIlsDiProvider if kind == "koha" else DaiaProvider
    with pytest.raises(ProviderError):
        provider(garbage_server.url, {}, timeout=2).get_statuses([holding(1, item_id="1")])


def _provider(kind: str, port: int, timeout: float) -> KohaIlsDiProvider | DaiaProvider | Sip2Provider:
    if kind == "sip2":
        return Sip2Provider(f"127.0.0.1:{port}", {}, timeout=timeout)
    cls = KohaIlsDiProvider if kind == "koha" else DaiaProvider
    return cls(f"http://127.0.0.1:{port}/", {}, timeout=timeout)


def test_koha_ping(koha_server: ReplayHttpServer, garbage_server: ReplayHttpServer) -> None:
    assert KohaIlsDiProvider(koha_server.url, {}, timeout=2).ping() is True
    assert KohaIlsDiProvider(garbage_server.url, {}, timeout=2).ping() is False


def test_sip2_checksum_over_the_connection_encoding() -> None:
    message = sip.item_information("Å1", dt.datetime(2026, 1, 1), 0, encoding="cp850")
    assert sip.parse_message(message, encoding="cp850").get("AB") == "Å1"
