"""The real LIBRIS records of ../shared/testdata/swedish-marc, read with pymarc, as a county's
corner of LIBRIS for the local export server (tests.harvest.libris_server)."""

import json
from copy import deepcopy
from datetime import datetime
from pathlib import Path

import pymarc
from pymarc import Field, Record, Subfield

from harvest.records import decode_json_bytes, parse_marc_json
from tests.harvest.libris_server import Catalogue

# The county's libraries as the export profile names them (their holdings are exported).
COUNTY = ["Sods", "Nyks", "Li", "G", "La"]
HISTORICAL = ["11601582", "11691597", "12384646", "12732969", "12743333", "8261338", "8558889", "5067018"]
# Who in the county holds each historical bib (5067018: nobody, so it is never exported).
HELD_BY = {
    "11601582": ["Sods"],
    "11691597": ["Sods", "Nyks"],
    "12384646": ["G"],
    "12732969": ["Li"],
    "12743333": ["Nyks", "La"],
    "8261338": ["La"],
    "8558889": ["G", "Li"],
    "5067018": [],
}


def _historical(folder: Path, bib_id: str) -> Record:
    with (folder / "historical-bib" / f"{bib_id}.iso2709").open("rb") as handle:
        return next(iter(pymarc.MARCReader(handle, to_unicode=True, force_utf8=True)))


def _json_record(path: Path) -> Record:
    """A MARC-in-JSON holdings record; some hold stray Mac Roman bytes, repaired on reading."""
    text, _ = decode_json_bytes(path.read_bytes())
    record = parse_marc_json(json.loads(text)).record
    assert record is not None
    return record


def holding_like(template: Record, holding_id: str, bib_id: str, sigel: str) -> Record:
    """A real holdings record moved to another bib and library (001, 004, 852 $b)."""
    record = deepcopy(template)
    record.remove_fields("001", "004")
    record.add_ordered_field(Field(tag="001", data=holding_id))
    record.add_ordered_field(Field(tag="004", data=bib_id))
    for fld in record.get_fields("852"):
        fld.subfields = [Subfield(sf.code, sigel if sf.code == "b" else sf.value) for sf in fld.subfields]
    return record


def county_catalogue(folder: Path, at: datetime) -> Catalogue:
    """Bibs and holdings from the shared test data, every change made at ``at``:
    7149593 (Tove Jansson) with its 28 real holdings records, 20203738 with its three (Sods, Li,
    G; they have no 001 nor 004), 1390474 with one, and eight historical bibs held as HELD_BY."""
    catalogue = Catalogue()
    tove = pymarc.parse_xml_to_array(str(folder / "historical-bib" / "7149593.xml"))[0]
    catalogue.add_bib(tove, at)
    for path in sorted((folder / "marc2jsonld-in" / "hold").glob("*.json")):
        record = _json_record(path)
        sigel = next(fld.get("b") for fld in record.get_fields("852") if fld.get("b"))
        catalogue.hold(record["001"].data, "7149593", sigel, record, at)
    for name, bib_id in (("batch15.xml", "20203738"), ("batch10.xml", "1390474")):
        bib, *holdings = pymarc.parse_xml_to_array(str(folder / "batchimport-integtest" / name))
        catalogue.add_bib(bib, at)
        for number, record in enumerate(holdings):
            sigel = next(fld.get("b") for fld in record.get_fields("852"))
            catalogue.hold(f"{bib_id}-h{number}", bib_id, sigel, record, at)
    template = _json_record(folder / "marc2jsonld-in" / "hold" / "718806.json")
    for bib_id in HISTORICAL:
        catalogue.add_bib(_historical(folder, bib_id), at)
        for sigel in HELD_BY[bib_id]:
            holding_id = f"9{bib_id}{COUNTY.index(sigel)}"
            catalogue.hold(holding_id, bib_id, sigel, holding_like(template, holding_id, bib_id, sigel), at)
    return catalogue


def expected_holders(catalogue: Catalogue) -> dict[str, set[str]]:
    """Bib id -> the county libraries holding it (only bibs some county library holds)."""
    found: dict[str, set[str]] = {}
    for holding in catalogue.holdings.values():
        if not holding.deleted and holding.sigel in COUNTY and not catalogue.bibs[holding.bib].deleted:
            found.setdefault(holding.bib, set()).add(holding.sigel)
    return found
