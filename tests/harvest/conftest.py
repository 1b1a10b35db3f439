"""Harvest fixtures: libraries by sigel, a MARCXML record maker, a real local OAI-PMH server."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.models import Library
from harvest.models import Source
from harvest.protocols import marc_file
from sample.local_oai import LocalOaiServer, Repository

MARC_NS = "http://www.loc.gov/MARC21/slim"


def marcxml(control: str, title: str, sigel: str = "Sods", year: str = "2017", leader6: str = "a") -> bytes:
    """A small bibliographic MARCXML record with one 852 holding at ``sigel``."""
    holding = (
        f'<datafield tag="852" ind1=" " ind2=" "><subfield code="b">{sigel}</subfield>'
        f'<subfield code="c">Vuxen</subfield><subfield code="h">Hc</subfield></datafield>'
        if sigel
        else ""
    )
    return (
        f'<record xmlns="{MARC_NS}"><leader>00000n{leader6}m a2200000 a 4500</leader>'
        f'<controlfield tag="001">{control}</controlfield>'
        f'<controlfield tag="008">170327s{year}    sw ||||j     |00| 0|swe d</controlfield>'
        f'<datafield tag="245" ind1="1" ind2="0"><subfield code="a">{title}</subfield></datafield>'
        f'<datafield tag="264" ind1=" " ind2="1"><subfield code="c">{year}</subfield></datafield>'
        f"{holding}</record>"
    ).encode()


def fill(server: LocalOaiServer, count: int, prefix: str = "oai:test:") -> None:
    """Put records 1..count (titles "Titel N") into the server's repository."""
    for number in range(1, count + 1):
        server.repository.put(f"{prefix}{number}", marcxml(str(number), f"Titel {number}"))


@pytest.fixture(autouse=True)
def _local_sources_allowed(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    """This suite's providers run on 127.0.0.1 and its files are written under tmp_path: allow
    both (the checks of harvest.locations stay on; tests of the refusals turn these off)."""
    settings.HARVEST_ALLOW_PRIVATE_URLS = True  # type: ignore[attr-defined]
    settings.HARVEST_FILE_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def libraries(db: None) -> dict[str, Library]:
    codes = ["Sods", "Nyks", "Li", "G", "La", "BULB", "Gcz"]
    return {code: Library.objects.create(code=code, name=f"Bibliotek {code}") for code in codes}


@pytest.fixture
def fast_http(settings: pytest.FixtureRequest) -> None:
    """Retries without long sleeps, so fault scenarios finish in milliseconds."""
    settings.HARVEST_OAI_HTTP = {"retries": 2, "backoff": 0.01, "timeout": 5, "max_retry_after": 2}  # type: ignore[attr-defined]


@pytest.fixture
def oai_server(fast_http: None) -> Iterator[LocalOaiServer]:
    with LocalOaiServer(Repository(page_size=3)) as server:
        yield server


@pytest.fixture
def oai_source(oai_server: LocalOaiServer, libraries: dict[str, Library]) -> Source:
    return Source.objects.create(protocol="oai-pmh", url=oai_server.url, metadata_prefix="marcxml")


def file_source(path: Path | str, library: Library | None = None, profile: str = "auto") -> Source:
    return Source.objects.create(
        protocol="marc-file", url=str(path), library=library, holdings_profile=profile
    )


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A marc-file source's pages of 5 records, so that a file of tens of records is a run of
    several pages."""
    monkeypatch.setattr(marc_file, "PAGE_SIZE", 5)
