"""RIS and BibTeX as citation clients read them: parsed with rispy and bibtexparser, not by eye.

Real LIBRIS records (two-author books, an editor, corporate names, a serial, a sound recording,
a CJK record) and a few built with pymarc, mapped as harvest maps them.
"""

from pathlib import Path

import bibtexparser
import pymarc
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from django.test import Client

from catalog.clustering import assign_clusters
from catalog.mapping import map_record
from opac.exports import to_bibtex, to_ris
from tests.catalog.marc_builders import datafield, marc
from tests.catalog.records import cluster_of, read_json_marc, source, store_marc

LIBRIS = "swedish-marc/librisxl"
URL = "https://samsok.example/post/1/"


def libris(shared_testdata: Path, number: str) -> pymarc.Record:
    """A LIBRIS bib record: MARC-in-JSON where the converter tests have it, else ISO 2709."""
    json_path = shared_testdata / LIBRIS / "marc2jsonld-in/bib" / f"{number}.json"
    if json_path.exists():
        return read_json_marc(json_path)
    with open(shared_testdata / LIBRIS / "historical-bib" / f"{number}.iso2709", "rb") as fh:
        return next(r for r in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True) if r)


def ris_of(record: pymarc.Record) -> dict[str, object]:
    entries = rispy.loads(to_ris(map_record(record), URL))
    assert len(entries) == 1
    return dict(entries[0])


def bibtex_of(record: pymarc.Record) -> dict[str, object]:
    library = bibtexparser.parse_string(to_bibtex(map_record(record), "samsok1", URL))
    assert not library.failed_blocks and len(library.entries) == 1
    return {field.key: field.value for field in library.entries[0].fields}


def bibtex_people(record: pymarc.Record, field: str) -> list[tuple[list[str], list[str]]]:
    """(first, last) name parts of a BibTeX name list, split as bibtexparser splits them."""
    text = to_bibtex(map_record(record), "samsok1", URL)
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    return [(name.first, name.last) for name in library.entries[0].fields_dict[field].value]


@pytest.mark.sqlite
def test_two_authors_are_both_authors_in_the_api_data_ris_and_bibtex(shared_testdata: Path) -> None:
    # 100 Fox + 700 Levin without a relator: a work by two authors, entered under the first.
    record = libris(shared_testdata, "12384646")
    data = map_record(record)
    assert [a["name"] for a in data["authors"]] == ["Fox, James Alan", "Levin, Jack"]
    assert data["contributors"] == []
    ris = ris_of(record)
    assert ris["authors"] == ["Fox, James Alan", "Levin, Jack"]
    assert "secondary_authors" not in ris
    assert ris["title"] == "Extreme killing : understanding serial and mass murder"
    assert "secondary_title" not in ris  # the subtitle is no series
    assert bibtex_people(record, "author") == [(["James", "Alan"], ["Fox"]), (["Jack"], ["Levin"])]


@pytest.mark.sqlite
def test_first_author_stays_the_main_entry(shared_testdata: Path) -> None:
    # Clustering keys read the first author: adding co-authors must not change it.
    jansson = map_record(libris(shared_testdata, "7149593"))
    assert [a["name"] for a in jansson["authors"]] == ["Jansson, Tove", "Pietilä, Tuulikki"]
    # Entered under title, the 700 (no relator) stays a contributor: no first author appears.
    cjk = map_record(libris(shared_testdata, "11311266"))
    assert cjk["authors"] == [] and [a["name"] for a in cjk["contributors"]] == ["Zhang Qian"]


@pytest.mark.sqlite
def test_editor_and_series_land_where_clients_read_them(shared_testdata: Path) -> None:
    # 700 $4 edt, 710 $4 pbl (the publisher), 490 series; an e-book.
    record = libris(shared_testdata, "12743333")
    ris = ris_of(record)
    assert ris["type_of_reference"] == "EBOOK"
    assert ris["title"] == "Att bryta ny marc : LIBRIS 40 : en jubileumsskrift"
    assert ris["tertiary_authors"] == ["Thomas, Barbro"]  # A3: a book's editor
    assert "authors" not in ris and "secondary_authors" not in ris  # no series editor, no publisher
    assert ris["secondary_title"] == "Acta Bibliothecae regiae Stockholmiensis ; 84"  # T2: series
    bib = bibtex_of(record)
    assert bib["editor"] == "Thomas, Barbro" and "author" not in bib
    assert bib["series"] == "Acta Bibliothecae regiae Stockholmiensis ; 84"


@pytest.mark.sqlite
def test_corporate_author_keeps_its_full_stop_and_stays_one_name(shared_testdata: Path) -> None:
    # 110 1_ $a Sverige. $b Lantmäteriverket $4 ctg on a map.
    record = libris(shared_testdata, "11601582")
    assert [a["name"] for a in map_record(record)["authors"]] == ["Sverige. Lantmäteriverket"]
    ris = ris_of(record)
    assert ris["type_of_reference"] == "MAP" and ris["authors"] == ["Sverige. Lantmäteriverket"]
    assert "secondary_title" not in ris  # "DVD-ROM för Windows …" is the subtitle, not a series
    assert bibtex_of(record)["author"] == "{Sverige. Lantmäteriverket}"
    assert bibtex_people(record, "author") == [([], ["{Sverige. Lantmäteriverket}"])]


@pytest.mark.sqlite
def test_a_publishing_body_is_not_an_author(shared_testdata: Path) -> None:
    # 100 Bergstedt + 710 $a Göteborgs universitet. $b Institutionen … $4 pbl
    record = libris(shared_testdata, "13584984")
    ris = ris_of(record)
    assert ris["authors"] == ["Bergstedt, Cecilia"]
    assert not {"secondary_authors", "tertiary_authors", "subsidiary_authors"} & set(ris)
    contributors = map_record(record)["contributors"]
    assert contributors[0]["name"] == "Göteborgs universitet. Institutionen för globala studier"


@pytest.mark.sqlite
def test_serial_is_a_whole_journal_with_its_issn(shared_testdata: Path) -> None:
    # Kalle Anka & C:o: leader/07 s, 022 0345-6048, translators among its 700s.
    record = libris(shared_testdata, "8261338")
    ris = ris_of(record)
    assert ris["type_of_reference"] == "JFULL"
    assert ris["issn"] == "0345-6048"
    assert "Diös, Stefan" in ris["subsidiary_authors"]  # A4: translators
    assert "authors" not in ris and "secondary_authors" not in ris
    bib = bibtex_of(record)
    assert bib["issn"] == "0345-6048" and bib["title"] == "Kalle Anka \\& C:o"


@pytest.mark.sqlite
def test_cjk_record_exports_parse(shared_testdata: Path) -> None:
    record = libris(shared_testdata, "11311266")
    ris = ris_of(record)
    assert ris["type_of_reference"] == "BOOK"
    assert ris["title"] == "0-4 sui zhineng xunlian baike quanshu"
    assert "secondary_authors" not in ris  # a 700 of unknown role is no series editor
    assert bibtex_of(record)["title"] == "0-4 sui zhineng xunlian baike quanshu"


def _built(*fields: pymarc.Field, leader: str = "00000cjm a2200000 a 4500") -> pymarc.Record:
    return marc(leader, "", *fields)


@pytest.mark.sqlite
def test_built_sound_recording_series_and_performers() -> None:
    record = _built(
        datafield("245", "a", "Sånger", "b", "en samling"),
        datafield("490", "a", "Svenska visor", "v", "2"),
        datafield("700", "a", "Taube, Evert", "4", "prf", ind="1 "),
        datafield("700", "a", "Lind, Eva", "4", "edt", ind="1 "),
    )
    ris = ris_of(record)
    assert ris["type_of_reference"] in {"MUSIC", "SOUND"}
    assert ris["title"] == "Sånger : en samling"
    assert ris["secondary_authors"] == ["Taube, Evert"]  # A2: a recording's performer
    assert ris["tertiary_title"] == "Svenska visor ; 2"  # T3: series of a recording
    assert "tertiary_authors" not in ris  # A3 is no editor here


@pytest.mark.sqlite
def test_built_book_with_editor_translator_and_meeting() -> None:
    record = _built(
        datafield("111", "a", "Nordiska biblioteksmötet", "d", "2019"),
        datafield("245", "a", "Protokoll"),
        datafield("700", "a", "Berg, Anna,", "e", "red.", ind="1 "),
        datafield("700", "a", "Holm, Per,", "e", "övers.", ind="1 "),
        leader="00000nam a2200000 a 4500",
    )
    ris = ris_of(record)
    assert ris["authors"] == ["Nordiska biblioteksmötet 2019"]
    assert ris["tertiary_authors"] == ["Berg, Anna"] and ris["subsidiary_authors"] == ["Holm, Per"]
    assert bibtex_people(record, "author") == [([], ["{Nordiska biblioteksmötet 2019}"])]
    assert bibtex_people(record, "editor") == [(["Anna"], ["Berg"])]


@pytest.mark.django_db
def test_served_exports_of_a_stored_two_author_record(client: Client, shared_testdata: Path) -> None:
    stored = store_marc(source("libris"), libris(shared_testdata, "12384646"))
    assign_clusters([stored.pk])
    cluster = cluster_of(stored)
    ris = rispy.loads(client.get(f"/post/{cluster.pk}.ris").content.decode())[0]
    assert ris["authors"] == ["Fox, James Alan", "Levin, Jack"]
    api = client.get(f"/api/v1/records/{cluster.pk}").json()
    assert api["authors"][:2] == ["Fox, James Alan", "Levin, Jack"]
    bib = bibtexparser.parse_string(client.get(f"/post/{cluster.pk}.bib").content.decode())
    assert bib.entries[0].fields_dict["author"].value == "Fox, James Alan and Levin, Jack"
