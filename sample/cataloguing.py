"""One library's record of one manifestation: the same book, catalogued the way this library does it.

Every copy of a manifestation carries the same facts (title, author, year, publisher, ISBN);
what differs is how they are written — ISBN-10 or -13, hyphens and qualifiers, a missing ISBN,
ISBD punctuation or none, 260 or 264, dates in the author's name, a dropped subtitle, odd casing,
subjects and summary present or not. Never so much that a cataloguer would call them different.
"""

import unicodedata
from datetime import date, timedelta
from random import Random

from sample import carriers, identifiers
from sample.holdings import HoldingsWriter
from sample.libraries import SampleLibrary
from sample.people import Person
from sample.works import Manifestation, Work

DataField = tuple[str, str, str, list[tuple[str, str]]]
Field = tuple[str, str] | DataField
ISBN_STYLES = ("isbn13", "isbn10", "hyphen13", "hyphen10")
MISSING_ISBN = 0.06  # copies catalogued without the ISBN the book has
MISSING_008 = 0.03  # copies without 008, and as many again with a partial one (no dates)
SUBTITLE_IN_A = 0.2  # copies typing the other title information into 245 $a ("Titel : roman")
GENERIC_SUBTITLE = 0.1  # fiction copies adding "roman"/"novell" as other title information


def first_local_id(index: int) -> int:
    """Running numbers of the index-th library's record ids start here (prefix + number)."""
    return 100_000 + 37_000 * index


class Cataloguer:
    """Writes one library's records; holds the library's running local id and item numbers.

    Each library has its own random stream, so its file depends only on the seed and the
    manifestations it holds: files can be written by parallel workers, byte-identically.
    """

    def __init__(self, library: SampleLibrary, rng: Random, as_of: date, index: int) -> None:
        self.library = library
        self.rng = rng
        self.as_of = as_of
        self.next_id = first_local_id(index)
        self.rda = library.publication_field == "264"
        self.holdings = HoldingsWriter(library, rng, as_of, index)
        # Dates are drawn as an index into these, which is much cheaper than date arithmetic.
        self.entered_dates = [f"{as_of - timedelta(days=d):%y%m%d}" for d in range(3650)]
        self.changed_dates = [f"{as_of - timedelta(days=d):%Y%m%d}" for d in range(400)]

    def record(self, m: Manifestation) -> tuple[str, str, list[Field]]:
        """(local id, leader, fields) of this library's copy of the manifestation."""
        local_id = f"{self.library.id_prefix}{self.next_id}"
        self.next_id += 1
        lib, rng = self.library, self.rng
        entered = self.entered_dates[int(3650 * rng.random())]
        changed = self.changed_dates[int(400 * rng.random())]
        fields: list[Field] = [
            ("001", local_id),
            ("003", f"SE-{lib.code}"),
            ("005", f"{changed}120{int(10 * rng.random())}00.0"),
        ]
        fields += [("007", value) for value in carriers.fields_007(m)]
        fixed = carriers.field_008(m, entered, not lib.libris_035)
        # Games are told by 008/26 alone when no genre term says so: their 008 is always there.
        draw = rng.random() if m.format not in ("game", "serial") else 1.0
        if draw >= MISSING_008 * 2:
            fields.append(("008", fixed))
        elif draw >= MISSING_008:
            fields.append(("008", fixed[:6] + "|" * 12))  # partial: no dates, country or language
        fields += self._identifiers(m)
        fields.append(
            (
                "040",
                " ",
                " ",
                [
                    ("a", "S" if lib.libris_035 else lib.code),
                    ("b", "swe"),
                    ("e", "rda" if self.rda else "aacr"),
                ],
            )
        )
        fields += self._languages(m.work, m)
        fields += self._classification(m.work)
        fields += self._main_entry(m.work)
        if m.work.original_title and not m.original and rng.random() < 0.7:
            fields.append(("240", "1", "0", [("a", m.work.original_title), ("l", "Svenska")]))
        fields += self._title(m)
        if m.edition:
            fields.append(("250", " ", " ", [("a", self._end(m.edition, "."))]))
        fields.append(self._publication(m))
        if self.rda and rng.random() < 0.3 and m.format in ("book", "ebook"):
            fields.append(("264", " ", "4", [("c", f"©{m.year}")]))
        fields.append(
            ("300", " ", " ", self._punctuate_300(carriers.extent(m, self.rda, 20 + rng.randrange(5))))
        )
        if self.rda:
            fields += carriers.rda_fields(m)
            if m.format == "talking_book":  # digital file characteristics: the DAISY encoding
                fields.append(("347", " ", " ", [("a", "ljudfil"), ("b", "DAISY"), ("2", "rdaft")]))
        if m.work.part:
            fields.append(("490", "0", " ", [("a", m.work.title.text), ("v", m.work.part[0])]))
        fields += self._notes(m)
        fields += self._subjects(m)
        fields += self._added_entries(m)
        fields += self._links(m)
        fields += self.holdings.fields(m)
        status = "c" if rng.random() < 0.3 else "n"
        if lib.unicode_form != "NFC":
            fields = [_normalized(f, lib.unicode_form) for f in fields]
        return local_id, carriers.leader(m, lib.isbd, status), fields

    # --- identifiers ---------------------------------------------------------------------
    def _isbn_text(self, body9: str, qualifier: str) -> str:
        style = self.library.isbn_style
        if style == "mixed":
            style = ISBN_STYLES[int(4 * self.rng.random())]
        text = identifiers.isbn_forms(body9)[style]
        return f"{text} {qualifier}" if qualifier else text

    def _identifiers(self, m: Manifestation) -> list[Field]:
        rng, found = self.rng, list[Field]()
        if m.isbn and rng.random() >= MISSING_ISBN:
            found += self._isbn_fields(m)
        if m.work.set_isbn and rng.random() < 0.4:
            # The whole series' ISBN, which each volume's record lists too.
            if self.rda:
                found.append(
                    ("020", " ", " ", [("a", self._isbn_text(m.work.set_isbn, "")), ("q", "hela verket")])
                )
            else:
                found.append(("020", " ", " ", [("a", self._isbn_text(m.work.set_isbn, "(hela verket)"))]))
        if m.issn:
            found.append(("022", " ", " ", [("a", m.issn)]))
        if m.ean and rng.random() >= MISSING_ISBN:
            found.append(("024", "3", " ", [("a", m.ean)]))
        if m.format == "music":
            found.append(("028", "0", "1", [("a", f"{m.ean[-6:]}-2"), ("b", m.publisher)]))
        if self.library.libris_035 and m.libris and rng.random() < 0.9:
            found.append(("035", " ", " ", [("a", f"(LIBRIS){m.libris}")]))
        if m.format == "talking_book":
            found.append(("035", " ", " ", [("a", f"(MTM){m.id[1:]}")]))
        return found

    def _isbn_fields(self, m: Manifestation) -> list[Field]:
        """020 $a: the ISBN with an optional binding; both bindings, or one, when there are two;
        now and then a mistyped ISBN in $z."""
        rng = self.rng
        if not m.isbn2:
            qualifier = ""
            if m.format in ("book", "large_print") and rng.random() < 0.2:
                qualifier = "(inb.)" if rng.random() < 0.6 else "(hft.)"
            found: list[Field] = [("020", " ", " ", [("a", self._isbn_text(m.isbn, qualifier))])]
        else:
            draw = rng.random()
            bindings = [(m.isbn, "(inb.)")] if draw < 0.25 else [(m.isbn2, "(hft.)")] if draw < 0.3 else []
            bindings = bindings or [(m.isbn, "(inb.)"), (m.isbn2, "(hft.)")]
            found = [("020", " ", " ", [("a", self._isbn_text(body, mark))]) for body, mark in bindings]
        if rng.random() < 0.03:
            wrong = m.isbn[:-1] + str((int(m.isbn[-1]) + 1) % 10) if m.isbn[-1].isdigit() else m.isbn
            found.append(("020", " ", " ", [("z", identifiers.isbn_forms(wrong)["isbn13"])]))
        return found

    def _languages(self, work: Work, m: Manifestation | None = None) -> list[Field]:
        if m is not None and m.original:
            return [("041", " ", " ", [("a", work.original_language)])]
        if work.original_language:
            return [("041", "1", " ", [("a", work.language), ("h", work.original_language)])]
        if work.kind == "film":
            return [("041", " ", " ", [("a", "swe"), ("j", "swe"), ("j", "eng")])]
        if work.kind == "sign":  # signed, with Swedish subtitles
            return [("041", " ", " ", [("a", "sgn"), ("j", "swe")])]
        return [("041", " ", " ", [("a", work.language)])] if self.rng.random() < 0.6 else []

    def _classification(self, work: Work) -> list[Field]:
        found: list[Field] = []
        if work.dewey and self.rda and self.rng.random() < 0.5:
            found.append(("082", "0", "4", [("a", work.dewey), ("2", "23/swe")]))
        if work.sab:
            found.append(("084", " ", " ", [("a", work.sab), ("2", "kssb/8")]))
        return found

    # --- names and titles ----------------------------------------------------------------
    def _name(self, person: Person, relator: tuple[str, str] | None) -> list[tuple[str, str]]:
        rng, isbd = self.rng, self.library.isbd
        with_dates = bool(person.dates) and (self.library.name_dates != (rng.random() < 0.1))
        # Direct order in 100 $a, or forenames as initials, are slips a union catalogue still meets.
        draw = rng.random()
        name = person.direct if draw < 0.04 else person.inverted
        if 0.04 <= draw < 0.08 and person.forename:
            name = f"{person.surname}, {person.forename[0]}."
        subfields = [("a", name)]
        if with_dates:
            subfields.append(("d", person.dates))
        if relator:
            if self.rda:
                subfields.append(("e", relator[0]))
            elif rng.random() < 0.5:
                subfields.append(("4", relator[1]))
        if isbd:
            subfields = [
                (code, value + ",") if i < len(subfields) - 1 else (code, value)
                for i, (code, value) in enumerate(subfields)
            ]
        return subfields

    def _main_entry(self, work: Work) -> list[Field]:
        if work.author is not None:
            relator = ("artist", "prf") if work.kind == "music" else ("författare", "aut")
            return [("100", "1", " ", self._name(work.author, relator))]
        if work.corporate and work.kind in ("music", "map"):
            return [("110", "2", " ", [("a", work.corporate)])]
        return []

    def _title(self, m: Manifestation) -> list[Field]:
        work, rng, isbd = m.work, self.rng, self.library.isbd
        text, subtitle = work.title.text, work.subtitle
        if m.original:
            text, subtitle = work.original_title, ""
        if not subtitle and work.kind == "fiction" and rng.random() < GENERIC_SUBTITLE:
            subtitle = "roman" if rng.random() < 0.8 else "novell"
        if work.kind == "kit":
            text = f"Språkpåse: {text}"
        if rng.random() < 0.03 and not work.title.script:
            text = " ".join(word[:1].upper() + word[1:] for word in text.split(" "))
        if subtitle and rng.random() < 0.15:
            subtitle = ""
        if subtitle and rng.random() < SUBTITLE_IN_A:
            text, subtitle = f"{text} : {subtitle}", ""
        gmd = GMD.get(m.format, "") if not self.rda else ""
        if gmd and rng.random() < 0.15:
            text, gmd = f"{text} {gmd}", ""  # the GMD typed into $a
        parts: list[tuple[str, str]] = [("a", text)]
        if work.part:
            number = work.part[0]
            draw = rng.random()
            number = f"Del {number}" if draw < 0.3 else _ROMAN.get(number, number) if draw < 0.4 else number
            parts += [("n", number)] + ([("p", work.part[1])] if work.part[1] else [])
        if gmd:
            parts.append(("h", gmd))
        if subtitle:
            parts.append(("b", subtitle))
        statement = self._responsibility(m)
        if statement and rng.random() < 0.85:
            parts.append(("c", statement))
        script = SCRIPTS.get(work.language, "") if work.title.script else ""
        if script:
            parts.insert(0, ("6", "880-01"))
        ind1 = "1" if (work.author or (work.corporate and work.kind in ("music", "map"))) else "0"
        found: list[Field] = [("245", ind1, str(work.title.nonfiling), _isbd_245(parts) if isbd else parts)]
        if script:
            # $6 links the fields and names the script: (3 Arabic, (N Cyrillic; /r right to left.
            found.append(("880", ind1, "0", [("6", f"245-01/{script}"), ("a", work.title.script)]))
        return found

    def _responsibility(self, m: Manifestation) -> str:
        work = m.work
        names = []
        if work.author is not None:
            names.append(work.author.direct)
        elif work.corporate and work.kind == "music":
            names.append(work.corporate)
        if work.translator is not None and not m.original:
            names.append(f"översättning: {work.translator.direct}")
        if m.reader is not None:
            names.append(f"uppläsare: {m.reader.direct}")
        for person, role, _ in work.credits[:1]:
            names.append(f"{role}: {person.direct}")
        return " ; ".join(names)

    # --- publication, notes, subjects, added entries -----------------------------------------
    def _publication(self, m: Manifestation) -> DataField:
        rng, isbd = self.rng, self.library.isbd
        place = m.place or ("[Ort okänd]" if self.rda else "[S.l.]")
        if m.place and rng.random() < 0.05:
            place = f"[{m.place}]"
        year = str(m.year)
        draw = rng.random()
        if m.format == "serial":
            year = f"{m.year}-"
        elif draw < 0.15:
            year = f"[{m.year}]"
        elif draw < 0.25 and not self.rda:
            year = f"cop. {m.year}"
        publisher = m.publisher or "[utgivare okänd]"
        subfields = [("a", place), ("b", publisher), ("c", year)]
        if isbd:
            subfields = [("a", place + " :"), ("b", publisher + ","), ("c", year)]
        if self.rda:
            return ("264", " ", "1", subfields)
        return ("260", " ", " ", subfields)

    def _punctuate_300(self, subfields: list[tuple[str, str]]) -> list[tuple[str, str]]:
        if not self.library.isbd:
            return subfields
        following = {"b": " :", "c": " ;"}
        return [
            (code, value + following.get(subfields[i + 1][0], "") if i + 1 < len(subfields) else value)
            for i, (code, value) in enumerate(subfields)
        ]

    def _notes(self, m: Manifestation) -> list[Field]:
        work, rng, found = m.work, self.rng, list[Field]()
        if m.format == "serial":
            found += [("310", " ", " ", [("a", "12 nr per år")]), ("362", "0", " ", [("a", f"{m.year}-")])]
        if m.format == "talking_book":
            found.append(("500", " ", " ", [("a", "Talbok för personer med läsnedsättning")]))
        if m.version == "easy_read":
            found.append(("500", " ", " ", [("a", "Lättläst version av romanen med samma titel")]))
        if m.version == "braille":
            found.append(("500", " ", " ", [("a", "Punktskrift")]))
        if work.kind == "sign":
            found.append(("546", " ", " ", [("a", "Svenskt teckenspråk. Svensk text")]))
        if m.format == "film" and work.kind == "film":
            found.append(
                (
                    "511",
                    "1",
                    " ",
                    [("a", ", ".join(p.direct for p, role, _ in work.credits if role == "skådespelare"))],
                )
            )
        if work.summary and rng.random() < 0.55:
            found.append(("520", " ", " ", [("a", work.summary)]))
        if m.format in ("film", "game"):
            found.append(("521", " ", " ", [("a", "Från 7 år" if work.audience == "j" else "Från 15 år")]))
        return found

    def _subjects(self, m: Manifestation) -> list[Field]:
        rng, found = self.rng, list[Field]()
        for term, thesaurus in m.work.subjects:
            if rng.random() < 0.85:
                found.append(("650", " ", "7", [("a", term), ("2", thesaurus)]))
        genres = [m.work.genre] if m.work.genre and rng.random() < 0.8 else []
        genres += FORM_GENRES.get(m.version or m.format, [])
        found += [("655", " ", "7", [("a", genre), ("2", "saogf")]) for genre in genres]
        return found

    def _added_entries(self, m: Manifestation) -> list[Field]:
        work, found = m.work, list[Field]()
        if work.translator is not None and not m.original:
            found.append(("700", "1", " ", self._name(work.translator, ("översättare", "trl"))))
        if m.reader is not None:
            found.append(("700", "1", " ", self._name(m.reader, ("uppläsare", "nrt"))))
        for person, role, code in work.credits:
            found.append(("700", "1", " ", self._name(person, (role, code))))
        if work.corporate and work.kind in ("game", "serial"):
            found.append(("710", "2", " ", [("a", work.corporate)]))
        return found

    def _links(self, m: Manifestation) -> list[Field]:
        if m.format == "ebook":
            found: list[Field] = [
                ("856", "4", "0", [("u", f"{self.library.homepage}e-bok/{m.id}"), ("z", "Låna e-boken")])
            ]
            return found
        if m.format == "audiobook" and m.carrier == "online":
            return [("856", "4", "0", [("u", f"{self.library.homepage}ljudbok/{m.id}"), ("z", "Lyssna")])]
        return []

    def _end(self, text: str, mark: str) -> str:
        return text if not self.library.isbd or text.endswith(mark) else text + mark


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}
GMD = {
    "ebook": "[Elektronisk resurs]",
    "audiobook": "[Ljudupptagning]",
    "talking_book": "[Talbok]",
    "film": "[Videoupptagning]",
    "music": "[Ljudupptagning]",
    "game": "[Elektronisk resurs]",
    "map": "[Kartografiskt material]",
}
FORM_GENRES = {
    "audiobook": ["Ljudböcker"],
    "talking_book": ["Talböcker"],
    "ebook": ["E-böcker"],
    "large_print": ["Storstil"],
    "easy_read": ["Lättläst"],
    "braille": ["Punktskriftsböcker"],
}
# MARC script identification codes for 880 $6 (with "/r" for right-to-left scripts).
SCRIPTS = {"ara": "(3/r", "per": "(3/r", "ukr": "(N"}


def _isbd_245(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """ISBD punctuation before each next element: "Titel : undertitel / Förnamn Efternamn"."""
    before = {"b": " :", "c": " /", "n": ".", "p": ",", "h": ""}
    out = []
    for i, (code, value) in enumerate(parts):
        following = parts[i + 1][0] if i + 1 < len(parts) else ""
        out.append((code, value + before.get(following, "") if following else value))
    return out


def _normalized(field: Field, form: str) -> Field:
    if len(field) == 2:
        return field
    tag, ind1, ind2, subfields = field  # type: ignore[misc]
    return (tag, ind1, ind2, [(code, unicodedata.normalize(form, value)) for code, value in subfields])  # type: ignore[arg-type]
