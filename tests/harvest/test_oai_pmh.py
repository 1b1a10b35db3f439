"""OAI-PMH against a real provider on 127.0.0.1 (sample.local_oai), and recorded responses."""

import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from catalog.models import Holding, SourceRecord
from harvest.models import HarvestRun, Source
from harvest.protocols.oai_response import ERROR_CODES
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill, marcxml

pytestmark = pytest.mark.django_db


def live_ids(source: Source) -> set[str]:
    return set(SourceRecord.objects.filter(source=source, deleted=False).values_list("local_id", flat=True))


def list_requests(server: LocalOaiServer) -> list[dict[str, str]]:
    return [params for params in server.requests if params.get("verb") == "ListRecords"]


def test_multi_page_resumption_stores_every_record_once(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    fill(oai_server, 8)  # 3 pages of 3
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added, run.failed) == (HarvestRun.Status.COMPLETE, 8, 0)
    assert len(list_requests(oai_server)) == 3
    assert live_ids(oai_source) == {f"oai:test:{n}" for n in range(1, 9)}
    assert Holding.objects.filter(record__source=oai_source, library__code="Sods").count() == 8
    oai_source.refresh_from_db()
    assert oai_source.harvest_from == run.window_until and run.window_until is not None


def test_incremental_run_asks_from_the_last_response_date(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    fill(oai_server, 6)  # one deletion of six stays under the mass-deletion guard (20 %)
    first = harvest_source(oai_source.pk)
    asked_before = len(list_requests(oai_server))
    oai_server.repository.put("oai:test:2", marcxml("2", "Titel 2, ny upplaga"))
    oai_server.repository.put("oai:test:9", marcxml("9", "Titel 9"))
    oai_server.repository.delete("oai:test:3")
    second = harvest_source(oai_source.pk)
    assert list_requests(oai_server)[asked_before]["from"] == first.window_until.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    assert (second.added, second.updated, second.deleted) == (1, 1, 1)
    assert live_ids(oai_source) == {f"oai:test:{n}" for n in (1, 2, 4, 5, 6, 9)}
    changed = SourceRecord.objects.get(source=oai_source, local_id="oai:test:2")
    assert changed.data["title"].startswith("Titel 2, ny upplaga")
    assert not Holding.objects.filter(record__local_id="oai:test:3").exists()


def test_503_with_retry_after_is_honoured(oai_server: LocalOaiServer, oai_source: Source) -> None:
    fill(oai_server, 4)
    oai_server.fail_next(skip=1, status=503, retry_after=1)  # Identify passes, first ListRecords is busy
    started = time.monotonic()
    run = harvest_source(oai_source.pk)
    assert time.monotonic() - started >= 1.0  # waited as told, not the 0.01 s backoff
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 4)
    assert len(list_requests(oai_server)) == 3  # the refused request was asked again


def test_gzip_responses(oai_server: LocalOaiServer, oai_source: Source) -> None:
    fill(oai_server, 4)
    oai_server.gzip = True
    assert harvest_source(oai_source.pk).added == 4


def test_connection_cut_mid_harvest_then_resume(oai_server: LocalOaiServer, oai_source: Source) -> None:
    fill(oai_server, 8)
    for attempt in range(3):  # the third request (page 2) and both of its retries are cut off
        oai_server.fail(3 + attempt, cut=True)
    failed = harvest_source(oai_source.pk)
    assert (failed.status, failed.added) == (HarvestRun.Status.FAILED, 3)
    assert failed.resumption_token
    oai_source.refresh_from_db()
    assert oai_source.state == Source.State.FAILING
    resumed = harvest_source(oai_source.pk)
    assert resumed.pk == failed.pk and resumed.status == HarvestRun.Status.COMPLETE
    assert (resumed.added, resumed.updated, resumed.unchanged) == (8, 0, 0)
    assert list_requests(oai_server)[-2]["resumptionToken"] == failed.resumption_token
    assert live_ids(oai_source) == {f"oai:test:{n}" for n in range(1, 9)}


def test_crash_while_storing_a_page_resumes_without_duplicates(
    oai_server: LocalOaiServer, oai_source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvest.ingest import RecordWriter

    fill(oai_server, 8)
    original = RecordWriter.write
    calls = {"n": 0}

    def crash_on_second_page(self: RecordWriter, items: list, unchanged: Any = ()) -> object:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", crash_on_second_page)
    crashed = harvest_source(oai_source.pk)
    assert (crashed.status, crashed.added) == (HarvestRun.Status.FAILED, 3)
    monkeypatch.setattr(RecordWriter, "write", original)
    resumed = harvest_source(oai_source.pk)
    assert (resumed.status, resumed.added, resumed.unchanged) == (HarvestRun.Status.COMPLETE, 8, 0)
    assert SourceRecord.objects.filter(source=oai_source).count() == 8


def test_no_records_match_is_an_empty_success(oai_server: LocalOaiServer, oai_source: Source) -> None:
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 0)
    assert run.window_until is not None


def test_bad_resumption_token_restarts_the_window(oai_server: LocalOaiServer, oai_source: Source) -> None:
    fill(oai_server, 8)
    oai_server.fail(3, error="badResumptionToken")  # page 2 refused: the window starts again
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added, run.unchanged) == (HarvestRun.Status.COMPLETE, 8, 3)
    assert "resumption token refused" in run.errors[0]["message"]


@pytest.mark.parametrize("code", [c for c in ERROR_CODES if c not in ("noRecordsMatch",)] + ["someOtherCode"])
def test_every_other_oai_error_fails_the_run_with_its_code(
    oai_server: LocalOaiServer, oai_source: Source, code: str
) -> None:
    fill(oai_server, 2)
    oai_server.fail(2, error=code)
    run = harvest_source(oai_source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert code in run.errors[-1]["message"]


def test_unknown_metadata_prefix_is_cannot_disseminate(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    oai_source.metadata_prefix = "oai_dc"
    oai_source.save()
    run = harvest_source(oai_source.pk)
    assert run.status == HarvestRun.Status.FAILED and "cannotDisseminateFormat" in run.errors[-1]["message"]


def test_sets_and_marc21_prefix(oai_server: LocalOaiServer, oai_source: Source) -> None:
    oai_server.repository.put("oai:a", marcxml("a", "A"), sets=("bib:Sods",))
    oai_server.repository.put("oai:b", marcxml("b", "B"), sets=("bib:Li",))
    oai_source.set_spec, oai_source.metadata_prefix = "bib:Sods", "marc21"
    oai_source.save()
    assert harvest_source(oai_source.pk).added == 1
    assert live_ids(oai_source) == {"oai:a"}


def test_holdings_in_about_are_linked_to_their_bib(oai_server: LocalOaiServer, oai_source: Source) -> None:
    holding = marcxml("h1", "", sigel="Li", leader6="x").replace(b"<leader>00000nxm", b"<leader>00000nxm")
    oai_server.repository.put(
        "oai:libris:bib/7149593", marcxml("7149593", "Anteckningar", sigel=""), about=holding
    )
    run = harvest_source(oai_source.pk)
    assert run.added == 2
    assert list(Holding.objects.values_list("record__local_id", "library__code")) == [
        ("oai:libris:bib/7149593", "Li")
    ]


def holdings_of(source: Source) -> list[str]:
    return sorted(Holding.objects.filter(record__source=source).values_list("library__code", flat=True))


def test_holdings_gone_from_about_are_withdrawn(oai_server: LocalOaiServer, oai_source: Source) -> None:
    """A bib re-delivered with fewer <about> holdings, then deleted: its holdings go with it."""
    fill(oai_server, 10)  # withdrawals stay under the mass-deletion guard
    li = marcxml("h-li", "", sigel="Li", leader6="x")
    g = marcxml("h-g", "", sigel="G", leader6="x")
    bib = marcxml("7149593", "Anteckningar", sigel="")
    oai_server.repository.put("oai:libris:bib/7149593", bib, about=li + g)
    harvest_source(oai_source.pk)
    assert holdings_of(oai_source) == ["G", "Li"] + ["Sods"] * 10
    oai_server.repository.put("oai:libris:bib/7149593", bib, about=li)  # G withdrew its copy
    second = harvest_source(oai_source.pk)
    assert second.deleted == 1 and second.updated == 0  # the bib itself did not change
    assert holdings_of(oai_source) == ["Li"] + ["Sods"] * 10
    oai_server.repository.delete("oai:libris:bib/7149593")
    harvest_source(oai_source.pk)
    assert holdings_of(oai_source) == ["Sods"] * 10
    assert not live_ids(oai_source) & {"h-li", "h-g", "oai:libris:bib/7149593"}


def test_full_run_withdraws_a_vanished_holdings_record_from_its_bib(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    """Separate holdings records (004 = the bib's 001, the bib known by its OAI identifier) share
    the bib's cluster; one the server no longer has is gone from the bib after a full run."""
    fill(oai_server, 10)
    oai_server.repository.put("oai:libris:bib/7149593", marcxml("7149593", "Anteckningar", sigel=""))
    for sigel in ("Li", "G"):
        holding = marcxml(f"h-{sigel}", "", sigel=sigel, leader6="x").replace(
            b"</leader>", b'</leader><controlfield tag="004">7149593</controlfield>'
        )
        oai_server.repository.put(f"oai:libris:hold/{sigel}", holding)
    harvest_source(oai_source.pk)
    bib = SourceRecord.objects.get(local_id="oai:libris:bib/7149593")
    members = SourceRecord.objects.filter(local_id__startswith="oai:libris:hold/")
    assert bib.cluster_id and {m.cluster_id for m in members} == {bib.cluster_id}
    assert holdings_of(oai_source) == ["G", "Li"] + ["Sods"] * 10
    api = Client().get(f"/api/v1/records/{bib.cluster_id}").json()
    assert [m["local_id"] for m in api["members"]] == [bib.local_id]  # holdings records are holdings
    assert sorted(h["library"] for h in api["holdings"]) == ["G", "Li"]
    del oai_server.repository.records["oai:libris:hold/G"]  # gone without a trace
    run = harvest_source(oai_source.pk, full=True)
    assert run.deleted == 1
    assert holdings_of(oai_source) == ["Li"] + ["Sods"] * 10


def test_serial_holdings_statement_reaches_the_api_and_the_record_page(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    statement = b'<datafield tag="866" ind1=" " ind2="0"><subfield code="a">1985-2010</subfield></datafield>'
    serial = marcxml("5", "Ord och bild").replace(b"</record>", statement + b"</record>")
    oai_server.repository.put("oai:test:5", serial)
    harvest_source(oai_source.pk)
    holding = Holding.objects.get()
    assert holding.summary == "1985-2010"
    cluster_id = holding.record.cluster_id
    assert Client().get(f"/api/v1/records/{cluster_id}").json()["holdings"][0]["summary"] == "1985-2010"
    assert "Bestånd: 1985-2010" in Client().get(f"/post/{cluster_id}/").content.decode()


def test_garbage_answer_fails_the_run(oai_server: LocalOaiServer, oai_source: Source) -> None:
    oai_server.fail(2, body=b"broken xml")
    run = harvest_source(oai_source.pk)
    assert run.status == HarvestRun.Status.FAILED and "not well-formed" in run.errors[-1]["message"]


@pytest.fixture
def replay_server(fast_http: None, shared_testdata: Path) -> object:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "sickle") as server:
        yield server


def test_recorded_sickle_chain_with_deletions(replay_server: LocalOaiServer, libraries: dict) -> None:
    """ListRecords → 2 → 3 → 4: the same two identifiers on every page, one deleted (never seen
    live, so nothing to delete), one live oai_dc record (kept as failed: not MARCXML), and a
    deleted header without identifier (skipped)."""
    replay_server.replay_first = "ListRecords.xml"
    source = Source.objects.create(protocol="oai-pmh", url=replay_server.url)
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.COMPLETE
    assert len(list_requests(replay_server)) == 4
    assert (run.added, run.failed, run.unchanged, run.deleted) == (1, 1, 3, 0)
    assert "metadata is not MARCXML" in SourceRecord.objects.filter(source=source).first().error


def test_recorded_alma_marc21_page(fast_http: None, shared_testdata: Path, libraries: dict) -> None:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "vufindharvest") as server:
        server.replay_first = "marc.xml"  # its token "fakeresumptiontoken" names no file: window restarts
        source = Source.objects.create(protocol="oai-pmh", url=server.url, metadata_prefix="marc21")
        run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert "badResumptionToken" in run.errors[-1]["message"]
    assert (run.added, run.failed) == (100, 0)
    assert SourceRecord.objects.filter(source=source, error="").count() == 100


@pytest.mark.parametrize("name", ["badArgument.xml", "cannotDisseminateFormat.xml", "noSetHierarchy.xml"])
def test_recorded_error_responses(fast_http: None, shared_testdata: Path, libraries: dict, name: str) -> None:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "sickle") as server:
        server.replay_first = name
        source = Source.objects.create(protocol="oai-pmh", url=server.url)
        run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert name.removesuffix(".xml") in run.errors[-1]["message"]


@pytest.mark.parametrize(
    ("folder", "name", "message"),
    [
        ("sickle", "idDoesNotExist.xml", "OAI-PMH error idDoesNotExist"),  # GetRecord's error, out of place
        ("sickle", "ListRecordsBroken.xml", "not well-formed XML"),
        ("sickle", "badResumptionToken.xml", "OAI-PMH error badResumptionToken"),  # we sent no token
        ("vufindharvest", "token_error_response.xml", "OAI-PMH error badResumptionToken"),
        ("vufindharvest", "arbitrary_error_response.xml", "OAI-PMH error foo: bar"),  # not a spec code
    ],
)
def test_every_other_recorded_error_fails_the_run_with_its_reason(
    fast_http: None, shared_testdata: Path, libraries: dict, folder: str, name: str, message: str
) -> None:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / folder) as server:
        server.replay_first = name
        source = Source.objects.create(protocol="oai-pmh", url=server.url)
        run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.FAILED, 0)
    assert message in run.errors[-1]["message"]
    source.refresh_from_db()
    assert source.harvest_from is None  # a failed run moves no window


def test_recorded_no_records_match(fast_http: None, shared_testdata: Path, libraries: dict) -> None:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "sickle") as server:
        server.replay_first = "noRecordsMatch.xml"
        source = Source.objects.create(protocol="oai-pmh", url=server.url)
        run = harvest_source(source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 0)


def test_timeout_is_retried(oai_server: LocalOaiServer, oai_source: Source, settings: object) -> None:
    settings.HARVEST_OAI_HTTP = {"retries": 2, "backoff": 0.01, "timeout": 0.3}  # type: ignore[attr-defined]
    fill(oai_server, 2)
    oai_server.fail(2, delay=0.6)
    run = harvest_source(oai_source.pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 2)


def test_day_granularity_and_earliest_datestamp(fast_http: None, libraries: dict) -> None:
    from datetime import UTC, datetime

    from sample.local_oai import Repository

    with LocalOaiServer(Repository(page_size=3, granularity="YYYY-MM-DD")) as server:
        fill(server, 2)
        source = Source.objects.create(
            protocol="oai-pmh", url=server.url, harvest_from=datetime(1990, 5, 1, 12, 30, tzinfo=UTC)
        )
        harvest_source(source.pk)
    assert list_requests(server)[0]["from"] == "2000-01-01"  # clamped to earliestDatestamp, day only


def test_full_run_deletes_what_the_server_no_longer_has(
    oai_server: LocalOaiServer, oai_source: Source
) -> None:
    fill(oai_server, 6)
    harvest_source(oai_source.pk)
    del oai_server.repository.records["oai:test:4"]  # gone without a deletion marker
    run = harvest_source(oai_source.pk, full=True)
    assert (run.status, run.full, run.deleted, run.unchanged) == (HarvestRun.Status.COMPLETE, True, 1, 5)
    assert "oai:test:4" not in live_ids(oai_source)
    assert "from" not in list_requests(oai_server)[-2]


def test_mass_deletion_guard_on_incremental_deletions(oai_server: LocalOaiServer, oai_source: Source) -> None:
    fill(oai_server, 6)
    harvest_source(oai_source.pk)
    for number in (1, 2, 3):
        oai_server.repository.delete(f"oai:test:{number}")
    run = harvest_source(oai_source.pk)
    oai_source.refresh_from_db()
    assert run.status == HarvestRun.Status.STOPPED and oai_source.state == Source.State.NEEDS_ATTENTION
    assert len(live_ids(oai_source)) == 6


@pytest.mark.parametrize(("folder", "problem"), [("fake3", "not well-formed"), ("fake4", "not well-formed")])
def test_recorded_broken_identify(
    fast_http: None, shared_testdata: Path, libraries: dict, folder: str, problem: str
) -> None:
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "pyoai" / folder) as server:
        server.replay_identify = "00001.xml"
        source = Source.objects.create(protocol="oai-pmh", url=server.url)
        run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED and problem in run.errors[-1]["message"]


def test_recorded_identify_with_invalid_earliest_datestamp(shared_testdata: Path) -> None:
    from harvest.protocols.oai_response import parse_identify

    identify = parse_identify((shared_testdata / "oai-pmh" / "pyoai" / "fake5" / "00001.xml").read_bytes())
    assert identify.earliest is None


def test_recorded_dspace_page_with_deletions(fast_http: None, shared_testdata: Path, libraries: dict) -> None:
    """A real 81-record DSpace page (2 deleted); oai_dc, so each live record is kept as failed."""
    with LocalOaiServer(replay_dir=shared_testdata / "oai-pmh" / "pyoai" / "fake2") as server:
        server.replay_first = "00002.xml"
        source = Source.objects.create(protocol="oai-pmh", url=server.url, metadata_prefix="oai_dc")
        run = harvest_source(source.pk)
    assert (run.status, run.added, run.failed, run.deleted) == (HarvestRun.Status.COMPLETE, 79, 79, 0)
