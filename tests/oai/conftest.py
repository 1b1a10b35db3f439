"""OAI-PMH provider fixtures: a catalogue harvested the way real ones are (marc-file sources
through harvest_source), from real LIBRIS records and titles the project writes itself."""

from collections.abc import Callable
from pathlib import Path

import pymarc
import pytest
from django.test import Client
from lxml import etree

from catalog.models import Cluster, Library
from harvest.models import Source
from harvest.services import harvest_source
from tests.oai.schema import OAI, validate

LIBRIS_JSON = "swedish-marc/librisxl/marc2jsonld-in"
MARC_NS = "http://www.loc.gov/MARC21/slim"


def title_record(number: int, sigels: tuple[str, ...], title: str = "", isbn: str = "") -> bytes:
    """A small MARCXML book with one 852 per sigel (shelf "Vuxen", call number "Hc")."""
    holdings = "".join(
        f'<datafield tag="852" ind1=" " ind2=" "><subfield code="b">{sigel}</subfield>'
        f'<subfield code="c">Vuxen</subfield><subfield code="h">Hc.{number}</subfield></datafield>'
        for sigel in sigels
    )
    isbn_field = (
        f'<datafield tag="020" ind1=" " ind2=" "><subfield code="a">{isbn}</subfield></datafield>'
        if isbn
        else ""
    )
    return (
        f'<record xmlns="{MARC_NS}"><leader>00000nam a2200000 a 4500</leader>'
        f'<controlfield tag="001">t{number}</controlfield>'
        f'<controlfield tag="008">170327s2017    sw ||||j     |00| 0|swe d</controlfield>{isbn_field}'
        f'<datafield tag="100" ind1="1" ind2=" "><subfield code="a">Författare {number}</subfield>'
        "</datafield>"
        f'<datafield tag="245" ind1="1" ind2="0"><subfield code="a">{title or f"Titel {number}"}</subfield>'
        f"</datafield>{holdings}</record>"
    ).encode()


def write_collection(path: Path, records: list[bytes]) -> Path:
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="%s">' % MARC_NS.encode())
    with path.open("ab") as out:
        for record in records:
            out.write(record)
        out.write(b"</collection>")
    return path


def libris_collection(testdata: Path, folder: Path) -> tuple[Path, set[str]]:
    """LIBRIS' bibliographic and holdings records (MARC-in-JSON) as one MARCXML file, and the
    sigels its holdings name."""
    records, sigels = [], set()
    for path in sorted((testdata / LIBRIS_JSON / "bib").glob("*.json")) + sorted(
        (testdata / LIBRIS_JSON / "hold").glob("*.json")
    ):
        text = path.read_bytes().decode("utf-8", errors="replace")
        record = next(iter(pymarc.JSONReader(text)))
        sigels |= {code for field in record.get_fields("852") for code in field.get_subfields("b")}
        records.append(pymarc.record_to_xml(record, namespace=True))
    return write_collection(folder / "libris.xml", records), sigels


@pytest.fixture(autouse=True)
def _files_allowed(tmp_path: Path, settings: pytest.FixtureRequest) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path  # type: ignore[attr-defined]
    settings.HARVEST_ALLOW_PRIVATE_URLS = True  # type: ignore[attr-defined]


@pytest.fixture
def harvest_file(tmp_path: Path) -> Callable[[str, list[bytes], Library | None], Source]:
    """Write records to a file, register it as a marc-file source and harvest it now."""

    def harvest(name: str, records: list[bytes], library: Library | None) -> Source:
        path = write_collection(tmp_path / f"{name}.xml", records)
        source, _created = Source.objects.get_or_create(
            name=name, defaults={"protocol": "marc-file", "url": str(path), "library": library}
        )
        run = harvest_source(source.pk, full=True)
        assert run.status == "complete", run.errors
        return source

    return harvest


@pytest.fixture
def catalogue(db: None, shared_testdata: Path, tmp_path: Path, harvest_file: Callable[..., Source]) -> Source:
    """The real LIBRIS records as a regional source (holdings by sigel) plus 12 titles of our
    own at Nyks (some also held by Sods) — every title merged, indexed and datestamped."""
    path, sigels = libris_collection(shared_testdata, tmp_path)
    for code in sorted(sigels | {"Nyks", "Sods"}):
        Library.objects.get_or_create(code=code, defaults={"name": f"Bibliotek {code}"})
    libris = Source.objects.create(name="libris", protocol="marc-file", url=str(path))
    assert harvest_source(libris.pk, full=True).status == "complete"
    nyks = Library.objects.get(code="Nyks")
    own = [title_record(n, ("Nyks", "Sods") if n % 3 == 0 else ("Nyks",)) for n in range(1, 13)]
    harvest_file("nyks", own, nyks)
    assert Cluster.objects.count() >= 40
    return libris


def oai_get(client: Client, **params: str) -> etree._Element:
    """GET /oai, check the answer against the OAI-PMH schema, return the document."""
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return validate(response.content)


def error_code(document: etree._Element) -> str | None:
    node = document.find(f"{{{OAI}}}error")
    return node.get("code") if node is not None else None
