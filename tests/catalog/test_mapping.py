"""MARC → normalized record, one test per concept; real LIBRIS records where they cover it."""

from pathlib import Path

import pymarc
import pytest
from pymarc import Field

from catalog.mapping import extract_holdings, formats, identifiers, is_holdings_record, map_record, titles
from tests.catalog.marc_builders import book_008, datafield, marc

pytestmark = pytest.mark.sqlite


def libris_xml(shared_testdata: Path, name: str) -> list[pymarc.Record]:
    path = shared_testdata / "swedish-marc/librisxl/batchimport-integtest" / name
    return [r for r in pymarc.parse_xml_to_array(str(path)) if r is not None]


def libris_iso(shared_testdata: Path, name: str) -> pymarc.Record:
    with open(shared_testdata / "swedish-marc/librisxl/historical-bib" / name, "rb") as fh:
        return next(r for r in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True) if r)


def test_libris_batch_record_maps_every_concept(shared_testdata: Path) -> None:
    data = map_record(libris_xml(shared_testdata, "batch14.xml")[0])
    assert data["title"] == "Polisbilen får INTE ett larm"
    assert data["authors"] == [{"name": "Bently, Peter", "role": "aut", "kind": "person"}]
    assert data["contributors"] == [
        {"name": "Lightfoot, Marta", "role": "ill", "kind": "person"},
        {"name": "Vidén, Eva", "role": "trl", "kind": "person"},
    ]
    assert data["isbns"] == ["9789150222319"]
    assert data["libris_id"] == "20203738"
    assert "(BOKR)9789150222319_NEW" in data["system_numbers"]
    assert (data["publisher"], data["year"], data["languages"]) == ("Berghs", 2017, ["swe"])
    assert data["extent"] == "32 sidor : illustrationer"
    assert data["summary"] == "En JÄTTEJÄTTEFIN sammanfattning"
    assert data["audience"] == "children"
    assert data["formats"] == ["book"]
    assert data["notes"] == []  # 599 is a local LIBRIS note, not for patrons


def test_isbn10_and_isbn13_normalize_to_the_same_number() -> None:
    assert identifiers.normalize_isbn("91-27-10850-3") == "9789127108509"
    assert identifiers.normalize_isbn("9789127108509") == "9789127108509"
    assert identifiers.normalize_isbn("91-0-056322-6 (inb.) ;") == "9789100563226"
    assert identifiers.normalize_isbn("9789127108503") is None  # wrong check digit
    assert identifiers.normalize_isbn("91-27-10850-4") is None


def test_invalid_isbns_are_kept_apart(shared_testdata: Path) -> None:
    data = map_record(libris_xml(shared_testdata, "batch4.xml")[0])
    assert data["isbns"] == []
    assert data["invalid_isbns"] == ["9789127108509"]


def test_ean_issn_and_libris_id_rules(shared_testdata: Path) -> None:
    assert map_record(libris_xml(shared_testdata, "batch11.xml")[0])["eans"] == ["5051895056684"]
    assert map_record(libris_xml(shared_testdata, "batch5.xml")[0])["issns"] == []  # 022 $z only
    assert identifiers.normalize_issn("0345-0385") is None
    assert identifiers.normalize_issn("2049-3630") == "2049-3630"
    local = marc("00000cam a2200000 a 4500", "", Field(tag="001", data="123"))
    assert map_record(local)["libris_id"] is None  # a bare 001 is a local number


def test_title_non_filing_characters_parts_and_responsibility() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008(),
        datafield(
            "245",
            "a",
            "Det osynliga barnet :",
            "b",
            "noveller.",
            "n",
            "2,",
            "p",
            "Del två /",
            "c",
            "Tove Jansson.",
            ind="14",
        ),
    )
    assert titles.title(record) == "Det osynliga barnet. 2. Del två"
    assert titles.title_sort(record) == "osynliga barnet. 2. del två"
    assert titles.subtitle(record) == "noveller"
    assert titles.responsibility(record) == "Tove Jansson"


def test_publication_edition_series_subjects_and_links() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008("uuuu"),
        datafield("250", "a", "2. uppl."),
        datafield("260", "a", "Stockholm :", "b", "Bonnier,", "c", "cop. 1996 ;"),
        datafield("490", "a", "Mumintrollen ;", "v", "3", ind="0 "),
        datafield("650", "a", "Skärgården", "x", "historia", "2", "sao", ind=" 7"),
        datafield("650", "a", "Djur", "2", "barn", ind=" 7"),
        datafield("655", "a", "Romaner", "2", "saogf", ind=" 7"),
        datafield("084", "a", "Hcg", "2", "kssb/8"),
        datafield("505", "a", "Första -- Andra."),
        datafield("856", "u", "https://example.org/x", "y", "Omslag", ind="42"),
        datafield("041", "a", "swe", "h", "fin"),
    )
    data = map_record(record)
    assert (data["place"], data["publisher"], data["year"], data["edition"]) == (
        "Stockholm",
        "Bonnier",
        1996,
        "2. uppl.",
    )
    assert data["series"] == ["Mumintrollen ; 3"]
    assert data["subjects"] == [
        {"term": "Skärgården -- historia", "thesaurus": "sao"},
        {"term": "Djur", "thesaurus": "barn"},
    ]
    assert data["genres"] == [{"term": "Romaner", "thesaurus": "saogf"}]
    assert data["classifications"] == [{"code": "Hcg", "scheme": "kssb/8"}]
    assert data["contents"] == ["Första", "Andra"]
    assert data["links"] == [{"url": "https://example.org/x", "text": "Omslag"}]
    assert data["languages"] == ["swe"]  # 041 $h is the original's language


@pytest.mark.parametrize(
    ("leader", "f008", "extra", "expected"),
    [
        ("00000cam a2200000 a 4500", book_008(), [], "book"),
        ("00000cam a2200000 a 4500", book_008(form="o"), [], "ebook"),
        ("00000cam a2200000 a 4500", book_008(form="d"), [], "large_print"),
        ("00000cim a2200000 a 4500", "", [], "audiobook"),
        ("00000cim a2200000 a 4500", "", [datafield("300", "a", "1 CD-skiva (DAISY)")], "talking_book"),
        ("00000cjm a2200000 a 4500", "", [], "music"),
        ("00000cgm a2200000 a 4500", "", [], "film"),
        ("00000cem a2200000 a 4500", "", [], "map"),
        ("00000cas a2200000 a 4500", "", [], "serial"),
        ("00000crm a2200000 a 4500", " " * 33 + "g", [], "game"),
        ("00000ckm a2200000 a 4500", "", [], "other"),
    ],
)
def test_format_vocabulary(leader: str, f008: str, extra: list[Field], expected: str) -> None:
    assert formats.formats(marc(leader, f008, *extra))[0] == expected


def test_format_of_real_libris_records(shared_testdata: Path) -> None:
    assert map_record(libris_iso(shared_testdata, "11601582.iso2709"))["formats"] == ["map"]
    assert map_record(libris_iso(shared_testdata, "12035894.iso2709"))["formats"] == ["music"]
    assert map_record(libris_iso(shared_testdata, "8261338.iso2709"))["formats"] == ["serial"]
    assert map_record(libris_xml(shared_testdata, "batch7.xml")[0])["formats"] == ["ebook"]  # 007 cr
    assert map_record(libris_xml(shared_testdata, "batch6.xml")[0])["formats"] == ["other"]  # leader/06 m


def test_libris_holdings_records(shared_testdata: Path) -> None:
    records = libris_xml(shared_testdata, "batch15.xml")
    assert not is_holdings_record(records[0]) and all(is_holdings_record(r) for r in records[1:])
    sigels = [h["library"] for r in records[1:] for h in extract_holdings(r, "auto", None)]
    assert sigels == ["Sods", "Li", "G"]


def test_koha_952_items() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008(),
        datafield("952", "a", "HB", "b", "FIL", "c", "BARN", "o", "Hcg Jansson", "p", "1001", "7", "0"),
        datafield("952", "a", "HB", "b", "HB", "o", "Hcg", "p", "1002", "q", "2026-12-01"),
        datafield("952", "a", "HB", "b", "HB", "p", "1003", "7", "1"),
        datafield("952", "a", "HB", "b", "HB", "p", "1004", "7", "-1"),
        datafield("952", "a", "HB", "b", "HB", "p", "1005", "1", "1"),
    )
    items = extract_holdings(record, "952", "Sods")
    assert [(h["library"], h["branch"], h["status"], h["due_date"]) for h in items] == [
        ("Sods", "FIL", "available", None),
        ("Sods", "HB", "on_loan", "2026-12-01"),
        ("Sods", "HB", "not_for_loan", None),
        ("Sods", "HB", "ordered", None),
        ("Sods", "HB", "not_for_loan", None),
    ]
    assert (
        items[0]["shelf"] == "BARN"
        and items[0]["call_number"] == "Hcg Jansson"
        and items[0]["item_id"] == "1001"
    )


def test_866_textual_holdings_go_to_the_852_they_link_to() -> None:
    """A serial at two libraries: each 866 names its 852 by the $8 link number."""
    record = marc(
        "00000cas a2200000 a 4500",
        book_008(),
        datafield("852", "8", "1", "b", "Nyks", "c", "Tidskrifter"),
        datafield("852", "8", "2", "b", "Li", "c", "Magasin"),
        datafield("866", "8", "1\\c", "a", "1985-2010"),
        datafield("867", "8", "1\\c", "a", "Supplement 1999"),
        datafield("866", "8", "2\\c", "a", "2012-"),
    )
    by_library = {h["library"]: h["summary"] for h in extract_holdings(record, "852", None)}
    assert by_library == {"Nyks": "1985-2010; Supplement 1999", "Li": "2012-"}
    unlinked = marc(
        "00000cas a2200000 a 4500", book_008(), datafield("852", "b", "G"), datafield("866", "a", "1990-")
    )
    assert [h["summary"] for h in extract_holdings(unlinked, "852", None)] == ["1990-"]
    libris = marc(
        "00000nx  a2200000 a 4500", "", datafield("852", "b", "G"), datafield("866", "a", "2001-2004")
    )
    assert [h["summary"] for h in extract_holdings(libris, "libris", None)] == ["2001-2004"]


def test_852_and_949_profiles() -> None:
    record = marc(
        "00000cam a2200000 a 4500",
        book_008(),
        datafield("852", "b", "Nyks", "c", "Vuxen", "h", "Hc", "l", "Jansson"),
        datafield(
            "949",
            "a",
            "Li",
            "b",
            "Centrum",
            "c",
            "Barn",
            "d",
            "Hcf",
            "i",
            "55",
            "s",
            "Utlånad",
            "q",
            "20261201",
        ),
    )
    (h852,) = extract_holdings(record, "852", None)
    assert (h852["library"], h852["shelf"], h852["call_number"]) == ("Nyks", "Vuxen", "Hc Jansson")
    (h949,) = extract_holdings(record, "949", None)
    assert (h949["library"], h949["branch"], h949["status"], h949["due_date"]) == (
        "Li",
        "Centrum",
        "on_loan",
        "2026-12-01",
    )


def test_remembered_answers_follow_the_record_asked_and_its_fields() -> None:
    """The primary format and the qualified ISBNs are remembered for the last record asked
    (marc.per_record): another record, or the same one with a field added, is asked afresh."""
    printed = marc("00000cam a2200000 a 4500", book_008())
    large = marc("00000cam a2200000 a 4500", book_008(form="d"))
    assert [formats.primary_format(r) for r in (printed, large, printed)] == ["book", "large_print", "book"]
    printed.add_field(datafield("250", "a", "Storstil"))
    assert formats.primary_format(printed) == "large_print"
    volume = marc(
        "00000cam a2200000 a 4500", book_008(), datafield("020", "a", "9789150222319", "q", "osa 1")
    )
    assert map_record(volume)["part_isbns"] == {"9789150222319": "1"}
    volume.add_field(datafield("020", "a", "9789129688313", "q", "hela verket"))
    data = map_record(volume)
    assert (data["part_isbns"], data["set_isbns"]) == ({"9789150222319": "1"}, ["9789129688313"])
