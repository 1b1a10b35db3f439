"""A small fixture corpus of cluster documents, each one there to prove one search rule."""

from typing import Any

from pymarc import Record

from catalog.mapping import map_record
from catalog.search.documents import HoldingSummary, cluster_document
from tests.catalog import script_records

PIPPI_ISBN13 = "9789129657807"
PIPPI_ISBN10 = "91-29-65780-6"


def doc(
    pk: int,
    title: str,
    authors: tuple[str, ...] = (),
    year: int | None = 2000,
    subjects: tuple[str, ...] = (),
    summary: str = "",
    libraries: tuple[str, ...] = ("Nyks",),
    available: tuple[str, ...] = (),
    formats: tuple[str, ...] = ("book",),
    languages: tuple[str, ...] = ("swe",),
    isbns: tuple[str, ...] = (),
    audience: tuple[str, ...] = (),
    work: int | None = None,
    accessibility: tuple[str, ...] = (),
) -> dict[str, Any]:
    data = {
        "title": title,
        "authors": [{"name": name, "role": "author"} for name in authors],
        "year": year,
        "subjects": [{"term": term, "thesaurus": "sao"} for term in subjects],
        "summary": summary,
        "formats": list(formats),
        "languages": list(languages),
        "isbns": list(isbns),
        "audience": list(audience),
        "accessibility": list(accessibility),
    }
    municipalities = {"Nyks": "Nyköping", "Ty": "Tyresö", "Na": "Nacka", "Sods": "Södertälje"}
    holdings = HoldingSummary(
        libraries=set(libraries),
        municipalities={municipalities[code] for code in libraries},
        available_at=set(available),
        copies=len(libraries),
    )
    return cluster_document(pk, data, holdings, work)


def record_doc(pk: int, record: Record) -> dict[str, Any]:
    """The document of a one-record cluster held by Nyks, mapped from real-shaped MARC."""
    holdings = HoldingSummary(libraries={"Nyks"}, municipalities={"Nyköping"}, copies=1)
    return cluster_document(pk, map_record(record), holdings)


CORPUS = [
    # stemming and exact-above-stemmed
    doc(1, "Hundarna i Bullerbyn", ("Lindgren, Astrid",), 1947, ("Hundar",)),
    doc(2, "Min hund", ("Svensson, Eva",), 2001),
    doc(3, "Alla böcker jag läst", ("Holm, Per",), 2012),
    # diacritics: exact spelling first, folded spelling still found
    doc(4, "Östersund förr och nu", ("Berg, Lena",), 1999, ("Östersund",)),
    doc(5, "Björk", ("Guðmundsdóttir, Björk",), 2015, formats=("music",), languages=("eng",)),
    doc(6, "Bjork the bear", ("Smith, John",), 2010, languages=("eng",)),
    # phrases, prefixes, typos, field prefixes, ISBN
    doc(
        7,
        "Pippi Långstrump",
        ("Lindgren, Astrid",),
        1945,
        ("Barn",),
        libraries=("Nyks", "Ty", "Na"),
        available=("Nyks", "Ty"),
        isbns=(PIPPI_ISBN13,),
        audience=("juvenile",),
        work=903,
    ),
    doc(8, "Röda rummet", ("Strindberg, August",), 1879),
    doc(9, "Rummet var rött", ("Ek, Anna",), 2019),
    doc(10, "Lindgren i mitt hjärta", ("Nilsson, Kim",), 2005, ("Biografier",)),
    # ranking by field: title > subject > notes
    doc(11, "Sjön", ("Ahl, Bo",), 2000),
    doc(12, "Vatten och land", ("Ahl, Bo",), 2000, ("Sjön",)),
    doc(13, "Ett år i skogen", ("Ahl, Bo",), 2000, summary="En berättelse om sjön och skogen."),
    # popularity and recency: same title, more libraries / newer edition ranks higher; the two
    # editions of each are one work (the work filter). Accessible media: a DAISY talking book
    # (14), an easy-to-read large-print edition (16) and an easy-to-read one (17).
    doc(
        14,
        "Fågelboken",
        ("Ek, Olle",),
        1990,
        libraries=("Nyks",),
        work=901,
        formats=("talking_book",),
        accessibility=("talking_book",),
    ),
    doc(15, "Fågelboken", ("Ek, Olle",), 1990, libraries=("Nyks", "Ty", "Na", "Sods"), work=901),
    doc(
        16,
        "Svampboken",
        ("Ek, Olle",),
        1980,
        libraries=("Ty",),
        work=902,
        formats=("large_print",),
        accessibility=("easy_to_read", "large_print"),
    ),
    doc(17, "Svampboken", ("Ek, Olle",), 2020, libraries=("Ty",), work=902, accessibility=("easy_to_read",)),
    # Swedish title order: å ä ö after z
    doc(18, "Zorro", ("Zeta, Ann",), None, libraries=("Sods",), available=("Sods",), languages=("spa",)),
    doc(
        19,
        "Åsa-Nisse",
        ("Ås, Bo",),
        1960,
        libraries=("Sods",),
        formats=("film",),
        languages=("swe", "sgn"),
        accessibility=("sign_language",),
    ),
    doc(20, "Ärlig talat", ("Ärn, Eva",), 2021, libraries=("Sods",), formats=("ebook",)),
    doc(
        21,
        "Ödets makt",
        ("Öst, Ulf",),
        2022,
        libraries=("Sods",),
        formats=("audiobook",),
        accessibility=("audiobook",),
    ),
    doc(22, "Apan", ("Alm, Siv",), 2018, libraries=("Sods", "Na"), available=("Na",)),
    # other languages and scripts: romanized 245 + 880 in the original script, Cyrillic, Sami
    record_doc(23, script_records.arabic_book()),
    record_doc(24, script_records.arabic_novel()),
    record_doc(25, script_records.persian_book()),
    record_doc(26, script_records.ukrainian_book()),
    record_doc(27, script_records.russian_book()),
    record_doc(28, script_records.finnish_book()),
    record_doc(29, script_records.sami_book()),
]
