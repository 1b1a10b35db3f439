"""Text PostgreSQL cannot store (U+0000) is repaired before any write, and a page the database
still refuses is stored record by record: one record keeps its error, the rest of the page goes in."""

import json
import logging
from pathlib import Path

import pytest
from pymarc import Field

from catalog.models import Holding, Library, SourceRecord
from harvest.encoding import NUL_REMOVED, storable
from harvest.ingest import RecordWriter
from harvest.models import HarvestRun, Source
from harvest.prepare import Description, checksum
from harvest.protocols.base import HarvestedItem
from harvest.services import harvest_source
from tests.catalog.marc_builders import book_008, datafield, marc
from tests.conftest import needs_postgres
from tests.harvest.conftest import file_source

pytestmark = pytest.mark.django_db


def _koha_record(control: str, title: str, call_number: str) -> bytes:
    """ISO 2709 of a Koha bib with one 952 item at the source's library (home branch HB)."""
    record = marc(
        "00000nam a2200000 a 4500",
        "",
        Field(tag="001", data=control),
        Field(tag="008", data=book_008()),
        datafield("245", "a", title, ind="10"),
        datafield("952", "a", "HB", "b", "HB", "o", call_number, "p", f"bc{control}"),
    )
    data: bytes = record.as_marc()
    return data


def _harvested(source: Source) -> dict[str, SourceRecord]:
    return {row.local_id: row for row in SourceRecord.objects.filter(source=source)}


def _assert_nul_record_kept(run: HarvestRun, source: Source) -> None:
    source.refresh_from_db()
    assert (run.status, source.state, run.added, run.failed) == ("complete", "ok", 3, 0), run.errors
    records = _harvested(source)
    assert records["2"].data["title"] == "Nollan i titeln"
    assert records["2"].repairs == [NUL_REMOVED]
    assert records["1"].repairs == []
    calls = dict(Holding.objects.filter(record__source=source).values_list("record__local_id", "call_number"))
    assert calls == {"1": "Hc", "2": "Hc Noll", "3": "Hc"}


@needs_postgres
def test_nul_in_title_and_call_number_of_iso2709_is_stored(
    tmp_path: Path, libraries: dict[str, Library]
) -> None:
    path = tmp_path / "koha.mrc"
    path.write_bytes(
        _koha_record("1", "Ett", "Hc")
        + _koha_record("2", "Nollan i\x00 titeln", "Hc\x00 Noll")
        + _koha_record("3", "Tre", "Hc")
    )
    source = file_source(path, libraries["Sods"], profile="952")
    _assert_nul_record_kept(harvest_source(source.pk), source)


@needs_postgres
def test_nul_in_title_and_call_number_of_marc_json_is_stored(
    tmp_path: Path, libraries: dict[str, Library]
) -> None:
    def record(control: str, title: str, call_number: str) -> dict[str, object]:
        return {
            "leader": "00000nam a2200000 a 4500",
            "fields": [
                {"001": control},
                {"008": book_008()},
                {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": title}]}},
                {"952": {"ind1": " ", "ind2": " ", "subfields": [{"a": "HB"}, {"o": call_number}]}},
            ],
        }

    path = tmp_path / "koha.json"
    rows = [
        record("1", "Ett", "Hc"),
        record("2", "Nollan i\x00 titeln", "Hc\x00 Noll"),
        record("3", "Tre", "Hc"),
    ]
    path.write_text(json.dumps(rows))  # JSON writes U+0000 as \u0000
    assert "\\u0000" in path.read_text()
    source = file_source(path, libraries["Sods"], profile="952")
    _assert_nul_record_kept(harvest_source(source.pk), source)


@needs_postgres
def test_a_page_the_database_refuses_is_stored_record_by_record(libraries: dict[str, Library]) -> None:
    """Descriptions made elsewhere (the reader process) reach the writer as they are: one with a
    NUL in its data, one with a NUL in a holding. The page goes in; the refused parts are named."""
    source = Source.objects.create(protocol="marc-file", url="unused", library=libraries["Sods"])

    def item(local_id: str, title: str, call_number: str) -> HarvestedItem:
        holding = {"library": "Sods", "call_number": call_number}
        description = Description(data={"title": title}, holdings=[holding])
        return HarvestedItem(
            local_id=local_id, raw=title.encode(), raw_format="iso2709", description=description
        )

    result = RecordWriter(source).write(
        [
            item("1", "Ett", "Hc"),
            item("2", "Två\x00", "Hc"),
            item("3", "Tre", "Hc\x00"),
            item("4", "Fyra", "Hc"),
        ]
    )
    records = _harvested(source)
    assert set(records) == {"1", "2", "3", "4"}
    assert (result.added, result.failed) == (4, 1)
    assert records["2"].error.startswith("not stored") and records["2"].data == {}
    assert bytes(records["2"].raw) == "Två\x00".encode()
    assert records["3"].data == {"title": "Tre"}
    held = sorted(Holding.objects.filter(record__source=source).values_list("record__local_id", flat=True))
    assert held == ["1", "4"]
    assert [failure["local_id"] for failure in result.failures] == ["2", "3"]


@needs_postgres  # SQLite stores a NUL
def test_changed_records_are_written_whole_and_a_refused_one_keeps_its_last_description(
    libraries: dict[str, Library], caplog: pytest.LogCaptureFixture
) -> None:
    """A page of changed records is written in one statement (``bulk.update``), every column as
    given: bytes, non-ASCII text and JSON as they are. One the database refuses (a NUL in its
    description, from the reader process) keeps its description of the run before, with the error
    and its new bytes; the rest of its page is written."""
    source = Source.objects.create(protocol="marc-file", url="unused", library=libraries["Sods"])

    def item(local_id: str, title: str, repairs: list[str] | None = None) -> HarvestedItem:
        description = Description(data={"title": title, "authors": [{"name": "Åsa Öberg"}]})
        description.repairs = repairs or []
        raw = f"{local_id}:{title}".encode()
        return HarvestedItem(local_id=local_id, raw=raw, raw_format="iso2709", description=description)

    writer = RecordWriter(source)
    writer.write([item("1", "Ett"), item("2", "Två"), item("3", "Tre")])
    before = _harvested(source)
    with caplog.at_level(logging.WARNING, logger="harvest.ingest"):
        result = writer.write([item("1", "Ettan", [NUL_REMOVED]), item("3", "Trean الثالثة")])
    assert (result.updated, result.failed, caplog.records) == (2, 0, [])  # one batch, not row by row
    after = _harvested(source)
    assert after["1"].data == {"title": "Ettan", "authors": [{"name": "Åsa Öberg"}]}
    assert (bytes(after["1"].raw), after["1"].repairs, after["1"].error) == (b"1:Ettan", [NUL_REMOVED], "")
    assert after["1"].checksum != before["1"].checksum and after["1"].checksum == checksum(b"1:Ettan")
    assert after["3"].data["title"] == "Trean الثالثة" and bytes(after["3"].raw) == "3:Trean الثالثة".encode()

    result = writer.write([item("1", "Ettan igen"), item("2", "Tvåan\x00")])
    after = _harvested(source)
    assert (result.updated, result.failed) == (2, 1)
    assert after["1"].data["title"] == "Ettan igen"
    assert after["2"].data == before["2"].data and after["2"].error.startswith("not stored")
    assert bytes(after["2"].raw) == "2:Tvåan\x00".encode()
    assert [failure["local_id"] for failure in result.failures] == ["2"]


@pytest.mark.sqlite
def test_storable_removes_nul_and_lone_surrogates() -> None:
    assert storable("Hc\x00 Noll") == "Hc Noll"
    assert storable("fel \ud800 här") == "fel \ufffd här"
    text = "Åsa"
    assert storable(text) is text


@pytest.mark.sqlite
def test_lone_surrogate_in_a_json_array_is_replaced(tmp_path: Path, libraries: dict[str, Library]) -> None:
    """ "\\ud800" is valid JSON but no UTF-8: the record is kept, repaired, with the others."""
    rows = [
        {
            "leader": "00000nam a2200000 a 4500",
            "fields": [{"001": str(n)}, {"245": {"subfields": [{"a": title}]}}],
        }
        for n, title in ((1, "Ett"), (2, "Tv\ud800å"))
    ]
    path = tmp_path / "records.json"
    path.write_text(json.dumps(rows))
    source = file_source(path, libraries["Sods"])
    run = harvest_source(source.pk)
    assert (run.status, run.added, run.failed) == ("complete", 2, 0), run.errors
    second = SourceRecord.objects.get(source=source, local_id="2")
    assert (second.data["title"], second.repairs) == ("Tv\ufffdå", ["unpaired-surrogates-replaced"])
