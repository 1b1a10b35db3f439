"""The LIBRIS MARC export as a source: one county's libraries in one regional source, harvested from
a real local export server (tests.harvest.libris_server) serving the real LIBRIS records of
../shared/testdata/swedish-marc — profile, windows, the three deletion modes, virtualDelete, both
serializations and encodings, a crash mid-answer and the resumed run."""

import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from catalog.models import Holding, Library, SourceRecord
from catalog.search.documents import build_documents
from harvest.models import HarvestRun, Source
from harvest.protocols import libris_export
from harvest.services import harvest_source
from tests.harvest.libris_data import COUNTY, county_catalogue, expected_holders
from tests.harvest.libris_server import LibrisExportServer

PROFILE = """# Länets folkbibliotek
name=Lanet
locations={locations}
holdtype={holdtype}
format={format}
characterencoding={encoding}
composestrategy={compose}
bibcreate=on
bibupdate=on
holdcreate=on
holdupdate=on
holddelete=on
isbnhyphenate=off
extrafields=G\\:050 ; Li\\:084
"""


def profile(
    holdtype: str = "interleaved",
    format: str = "ISO2709",
    encoding: str = "UTF-8",
    compose: str = "compose",
    locations: str = " ".join(COUNTY),
) -> str:
    return PROFILE.format(
        locations=locations, holdtype=holdtype, format=format, encoding=encoding, compose=compose
    )


@pytest.fixture
def server(shared_testdata: Path, fast_http: None) -> Iterator[LibrisExportServer]:
    folder = shared_testdata / "swedish-marc" / "librisxl"
    catalogue = county_catalogue(folder, timezone.now() - timedelta(days=3))
    with LibrisExportServer(catalogue) as running:
        yield running


@pytest.fixture
def regional_library(libraries: dict[str, Library]) -> Library:
    """The library the source is registered under: it holds nothing itself."""
    return libraries["Gcz"]


def add(
    server: LibrisExportServer, library: Library, text: str, query: str = "", regional: bool = True
) -> Source:
    return Source.objects.create(
        library=library,
        protocol="libris-export",
        url=server.url + query,
        export_profile=text,
        regional=regional,
    )


def holders() -> dict[str, set[str]]:
    """Live bib local id -> the libraries of its stored holdings."""
    found: dict[str, set[str]] = {}
    for local_id, code in Holding.objects.values_list("record__local_id", "library__code"):
        found.setdefault(local_id, set()).add(code)
    return found


def later(server: LibrisExportServer) -> None:
    """Time passes: a change now falls in the next window."""
    for bib in server.catalogue.bibs.values():
        assert bib.modified < timezone.now()


@pytest.mark.parametrize(
    ("holdtype", "format", "encoding", "compose"),
    [
        ("interleaved", "ISO2709", "UTF-8", "compose"),
        ("after", "ISO2709", "UTF-8", "decompose"),
        ("interleaved", "MARCXML", "UTF-8", "decompose"),
        ("after", "MARCXML", "ISO-8859-1", "composelatin1"),
        ("interleaved", "ISO2709", "ISO-8859-1", "composelatin1"),
        ("after", "ISO2709", "ISO-8859-1", "compose"),
        ("interleaved", "MARCXML", "ISO-8859-1", "compose"),
        ("after", "MARCXML", "UTF-8", "compose"),
    ],
)
def test_a_county_in_one_regional_source(
    server: LibrisExportServer,
    regional_library: Library,
    holdtype: str,
    format: str,
    encoding: str,
    compose: str,
) -> None:
    source = add(server, regional_library, profile(holdtype, format, encoding, compose))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.COMPLETE, run.errors
    expected = expected_holders(server.catalogue)
    assert holders() == expected  # every holding at its library by sigel; Gcz holds nothing
    assert "5067018" not in holders()  # no county library holds it: not exported
    bibs = SourceRecord.objects.filter(source=source, kind=SourceRecord.Kind.BIB, deleted=False)
    assert set(bibs.values_list("local_id", flat=True)) == set(expected)
    assert not SourceRecord.objects.filter(source=source).exclude(error="").exists()
    title = bibs.get(local_id="11691597").data["title"]
    assert title.startswith("Översiktsplan") and unicodedata.is_normalized("NFC", title)
    # The window: from the beginning of time to the request's until, which the source keeps.
    params = server.requests[-1]["params"]
    assert params["from"] == "1970-01-01T00:00:00Z"
    assert params["deleted"] == "export" and params["virtualDelete"] == "true"
    source.refresh_from_db()
    assert libris_export.export_time(source.harvest_from) == params["until"]
    assert server.requests[-1]["profile"]["locations"] == " ".join(COUNTY)
    documents = build_documents(bibs.exclude(cluster=None).values_list("cluster_id", flat=True))
    assert all("Gcz" not in document["libraries"] for document in documents)
