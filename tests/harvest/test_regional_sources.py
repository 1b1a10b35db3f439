"""A regional source (many libraries' holdings in one feed) says who holds a title only through
its holdings: the library it is registered under is no fallback holder. LIBRIS export sources are
regional by nature; a marc-file or OAI-PMH source is so when marked (add_source --regional)."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pymarc import Field, Indicators, Record, Subfield

from catalog.access import record_libraries
from catalog.models import Holding, Library, SourceRecord
from catalog.search.documents import build_documents
from harvest.models import Source
from harvest.services import harvest_source


def add_file_source(path: Path, code: str, regional: bool) -> Source:
    out = StringIO()
    options = ["--regional"] if regional else []
    call_command("add_source", code, "--protocol", "marc-file", "--url", str(path), *options, stdout=out)
    return Source.objects.get(pk=int(out.getvalue().splitlines()[0]))


@pytest.mark.parametrize("regional", [False, True])
def test_a_file_of_libris_bibs_and_holdings_under_library_a(
    shared_testdata: Path, tmp_path: Path, libraries: dict[str, Library], regional: bool
) -> None:
    # One real LIBRIS bib with its holdings records for Sods, Li and G, registered under Nyks.
    path = tmp_path / "libris.xml"
    shutil.copy(shared_testdata / "swedish-marc" / "librisxl" / "batchimport-integtest" / "batch15.xml", path)
    source = add_file_source(path, "Nyks", regional)
    assert source.regional is regional and source.library == libraries["Nyks"]
    harvest_source(source.pk)
    bib = SourceRecord.objects.get(source=source, kind=SourceRecord.Kind.BIB)
    held = set(Holding.objects.filter(record=bib).values_list("library__code", flat=True))
    assert held == {"Sods", "Li", "G"}
    [document] = build_documents([bib.cluster_id])
    assert set(document["libraries"]) == {"Sods", "Li", "G"} | (set() if regional else {"Nyks"})
    ids = {libraries[code].pk for code in ("Sods", "Li", "G")}
    assert record_libraries(bib) == (ids if regional else {libraries["Nyks"].pk})
    [member] = Client().get(f"/api/v1/records/{bib.cluster_id}").json()["members"]
    assert (member["library"] in {"Sods", "Li", "G"}) if regional else member["library"] == "Nyks"


def _bib(control: str, shelf_only: bool) -> Record:
    """A bib whose 852 names a shelf but no library (the source's library is meant)."""
    record = Record()
    record.leader = "00000nam a2200000 a 4500"  # type: ignore[assignment]
    record.add_field(Field(tag="001", data=control))
    record.add_field(
        Field(tag="245", indicators=Indicators("1", "0"), subfields=[Subfield("a", f"Titel {control}")])
    )
    sub = [Subfield("c", "Vuxen")] if shelf_only else [Subfield("b", "Li"), Subfield("c", "Vuxen")]
    record.add_field(Field(tag="852", indicators=Indicators(" ", " "), subfields=sub))
    return record


@pytest.mark.parametrize("regional", [False, True])
def test_a_regional_source_has_no_fallback_library(
    tmp_path: Path, libraries: dict[str, Library], regional: bool
) -> None:
    path = tmp_path / "records.mrc"
    path.write_bytes(_bib("1", shelf_only=True).as_marc() + _bib("2", shelf_only=False).as_marc())
    source = add_file_source(path, "Nyks", regional)
    harvest_source(source.pk)
    rows = Holding.objects.filter(record__source=source).values_list("record__local_id", "library__code")
    expected = {("2", "Li")} | (set() if regional else {("1", "Nyks")})
    assert set(rows) == expected
