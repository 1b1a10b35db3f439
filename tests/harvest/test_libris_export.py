"""The LIBRIS MARC export as a source: one county's libraries in one regional source, harvested from
a real local export server (tests.harvest.libris_server) serving the real LIBRIS records of
../shared/testdata/swedish-marc — profile, windows, the three deletion modes, virtualDelete, both
serializations and encodings, a crash mid-answer and the resumed run."""

import time
import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from catalog.models import Holding, Library, SourceRecord
from catalog.search.documents import build_documents
from harvest.models import HarvestRun, Source
from harvest.protocols import libris_export, libris_profile
from harvest.protocols.libris_export import BEGINNING
from harvest.protocols.libris_profile import ProfileError, parse_address, parse_properties
from harvest.services import harvest_source
from tests.harvest.libris_data import COUNTY, county_catalogue, expected_holders, holding_like
from tests.harvest.libris_server import MARC_NS, Crash, Export, LibrisExportServer, parse_profile

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


def run_later(source: Source) -> HarvestRun:
    """The next run, a second on: changes made before it fall in its window (to the second)."""
    time.sleep(1.1)
    return harvest_source(source.pk)


def live_bibs(source: Source) -> set[str]:
    rows = SourceRecord.objects.filter(source=source, kind=SourceRecord.Kind.BIB, deleted=False)
    return set(rows.values_list("local_id", flat=True))


def test_windows_move_only_when_a_run_completes(
    server: LibrisExportServer, regional_library: Library, settings: pytest.FixtureRequest
) -> None:
    settings.HARVEST_OAI_HTTP = {"retries": 0, "backoff": 0.01, "timeout": 5}  # type: ignore[attr-defined]
    source = add(server, regional_library, profile())
    assert harvest_source(source.pk).status == HarvestRun.Status.COMPLETE
    first_until = server.requests[-1]["params"]["until"]
    time.sleep(1.1)
    template = next(h.record for h in server.catalogue.holdings.values() if h.bib == "12384646")
    record = holding_like(template, "nyks-new", "12384646", "Nyks")
    server.catalogue.hold("nyks-new", "12384646", "Nyks", record, timezone.now())
    server.crashes.append(Crash(after_bytes=100))
    failed = run_later(source)
    assert failed.status == HarvestRun.Status.FAILED
    source.refresh_from_db()
    assert libris_export.export_time(source.harvest_from) == first_until  # not moved
    resumed = harvest_source(source.pk)
    assert resumed.pk == failed.pk and resumed.status == HarvestRun.Status.COMPLETE
    params = server.requests[-1]["params"]
    assert params["from"] == first_until  # the window starts where the last complete run ended
    assert (resumed.added, resumed.updated, resumed.unchanged) == (0, 1, 0)  # only what changed
    assert holders()["12384646"] == {"G", "Nyks"}
    source.refresh_from_db()
    assert libris_export.export_time(source.harvest_from) == params["until"]


@pytest.mark.parametrize("holdtype", ["interleaved", "after"])
@pytest.mark.parametrize("deleted", ["export", "append", "ignore"])
def test_deletions_in_the_documented_modes(
    server: LibrisExportServer,
    regional_library: Library,
    settings: pytest.FixtureRequest,
    deleted: str,
    holdtype: str,
) -> None:
    settings.HARVEST_MASS_DELETE_SHARE = 0.5  # type: ignore[attr-defined]
    source = add(server, regional_library, profile(holdtype), f"?deleted={deleted}&virtualDelete=true")
    assert harvest_source(source.pk).status == HarvestRun.Status.COMPLETE
    catalogue, now = server.catalogue, timezone.now()
    li = next(h for h in catalogue.holdings.values() if h.bib == "20203738" and h.sigel == "Li")
    catalogue.withdraw(li.id, now)  # Sods and G still hold the title
    la = next(h for h in catalogue.holdings.values() if h.bib == "8261338")
    catalogue.withdraw(la.id, now)  # its only holder in the county: virtually deleted
    catalogue.delete_bib("12743333", now)  # deleted in LIBRIS, with its holdings
    run = run_later(source)
    assert run.status == HarvestRun.Status.COMPLETE, run.errors
    assert holders()["20203738"] == {"Sods", "G"}  # the bib speaks for all its holdings
    gone = {"8261338", "12743333"}
    if deleted == "ignore":  # nothing says they are gone: they stay until a --full run
        assert gone <= live_bibs(source)
        return
    assert not gone & live_bibs(source)
    assert not gone & set(holders())
    assert live_bibs(source) == set(expected_holders(catalogue))
    assert server.requests[-1]["params"]["deleted"] == deleted


def test_deletions_wait_for_the_mass_deletion_guard(
    server: LibrisExportServer, regional_library: Library
) -> None:
    source = add(server, regional_library, profile(), "?deleted=append&virtualDelete=true")
    assert harvest_source(source.pk).status == HarvestRun.Status.COMPLETE
    before = live_bibs(source)
    for bib_id in ("11601582", "11691597", "12384646", "12732969"):
        server.catalogue.delete_bib(bib_id, timezone.now())
    stopped = run_later(source)
    assert stopped.status == HarvestRun.Status.STOPPED
    assert live_bibs(source) == before  # nothing deleted
    source.refresh_from_db()
    window = source.harvest_from
    source.mass_deletion_confirmed = True
    source.save()
    done = harvest_source(source.pk)
    assert done.pk == stopped.pk and done.status == HarvestRun.Status.COMPLETE
    assert live_bibs(source) == before - {"11601582", "11691597", "12384646", "12732969"}
    source.refresh_from_db()
    assert source.harvest_from > window


@pytest.mark.parametrize(
    ("format", "with_length"), [("MARCXML", True), ("MARCXML", False), ("ISO2709", True), ("ISO2709", False)]
)
def test_a_crash_mid_answer_resumes_without_duplicates_or_gaps(
    server: LibrisExportServer,
    regional_library: Library,
    settings: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    format: str,
    with_length: bool,
) -> None:
    settings.HARVEST_OAI_HTTP = {"retries": 0, "backoff": 0.01, "timeout": 5}  # type: ignore[attr-defined]
    monkeypatch.setattr(libris_export, "PAGE_SIZE", 2)
    text = profile("after", format)
    source = add(server, regional_library, text)
    whole = Export(server.catalogue, parse_profile(text), "export", True).run(BEGINNING, timezone.now())
    total = len(whole.records)
    server.crashes.append(Crash(after_bytes=len(whole.body()) * 2 // 3, with_length=with_length))
    failed = harvest_source(source.pk)
    assert failed.status == HarvestRun.Status.FAILED
    stored = SourceRecord.objects.filter(source=source).count()
    assert 0 < stored < total and failed.position > 0
    assert not SourceRecord.objects.filter(source=source).exclude(error="").exists()  # no half record
    resumed = harvest_source(source.pk)
    assert resumed.pk == failed.pk and resumed.status == HarvestRun.Status.COMPLETE
    assert resumed.attempts == 2
    first, second = (request["params"] for request in server.requests)
    assert (first["from"], first["until"]) == (second["from"], second["until"])  # the same window
    assert (resumed.added, resumed.updated, resumed.unchanged) == (total, 0, 0)  # each record once
    assert SourceRecord.objects.filter(source=source).count() == total
    assert holders() == expected_holders(server.catalogue)


def test_a_cut_answer_is_asked_again_within_the_run(
    server: LibrisExportServer, regional_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(libris_export, "PAGE_SIZE", 2)
    source = add(server, regional_library, profile("interleaved", "ISO2709", "ISO-8859-1"))
    server.crashes.append(Crash(after_bytes=9000))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.COMPLETE and run.attempts == 1
    assert len(server.requests) == 2
    assert run.unchanged == 0 and run.added == len(expected_holders(server.catalogue))
    assert holders() == expected_holders(server.catalogue)


def test_a_broken_record_is_kept_with_its_error(
    server: LibrisExportServer, regional_library: Library
) -> None:
    broken = server.catalogue.bibs["1390474"]
    # Well-formed, but no MARC record can be made of it: it has no leader.
    broken.raw = f'<record xmlns="{MARC_NS}"><controlfield tag="001">1390474</controlfield></record>'.encode()
    source = add(server, regional_library, profile("after", "MARCXML"))
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.COMPLETE
    kept = SourceRecord.objects.get(source=source, error__contains="leader")
    assert b"1390474" in bytes(kept.raw) and run.failed == 1
    assert "20203738" in holders()  # the rest of the answer is stored


def test_the_profile_is_read_as_java_reads_properties() -> None:
    text = (
        "# Länets profil\n! also a comment\nlocations = Sods Nyks \\\n   Li\n"
        "extrafields=G\\:050 ; Li\\:084\nlongname:Länets bibliotek\nformat MARCXML\nname=Sk\\u00e5ne\n"
    )
    properties = parse_properties(text)
    assert properties["locations"] == "Sods Nyks Li"
    assert properties["extrafields"] == "G:050 ; Li:084"
    assert properties["longname"] == "Länets bibliotek"
    assert properties["name"] == "Skåne"
    read = libris_profile.parse_profile(text)
    assert read.locations == ["Sods", "Nyks", "Li"]
    assert read.marcxml and not read.holdings_after and not read.latin1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "needs an export profile"),
        ("name=Lanet\n", "names no libraries"),
        ("locations=Sods\nholdtype=none\n", "holdtype=none: expected one of interleaved, after"),
        ("locations=Sods\nformat=JSON\n", "format=JSON"),
        ("locations=Sods\ncharacterencoding=MARC-8\n", "characterencoding=MARC-8"),
        ("locations=Sods\nholddelete=ja\n", "holddelete=ja: expected one of on, off"),
    ],
)
def test_a_profile_the_harvester_cannot_use_is_refused_with_a_reason(text: str, message: str) -> None:
    with translation.override("en"), pytest.raises(ProfileError, match=message):
        libris_profile.parse_profile(text)


def test_the_address_carries_deleted_and_virtual_delete_and_nothing_else() -> None:
    address = parse_address("https://libris.kb.se/api/marc_export/?deleted=append&virtualDelete=false")
    assert address.request_url("2019-10-05T22:00:00Z", "2019-10-06T22:00:00Z") == (
        "https://libris.kb.se/api/marc_export/?from=2019-10-05T22:00:00Z&until=2019-10-06T22:00:00Z"
        "&deleted=append&virtualDelete=false"
    )
    assert parse_address("https://libris.kb.se/api/marc_export/").deleted == "export"
    with translation.override("en"), pytest.raises(ProfileError, match="not from"):
        parse_address("https://libris.kb.se/api/marc_export/?from=2019-10-05T22:00:00Z")
    with pytest.raises(ProfileError, match="deleted=sometimes"):
        parse_address("https://libris.kb.se/api/marc_export/?deleted=sometimes")


def test_add_source_registers_a_regional_libris_source(regional_library: Library, tmp_path: Path) -> None:
    path = tmp_path / "export.properties"
    path.write_text(profile(), encoding="utf-8")
    url = "https://libris.kb.se/api/marc_export/?deleted=append"
    out = StringIO()
    call_command(
        "add_source", "Gcz", "--protocol", "libris-export", "--url", url, "--profile", str(path), stdout=out
    )
    source = Source.objects.get(pk=int(out.getvalue().splitlines()[0]))
    assert source.regional and source.library == regional_library
    assert source.export_profile == profile() and source.url == url
    path.write_text("name=Lanet\n", encoding="utf-8")
    with pytest.raises(CommandError, match="names no libraries"):
        call_command("add_source", "Gcz", "--protocol", "libris-export", "--url", url, "--profile", str(path))
    with pytest.raises(CommandError, match="needs an export profile"):
        call_command("add_source", "Gcz", "--protocol", "libris-export", "--url", url)
    with pytest.raises(CommandError, match="cannot read the export profile"):
        call_command(
            "add_source", "Gcz", "--protocol", "libris-export", "--url", url, "--profile", "/nonexistent"
        )
    assert Source.objects.count() == 1
    # The admin's form validates the same way.
    wrong = Source(library=regional_library, protocol="libris-export", url=url + "x", export_profile="x=1")
    with pytest.raises(ValidationError) as refused:
        wrong.full_clean()
    assert set(refused.value.message_dict) == {"export_profile"}
