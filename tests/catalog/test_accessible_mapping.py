"""Accessible media in the mapping (catalog.mapping.accessibility): the project's own records as
LIBRIS catalogues them, each code on its own, and the real LIBRIS records of the shared data."""

from pathlib import Path

import pymarc
import pytest
from pymarc import Field

from catalog.accessible import ACCESSIBLE_CODES
from catalog.mapping import map_record
from catalog.mapping.accessibility import accessibility
from tests.catalog import accessible_records as made
from tests.catalog.marc_builders import book_008, datafield, marc
from tests.catalog.records import read_json_marc

pytestmark = pytest.mark.sqlite
LIBRIS_BIB = "swedish-marc/librisxl/marc2jsonld-in/bib"


@pytest.mark.parametrize(
    ("record", "formats", "codes"),
    [
        (made.ordinary(), ["book"], []),
        (made.large_print(), ["large_print"], ["large_print"]),
        (made.easy_to_read(), ["book"], ["easy_to_read"]),
        (made.talking_book(), ["talking_book"], ["talking_book"]),
        (made.braille(), ["book"], ["braille"]),
        (made.audiobook_cd(), ["audiobook"], ["audiobook"]),
        (made.easy_large_print(), ["large_print"], ["easy_to_read", "large_print"]),
        (made.sign_language_video(code="sgn"), ["film"], ["sign_language"]),
        (made.sign_language_video(code="swl"), ["film"], ["sign_language"]),
        (made.mentions_only(), ["book"], []),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_each_version_and_property_as_libris_catalogues_it(
    record: pymarc.Record, formats: list[str], codes: list[str]
) -> None:
    data = map_record(record)
    assert (data["formats"], data["accessibility"]) == (formats, codes)


def test_the_talking_book_and_the_audiobook_keep_their_carriers_and_sign_languages_their_codes() -> None:
    assert map_record(made.talking_book())["carrier"] == "cd/daisy"
    assert map_record(made.audiobook_cd())["carrier"] == "cd/cdda"
    assert map_record(made.sign_language_video(code="swl"))["languages"] == ["swe", "swl"]


BOOK = "00000cam a2200000 i 4500"


def one(*more: Field, leader: str = BOOK, f008: str = book_008()) -> list[str]:
    return accessibility(marc(leader, f008, datafield("245", "a", "Titel", ind="00"), *more))


def test_each_code_on_its_own() -> None:
    # Large print: 007 tb, Koha item type; braille: 007 tc, 336 $b tct, 340 "braille".
    assert one(Field(tag="007", data="tb")) == ["large_print"]
    assert one(datafield("952", "a", "Nyks", "y", "STORSTIL")) == ["large_print"]
    assert one(Field(tag="007", data="tc")) == ["braille"]
    assert one(datafield("336", "a", "tactile text", "b", "tct")) == ["braille"]
    assert one(datafield("340", "a", "braille")) == ["braille"]
    assert one(f008=book_008(form="f")) == ["braille"]
    # Easy to read: the term or the note is the statement; the publisher; Finnish selkokirja.
    assert one(datafield("655", "a", "Lättläst", "2", "saogf", ind=" 7")) == ["easy_to_read"]
    assert one(datafield("655", "a", "Selkokirjat", "2", "yso/fin", ind=" 7")) == ["easy_to_read"]
    assert one(datafield("500", "a", "Lättläst version")) == ["easy_to_read"]
    assert one(datafield("521", "a", "Lättläst")) == ["easy_to_read"]
    assert one(datafield("264", "b", "Vilja förlag", ind=" 1")) == ["easy_to_read"]
    assert one(datafield("500", "a", "Finns även som lättläst")) == []
    # Sign language: 041 (also packed), 546, an interpreted film; a subject says nothing.
    assert one(datafield("041", "a", "swesgn")) == ["sign_language"]
    assert one(datafield("546", "a", "Svenskt teckenspråk")) == ["sign_language"]
    assert one(datafield("650", "a", "Teckenspråk", ind=" 7")) == []
    video = "00000cgm a2200000 i 4500"
    assert one(datafield("500", "a", "Teckenspråkstolkad"), leader=video) == ["sign_language"]


def test_talking_books_by_publisher_link_and_item_type() -> None:
    sound = "00000cim a2200000 i 4500"
    assert one(datafield("260", "b", "Talboks- och punktskriftsbiblioteket", ind="  "), leader=sound) == [
        "talking_book"
    ]
    assert one(datafield("856", "u", "https://www.legimus.se/bok/#id=123", ind="40"), leader=sound) == [
        "talking_book"
    ]
    assert one(datafield("952", "a", "Ka", "y", "DAISY"), leader=sound) == ["talking_book"]
    assert one(datafield("264", "b", "Bonnier Audio", ind=" 1"), leader=sound) == ["audiobook"]


def test_a_real_libris_audiobook_on_cd_is_an_audiobook(shared_testdata: Path) -> None:
    """LIBRIS 11850823, Jan Guillou's *Ondskan* read by the author: leader/06 i, 007 sd, 9 CD,
    655 "Ljudböcker" (saogf) and a local "Tal cd"."""
    data = map_record(read_json_marc(shared_testdata / LIBRIS_BIB / "11850823.json"))
    assert (data["formats"], data["accessibility"], data["carrier"]) == (
        ["audiobook"],
        ["audiobook"],
        "cd/cdda",
    )


def test_no_other_real_libris_record_claims_an_accessible_medium(shared_testdata: Path) -> None:
    """The shared LIBRIS records hold no large print, braille, talking book, easy-to-read or sign
    language (their text was searched for the words and codes): none may be found there."""
    found = {
        path.name: map_record(read_json_marc(path))["accessibility"]
        for path in sorted((shared_testdata / LIBRIS_BIB).glob("*.json"))
    }
    assert len(found) > 20
    assert {name: codes for name, codes in found.items() if codes} == {"11850823.json": ["audiobook"]}
    assert all(set(codes) <= set(ACCESSIBLE_CODES) for codes in found.values())
