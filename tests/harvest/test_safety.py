"""Run safety: full runs converge, the mass-deletion guard, the per-source lock, resuming files."""

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from catalog.models import Holding, Library, SourceRecord
from harvest.locking import SourceBusy, source_lock
from harvest.models import HarvestRun, Source
from harvest.services import harvest_source
from tests.harvest.conftest import MARC_NS, file_source, marcxml

pytestmark = pytest.mark.django_db


def write_collection(path: Path, numbers: list[int], title: str = "Titel") -> Path:
    records = b"".join(
        marcxml(str(n), f"{title} {n}").replace(f' xmlns="{MARC_NS}"'.encode(), b"") for n in numbers
    )
    path.write_bytes(b'<collection xmlns="' + MARC_NS.encode() + b'">' + records + b"</collection>")
    return path


def live(source: Source) -> set[str]:
    return set(SourceRecord.objects.filter(source=source, deleted=False).values_list("local_id", flat=True))


@pytest.mark.sqlite
def test_file_run_converges_to_the_current_file(tmp_path: Path, libraries: dict[str, Library]) -> None:
    path = write_collection(tmp_path / "export.xml", list(range(1, 11)))
    source = file_source(path)
    assert harvest_source(source.pk).added == 10
    write_collection(path, [*range(1, 10), 11])  # 10 is gone, 11 is new
    run = harvest_source(source.pk)
    assert (run.added, run.unchanged, run.deleted) == (1, 9, 1)
    assert live(source) == {str(n) for n in [*range(1, 10), 11]}
    assert not Holding.objects.filter(record__local_id="10").exists()
    assert any(error["kind"] == "converged" for error in run.errors)


@pytest.mark.sqlite
def test_new_records_are_stored_in_file_order_with_the_ids_their_holdings_name(
    tmp_path: Path, libraries: dict[str, Library]
) -> None:
    path = write_collection(tmp_path / "export.xml", [3, 1, 2])
    source = file_source(path)
    SourceRecord.objects.create(  # an id taken before the run: the run's ids come from the sequence
        source=file_source(tmp_path / "other.xml"), local_id="x", data={}
    )
    run = harvest_source(source.pk)
    ids = dict(SourceRecord.objects.filter(source=source).values_list("local_id", "id"))
    assert run.added == 3 and ids["3"] < ids["1"] < ids["2"]
    holders = dict(Holding.objects.filter(record__source=source).values_list("record_id", "record__local_id"))
    assert holders == {pk: local_id for local_id, pk in ids.items()}


def test_unchanged_records_are_not_rewritten(tmp_path: Path, libraries: dict[str, Library]) -> None:
    source = file_source(write_collection(tmp_path / "export.xml", [1, 2]))
    harvest_source(source.pk)
    before = dict(SourceRecord.objects.values_list("local_id", "checksum"))
    run = harvest_source(source.pk)
    assert (run.added, run.updated, run.unchanged) == (0, 0, 2)
    assert dict(SourceRecord.objects.values_list("local_id", "checksum")) == before


@pytest.mark.sqlite
def test_mass_deletion_guard_stops_before_deleting(tmp_path: Path, libraries: dict[str, Library]) -> None:
    path = write_collection(tmp_path / "export.xml", list(range(1, 11)))
    source = file_source(path)
    harvest_source(source.pk)
    write_collection(path, [1, 2, 3])  # 70 % would go
    stopped = harvest_source(source.pk)
    source.refresh_from_db()
    assert stopped.status == HarvestRun.Status.STOPPED
    assert source.state == Source.State.NEEDS_ATTENTION and "7 of 10" in source.attention_reason
    assert len(live(source)) == 10
    source.mass_deletion_confirmed = True
    source.save()
    confirmed = harvest_source(source.pk)
    source.refresh_from_db()
    assert (confirmed.pk, confirmed.status, confirmed.deleted) == (stopped.pk, HarvestRun.Status.COMPLETE, 7)
    assert live(source) == {"1", "2", "3"}
    assert (source.state, source.mass_deletion_confirmed) == (Source.State.OK, False)


def test_mass_deletion_share_is_a_setting(
    tmp_path: Path, libraries: dict[str, Library], settings: object
) -> None:
    settings.HARVEST_MASS_DELETE_SHARE = 0.8  # type: ignore[attr-defined]
    path = write_collection(tmp_path / "export.xml", list(range(1, 11)))
    source = file_source(path)
    harvest_source(source.pk)
    write_collection(path, [1, 2, 3])
    assert harvest_source(source.pk).status == HarvestRun.Status.COMPLETE


def test_file_run_resumes_from_its_saved_position(
    tmp_path: Path, libraries: dict[str, Library], monkeypatch: pytest.MonkeyPatch
) -> None:
    from harvest.ingest import RecordWriter
    from harvest.protocols import marc_file

    monkeypatch.setattr(marc_file, "PAGE_SIZE", 4)
    source = file_source(write_collection(tmp_path / "export.xml", list(range(1, 11))))
    original, calls = RecordWriter.write, {"n": 0}

    def crash_on_third_page(self: RecordWriter, items: list, unchanged: Any = ()) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return original(self, items, unchanged)

    monkeypatch.setattr(RecordWriter, "write", crash_on_third_page)
    crashed = harvest_source(source.pk)
    assert (crashed.status, crashed.added, crashed.position > 0) == (HarvestRun.Status.FAILED, 8, True)
    monkeypatch.setattr(RecordWriter, "write", original)
    resumed = harvest_source(source.pk)
    assert (resumed.status, resumed.added, resumed.unchanged, resumed.deleted) == ("complete", 10, 0, 0)


def test_malformed_record_is_kept_with_its_error(tmp_path: Path, libraries: dict[str, Library]) -> None:
    good = marcxml("1", "Hel").replace(f' xmlns="{MARC_NS}"'.encode(), b"")
    broken = b'<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">2</controlfield'
    path = tmp_path / "export.xml"
    path.write_bytes(b'<collection xmlns="' + MARC_NS.encode() + b'">' + good + broken + b"</record>" + good)
    source = file_source(path)
    run = harvest_source(source.pk)
    bad = SourceRecord.objects.get(source=source, error__startswith="XML not well-formed")
    assert (run.status, run.failed) == (HarvestRun.Status.COMPLETE, 1)
    assert bytes(bad.raw).startswith(b"<record><leader>")


def test_unknown_sigel_is_a_counted_error(tmp_path: Path, libraries: dict[str, Library]) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(marcxml("1", "Okänd", sigel="Xyz"))
    run = harvest_source(file_source(path).pk)
    assert [(e["sigel"], e["count"]) for e in run.errors if e["kind"] == "unknown_sigel"] == [("Xyz", 1)]
    assert not Holding.objects.exists()


def test_libris_holdings_records_link_to_their_bib_by_004(
    shared_testdata: Path, tmp_path: Path, libraries: dict[str, Library]
) -> None:
    """The Tove Jansson bib and its holdings records (one JSON file each), as one JSON-lines file."""
    folder = shared_testdata / "swedish-marc" / "librisxl" / "marc2jsonld-in"
    names = ["hold/718795.json", "hold/718806.json", "bib/7149593.json"]  # holdings first: linked later
    path = tmp_path / "libris.jsonl"
    path.write_bytes(b"\n".join((folder / name).read_bytes().replace(b"\n", b" ") for name in names))
    run = harvest_source(file_source(path).pk)
    assert (run.added, run.failed) == (3, 0)
    held = sorted(Holding.objects.values_list("record__local_id", "library__code", "call_number"))
    assert held == [("7149593", "BULB", ""), ("7149593", "La", "Gcz Jansson")]
    repaired = SourceRecord.objects.get(local_id="718806")
    assert repaired.repairs == ["invalid-utf8-bytes-as-mac-roman"]


def test_lock_keeps_a_second_run_out(transactional_db: None) -> None:
    source = Source.objects.create(protocol="marc-file", url="/nonexistent")
    outcome: list[str] = []

    def second_run() -> None:
        try:
            harvest_source(source.pk)
            outcome.append("ran")
        except SourceBusy:
            outcome.append("busy")
        finally:
            connections.close_all()

    with source_lock(source.pk):
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join()
    assert outcome == ["busy"]
    assert harvest_source(source.pk).status == HarvestRun.Status.FAILED  # free again; the path is missing


def test_marc_file_from_a_url(tmp_path: Path, libraries: dict[str, Library]) -> None:
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    write_collection(tmp_path / "export.xml", [1, 2, 3])
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/export.xml"
        run = harvest_source(Source.objects.create(protocol="marc-file", url=url).pk)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 3)
