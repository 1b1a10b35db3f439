"""The sample county: ten municipal libraries of a Stockholm-like län, each with its own habits.

Codes are invented but LIBRIS sigel-like (short, case-sensitive). Each library's catalogue has a
cataloguing style (how it writes ISBNs, 260 or 264, ISBD punctuation, dates in names, Unicode
form), an export format (ISO 2709 or MARCXML) and a holdings profile (852, 949 or Koha 952) —
the differences a union catalogue meets between real library systems.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SampleLibrary:
    code: str
    name: str
    municipality: str
    address: str
    email: str
    latitude: float
    longitude: float
    card_number_pattern: str
    homepage: str
    branches: tuple[tuple[str, str], ...]  # (code, name); the first is the main library
    file_format: str  # "mrc" (ISO 2709) or "xml" (MARCXML collection)
    holdings_profile: str  # "852", "949" or "952"
    isbn_style: str  # "isbn13", "isbn10", "hyphen13", "hyphen10" or "mixed"
    publication_field: str  # "264" (RDA) or "260" (AACR2)
    isbd: bool  # ISBD punctuation at subfield ends (leader/18 "i") or none ("c")
    name_dates: bool  # "Lindgren, Astrid, 1907-2002" rather than "Lindgren, Astrid"
    libris_035: bool  # copy-catalogued from LIBRIS: carries "(LIBRIS)id" in 035
    unicode_form: str  # "NFC" or "NFD" (decomposed å ä ö, as some exports write them)
    id_prefix: str  # local record ids: prefix + running number (empty = bare numbers)
    size: float  # relative collection size: bigger libraries hold more titles
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def filename(self) -> str:
        return f"{self.code}.{self.file_format}"

    def as_json(self) -> dict[str, Any]:
        """The entry written to libraries.json (and read by demo_county)."""
        return {
            "code": self.code,
            "name": self.name,
            "municipality": self.municipality,
            "address": self.address,
            "email": self.email,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "card_number_pattern": self.card_number_pattern,
            "homepage": self.homepage,
            "branches": [{"code": code, "name": name} for code, name in self.branches],
            "file": self.filename,
            "file_format": self.file_format,
            "holdings_profile": self.holdings_profile,
        }


LIBRARIES: tuple[SampleLibrary, ...] = (
    SampleLibrary(
        "Nk",
        "Nacka stadsbibliotek",
        "Nacka",
        "Forumvägen 12, 131 53 Nacka",
        "fjarrlan@bibliotek.nacka.example",
        59.3105,
        18.1637,
        r"^(?:\d{10}|\d{12})$",
        "https://bibliotek.nacka.example/",
        (
            ("NkFO", "Nacka Forum"),
            ("NkOR", "Orminge"),
            ("NkFI", "Fisksätra"),
            ("NkSB", "Saltsjöbaden"),
            ("NkDV", "Dieselverkstaden"),
        ),
        "xml",
        "952",
        "isbn13",
        "264",
        True,
        False,
        True,
        "NFC",
        "",
        1.6,
    ),
    SampleLibrary(
        "Tyr",
        "Tyresö bibliotek",
        "Tyresö",
        "Tyresö centrum, 135 40 Tyresö",
        "bibliotek@tyreso.example",
        59.2436,
        18.2290,
        r"^2\d{13}$",
        "https://bibliotek.tyreso.example/",
        (("TyrC", "Tyresö centrum"), ("TyrT", "Trollbäcken")),
        "mrc",
        "852",
        "hyphen13",
        "264",
        True,
        True,
        True,
        "NFC",
        "tyr",
        0.7,
    ),
    SampleLibrary(
        "Hdg",
        "Huddinge bibliotek",
        "Huddinge",
        "Sjödalstorget 1, 141 47 Huddinge",
        "fjarrlan@bibliotek.huddinge.example",
        59.2371,
        17.9822,
        r"^(?:\d{10}|\d{12}|H\d{8})$",
        "https://bibliotek.huddinge.example/",
        (
            ("HdgH", "Huddinge"),
            ("HdgF", "Flemingsberg"),
            ("HdgS", "Skogås"),
            ("HdgV", "Vårby gård"),
            ("HdgT", "Trångsund"),
        ),
        "mrc",
        "949",
        "isbn10",
        "260",
        True,
        False,
        False,
        "NFC",
        "",
        1.3,
    ),
    SampleLibrary(
        "Bo",
        "Botkyrka bibliotek",
        "Botkyrka",
        "Tumba torg 125, 147 30 Tumba",
        "bibliotek@botkyrka.example",
        59.1997,
        17.8337,
        r"^2\d{13}$",
        "https://bibliotek.botkyrka.example/",
        (("BoTU", "Tumba"), ("BoAL", "Alby"), ("BoFI", "Fittja"), ("BoHA", "Hallunda"), ("BoTL", "Tullinge")),
        "xml",
        "952",
        "mixed",
        "264",
        False,
        False,
        False,
        "NFD",
        "",
        1.1,
    ),
    SampleLibrary(
        "Sdtj",
        "Södertälje stadsbibliotek",
        "Södertälje",
        "Slussgatan 4, 151 89 Södertälje",
        "fjarrlan@stadsbiblioteket.sodertalje.example",
        59.1955,
        17.6253,
        r"^\d{10}$",
        "https://bibliotek.sodertalje.example/",
        (("SdtjS", "Stadsbiblioteket"), ("SdtjH", "Hovsjö"), ("SdtjJ", "Järna"), ("SdtjG", "Geneta")),
        "mrc",
        "852",
        "hyphen10",
        "260",
        True,
        True,
        True,
        "NFC",
        "sdtj",
        1.4,
    ),
    SampleLibrary(
        "Vmd",
        "Värmdö bibliotek",
        "Värmdö",
        "Skönviksvägen 5, 134 30 Gustavsberg",
        "bibliotek@varmdo.example",
        59.3260,
        18.3887,
        r"^(?:\d{10}|\d{12})$",
        "https://bibliotek.varmdo.example/",
        (("VmdG", "Gustavsberg"), ("VmdD", "Djurö"), ("VmdI", "Ingarö")),
        "xml",
        "949",
        "isbn13",
        "264",
        True,
        False,
        False,
        "NFC",
        "vmd-",
        0.6,
    ),
    SampleLibrary(
        "Hng",
        "Haninge bibliotek",
        "Haninge",
        "Poseidons torg 8, 136 46 Handen",
        "fjarrlan@bibliotek.haninge.example",
        59.1686,
        18.1447,
        r"^2\d{13}$",
        "https://bibliotek.haninge.example/",
        (("HngH", "Handen"), ("HngJ", "Jordbro"), ("HngB", "Brandbergen"), ("HngV", "Västerhaninge")),
        "mrc",
        "952",
        "hyphen13",
        "264",
        True,
        False,
        True,
        "NFC",
        "",
        1.2,
    ),
    SampleLibrary(
        "Lid",
        "Lidingö stadsbibliotek",
        "Lidingö",
        "Stockholmsvägen 50, 181 33 Lidingö",
        "bibliotek@lidingo.example",
        59.3667,
        18.1330,
        r"^(?:\d{10}|L\d{7})$",
        "https://bibliotek.lidingo.example/",
        (("LidC", "Lidingö centrum"), ("LidK", "Käppala")),
        "xml",
        "852",
        "isbn10",
        "260",
        False,
        True,
        False,
        "NFC",
        "lid",
        0.6,
    ),
    SampleLibrary(
        "Sltn",
        "Sollentuna bibliotek",
        "Sollentuna",
        "Sollentuna centrum, 191 47 Sollentuna",
        "fjarrlan@bibliotek.sollentuna.example",
        59.4280,
        17.9507,
        r"^\d{12}$",
        "https://bibliotek.sollentuna.example/",
        (("SltnC", "Sollentuna centrum"), ("SltnE", "Edsberg"), ("SltnT", "Tureberg")),
        "mrc",
        "949",
        "mixed",
        "264",
        True,
        False,
        True,
        "NFC",
        "",
        0.9,
    ),
    SampleLibrary(
        "Jf",
        "Järfälla bibliotek",
        "Järfälla",
        "Riddarplatsen 5, 177 30 Järfälla",
        "bibliotek@jarfalla.example",
        59.4239,
        17.8350,
        r"^2\d{13}$",
        "https://bibliotek.jarfalla.example/",
        (("JfJB", "Jakobsberg"), ("JfBK", "Barkarby"), ("JfKH", "Kallhäll"), ("JfVI", "Viksjö")),
        "xml",
        "952",
        "isbn13",
        "264",
        True,
        True,
        False,
        "NFC",
        "",
        1.0,
    ),
)


def by_code() -> dict[str, SampleLibrary]:
    return {library.code: library for library in LIBRARIES}
