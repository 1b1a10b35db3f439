"""The project's own pymarc records of accessible media, shaped as LIBRIS catalogues them.

One work ("Hundraåringen som klev ut genom fönstret och försvann", Jonas Jonasson) in its
ordinary edition, a large-print and an easy-to-read edition, a DAISY talking book from MTM, a
braille edition and an audiobook on CD; besides it, a book both easy-to-read and in large print,
and two sign-language videos (041 `sgn`, and `swl` with a 546 note). Written for these tests,
not third-party data.
"""

from pymarc import Field, Record

from tests.catalog.marc_builders import book_008, datafield, marc

TITLE = "Hundraåringen som klev ut genom fönstret och försvann"
AUTHOR = ("100", "a", "Jonasson, Jonas,", "d", "1961-", "4", "aut")
BOOK = "00000cam a2200000 i 4500"
SOUND = "00000cim a2200000 i 4500"
VIDEO = "00000cgm a2200000 i 4500"
RDA_TEXT = (
    datafield("336", "a", "text", "b", "txt", "2", "rdacontent"),
    datafield("337", "a", "oförmedlad", "b", "n", "2", "rdamedia"),
    datafield("338", "a", "volym", "b", "nc", "2", "rdacarrier"),
)
RDA_SPOKEN = (
    datafield("336", "a", "tal", "b", "spw", "2", "rdacontent"),
    datafield("337", "a", "audio", "b", "s", "2", "rdamedia"),
    datafield("338", "a", "ljudskiva", "b", "sd", "2", "rdacarrier"),
)


def isbn13(stem: str) -> str:
    """A valid ISBN-13 from its first twelve digits."""
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(stem))
    return stem + str((10 - total % 10) % 10)


def _sound_008(year: str) -> str:
    return f"100101s{year}    sw nnnn  ||||||f| n swe c"


def _video_008(year: str, lang: str = "swe") -> str:
    return f"110101s{year}    sw 060 g          vl{lang} c"


def _control(local_id: str) -> list[Field]:
    return [Field(tag="001", data=local_id), Field(tag="003", data="SE-LIBR")]


def _published(place: str, publisher: str, year: str) -> Field:
    return datafield("264", "a", f"{place} :", "b", f"{publisher},", "c", year, ind=" 1")


def ordinary(local_id: str = "h1") -> Record:
    return marc(
        BOOK,
        book_008("2009"),
        *_control(local_id),
        datafield("020", "a", isbn13("978916420273")),
        datafield("041", "a", "swe"),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "c", "Jonas Jonasson", ind="10"),
        _published("Stockholm", "Piratförlaget", "2009"),
        datafield("300", "a", "399 sidor"),
        *RDA_TEXT,
        datafield("655", "a", "Romaner", "2", "saogf", ind=" 7"),
    )


def large_print(local_id: str = "h2") -> Record:
    """008/23 d (large print), 250 and RDA 340 $n font size "storstil"."""
    return marc(
        BOOK,
        book_008("2011", form="d"),
        *_control(local_id),
        datafield("020", "a", isbn13("978916420999")),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "c", "Jonas Jonasson", ind="10"),
        datafield("250", "a", "Storstil"),
        _published("Stockholm", "Piratförlaget", "2011"),
        datafield("300", "a", "623 sidor"),
        *RDA_TEXT,
        datafield("340", "n", "storstil"),
    )


def easy_to_read(local_id: str = "h3") -> Record:
    """An LL-förlaget adaptation: 655 "Lättlästa böcker" (saogf) and the adapter in 700."""
    return marc(
        BOOK,
        book_008("2013"),
        *_control(local_id),
        datafield("020", "a", isbn13("978917053444")),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "b", "lättläst version", "c", "Jonas Jonasson", ind="10"),
        _published("Stockholm", "LL-förlaget", "2013"),
        datafield("300", "a", "94 sidor"),
        *RDA_TEXT,
        datafield("655", "a", "Lättlästa böcker", "2", "saogf", ind=" 7"),
        datafield("700", "a", "Ottosson, Mats,", "4", "adp", ind="1 "),
    )


def talking_book(local_id: str = "h4") -> Record:
    """An MTM DAISY talking book: 007 sd, 347 $b DAISY, 500 "Talbok", no ISBN of its own."""
    return marc(
        SOUND,
        _sound_008("2010"),
        *_control(local_id),
        Field(tag="007", data="sd fsngnnmmned"),
        datafield("041", "a", "swe"),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "c", "Jonas Jonasson", ind="10"),
        _published("Malmö", "MTM", "2010"),
        datafield("300", "a", "1 ljudskiva (CD) (13 tim., 30 min.)"),
        *RDA_SPOKEN,
        datafield("347", "a", "ljudfil", "b", "DAISY", "2", "rdaft"),
        datafield("500", "a", "Talbok"),
        datafield("500", "a", "Inläst ur: Stockholm : Piratförlaget, 2009"),
        datafield("511", "a", "Inläsare: Björn Granath", ind="0 "),
    )


def braille(local_id: str = "h5") -> Record:
    """007/00 f (tactile, 01 b braille), 008/23 f, 336 $b tct, 546 "Punktskrift"."""
    return marc(
        BOOK,
        book_008("2009", form="f"),
        *_control(local_id),
        Field(tag="007", data="fb a bnnnn"),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "c", "Jonas Jonasson", ind="10"),
        _published("Stockholm", "Piratförlaget", "2009"),
        datafield("300", "a", "6 volymer (punktskrift)"),
        datafield("336", "a", "taktil text", "b", "tct", "2", "rdacontent"),
        datafield("546", "a", "Punktskrift"),
    )


def audiobook_cd(local_id: str = "h6") -> Record:
    """A commercial audiobook as LIBRIS holds them: 300 "11 CD", 336 spw, 655 Ljudböcker saogf."""
    return marc(
        SOUND,
        _sound_008("2010"),
        *_control(local_id),
        Field(tag="007", data="sd fsngnnmmned"),
        datafield("020", "a", isbn13("978917413222")),
        datafield("028", "a", "BA 1234", "b", "Bonnier Audio", ind="00"),
        datafield(*AUTHOR, ind="1 "),
        datafield("245", "a", TITLE, "c", "Jonas Jonasson", ind="10"),
        _published("Stockholm", "Bonnier Audio", "2010"),
        datafield("300", "a", "11 CD (13 tim.)"),
        *RDA_SPOKEN,
        datafield("511", "a", "Inläsare: Björn Granath", ind="0 "),
        datafield("655", "a", "Ljudböcker", "2", "saogf", ind=" 7"),
    )


def easy_large_print(local_id: str = "e1") -> Record:
    """Both easy-to-read (655 "Lättläst" barngf, Nypon) and large print (008/23 d)."""
    return marc(
        BOOK,
        book_008("2018", form="d", audience="j"),
        *_control(local_id),
        datafield("020", "a", isbn13("978917567000")),
        datafield("100", "a", "Berg, Anna", "4", "aut", ind="1 "),
        datafield("245", "a", "Hunden som sprang bort", "c", "Anna Berg", ind="10"),
        _published("Stockholm", "Nypon förlag", "2018"),
        datafield("300", "a", "46 sidor"),
        *RDA_TEXT,
        datafield("655", "a", "Lättläst", "2", "barngf", ind=" 7"),
    )


def sign_language_video(local_id: str = "s1", code: str = "sgn") -> Record:
    """A DVD in Swedish Sign Language: 041 $a swe $a <code>, 546 "Svenskt teckenspråk"."""
    return marc(
        VIDEO,
        _video_008("2016"),
        *_control(local_id),
        Field(tag="007", data="vd cvaizq"),
        datafield("041", "a", "swe", "a", code),
        datafield("245", "a", "Sagor på teckenspråk", ind="00"),
        _published("Örebro", "Sigrid", "2016"),
        datafield("300", "a", "1 DVD-skiva (45 min.)"),
        datafield("336", "a", "tvådimensionell rörlig bild", "b", "tdi", "2", "rdacontent"),
        datafield("546", "a", "Svenskt teckenspråk och svenska"),
    )


def mentions_only(local_id: str = "m1") -> Record:
    """An ordinary book that only *mentions* other versions or is *about* sign language."""
    return marc(
        BOOK,
        book_008("2015"),
        *_control(local_id),
        datafield("100", "a", "Ek, Lisa", ind="1 "),
        datafield("245", "a", "Att lära sig teckenspråk", ind="10"),
        _published("Lund", "Studentlitteratur", "2015"),
        datafield("300", "a", "210 sidor"),
        datafield("500", "a", "Finns även som lättläst och i punktskrift"),
        datafield("650", "a", "Teckenspråk", "2", "sao", ind=" 7"),
    )
