"""Works and their manifestations: what the county's libraries hold, before anyone catalogues it.

A *work* is a title by an author (a novel, an album, a film); a *manifestation* is one published
form of it (the first edition, the pocket, the e-book, the audiobook, the DAISY talking book).
The ground truth says two records are "the same" when they describe the same manifestation.
Other formats and editions of one work are the traps a merger must not fall into.

Works are drawn one at a time from one seeded ``random.Random``; nothing about earlier works is
kept except per-author title counters, so memory does not grow with the number of records.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from random import Random

from sample import identifiers
from sample import vocabulary as v
from sample.editions import editions_of
from sample.people import Person, PersonPools
from sample.popularity import Popularity
from sample.titles import Title, TitleAllocator

# Kinds of work with their share of the catalogue (cumulative thresholds are built below).
KIND_SHARES = (
    ("fiction", 0.50),
    ("children", 0.17),
    ("nonfiction", 0.18),
    ("music", 0.05),
    ("film", 0.045),
    ("game", 0.012),
    ("map", 0.008),
    ("serial", 0.008),
    ("kit", 0.007),
    ("sign", 0.003),  # films in Swedish Sign Language
)
# A few per cent of a Swedish county's books are in the largest immigrant languages, fewer in the
# national minority languages (Finnish most, then Sami and Meänkieli).
TEXT_LANGUAGES = (
    *(("swe", 0.727), ("eng", 0.13), ("ara", 0.05), ("per", 0.025), ("som", 0.02), ("fin", 0.02)),
    *(("ukr", 0.015), ("sme", 0.0085), ("fit", 0.0045)),
)
# The first works of every county, so that even a small demo shows each case once: a book in
# each minority language and in Ukrainian, a popular Swedish novel in every accessible edition,
# and a film in Swedish Sign Language.
SHOWCASE = (
    ("fiction", "fin"),
    ("fiction", "sme"),
    ("fiction", "fit"),
    ("fiction", "ukr"),
    ("fiction", "swe"),
)
PLACES = (
    "i Stockholm",
    "i Norrland",
    "i Skåne",
    "i Göteborg",
    "i skärgården",
    "i en småstad",
    "på Gotland",
    "i Malmö",
)


@dataclass(slots=True)
class Work:
    id: str
    kind: str  # fiction, children, nonfiction, music, film, game, map, serial, kit
    language: str  # MARC code of the text (or sung/spoken language)
    title: Title
    subtitle: str
    part: tuple[str, str] | None  # 245 $n, $p of a series volume
    author: Person | None  # 100
    corporate: str  # 110 (band, mapping agency, publisher of a serial)
    translator: Person | None
    original_language: str
    original_title: str
    sab: str
    dewey: str
    subjects: tuple[tuple[str, str], ...]  # (term, thesaurus: sao/barn)
    genre: str
    audience: str  # 008/22: "j" juvenile, "d" young adult, " " general
    summary: str
    year: int
    popular: bool
    credits: tuple[tuple[Person, str, str], ...]  # (person, relator term, relator code)
    set_isbn: str = ""  # nine-digit body of the whole series' ISBN, which volumes' records list too
    showcase: bool = False  # one of the county's first works: gets every edition it can have


@dataclass(slots=True)
class Manifestation:
    id: str
    work: Work
    format: str  # the fixed format vocabulary (catalog.mapping.formats)
    carrier: str  # "print", "online", "cd", "daisy", "dvd", "disc", "sheet", "kit"
    year: int
    publisher: str
    place: str
    edition: str
    isbn: str  # nine-digit ISBN body, "" when the manifestation has none
    ean: str
    issn: str
    libris: str
    pages: int
    minutes: int
    reader: Person | None
    holders: tuple[str, ...]  # library codes, in the order their records are written
    isbn2: str = ""  # a second binding's ISBN of the same manifestation (inb. + hft.)
    original: bool = False  # the original-language edition of a translated work
    version: str = ""  # "easy_read" (lättläst adaptation) or "braille" (punktskrift) of a book


def _cumulative(shares: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    total, running, out = sum(s for _, s in shares), 0.0, []
    for name, share in shares:
        running += share / total
        out.append((name, running))
    return tuple(out)


class WorkGenerator:
    """Yields manifestations (with their holding libraries) for as long as it is asked."""

    def __init__(self, rng: Random, as_of_year: int, popularity: Popularity) -> None:
        self.rng = rng
        self.year_now = as_of_year
        self.popularity = popularity
        self.people = PersonPools()
        self.titles = TitleAllocator()
        self.kinds = _cumulative(KIND_SHARES)
        self.languages = _cumulative(TEXT_LANGUAGES)
        self.counters = {"work": 0, "manifestation": 0, "ean": 0, "issn": 0, "libris": 0}
        self.isbn_counters: dict[str, int] = {}
        self.pending: list[Work] = []
        self.showcased = False

    # --- counters and small draws -------------------------------------------------------
    def _next(self, name: str) -> int:
        value = self.counters[name]
        self.counters[name] = value + 1
        return value

    def _isbn(self, language: str) -> str:
        language = identifiers.ISBN_GROUP_LANGUAGE.get(language, language)
        count = self.isbn_counters.get(language, 0)
        self.isbn_counters[language] = count + 1
        return identifiers.isbn_body(language, count)

    def _pick(self, cumulative: tuple[tuple[str, float], ...]) -> str:
        draw = self.rng.random()
        return next((name for name, limit in cumulative if draw < limit), cumulative[-1][0])

    def _year(self, span: int = 45) -> int:
        return self.year_now - int(span * self.rng.random() ** 2.2)

    def _year_for(self, author: Person) -> int:
        """A publication year when the author was at least twenty."""
        year = self._year()
        born = int(author.dates[:4]) if author.dates[:4].isdigit() else 0
        return max(year, min(self.year_now, born + 20 + int(10 * self.rng.random())))

    # --- works ----------------------------------------------------------------------------
    def works(self) -> Iterator[Work]:
        while True:
            if not self.showcased:
                self.showcased = True
                self.pending += self._showcase()
            if self.pending:
                yield self.pending.pop(0)
                continue
            kind = self._pick(self.kinds)
            work = self._work(kind) or self._work("fiction")
            if work is not None:
                yield work

    def _showcase(self) -> list[Work]:
        found = [self._text_work(kind, language, showcase=True) for kind, language in SHOWCASE]
        found.append(self._sign_work())
        return [work for work in found if work is not None]

    def _work(self, kind: str) -> Work | None:
        if kind in ("fiction", "children", "nonfiction"):
            return self._text_work(kind)
        return getattr(self, f"_{kind}_work")()

    def _new_work(self, kind: str, language: str, title: Title, **values: object) -> Work:
        base: dict[str, object] = {
            "subtitle": "",
            "part": None,
            "author": None,
            "corporate": "",
            "translator": None,
            "original_language": "",
            "original_title": "",
            "sab": "",
            "dewey": "",
            "subjects": (),
            "genre": "",
            "audience": " ",
            "summary": "",
            "year": self._year(),
            "popular": self.popularity.popular_work(),
            "credits": (),
            "set_isbn": "",
        }
        base.update(values)
        work_id = f"w{self._next('work'):07d}"
        return Work(id=work_id, kind=kind, language=language, title=title, **base)  # type: ignore[arg-type]

    def _authored_title(self, pool: str, space: str) -> tuple[Person, Title] | None:
        for _ in range(8):
            person, key = self.people.draw(pool, self.rng)
            title = self.titles.allocate(space, key)
            if title is not None:
                return person, title
        return None

    def _text_work(self, kind: str, language: str = "", showcase: bool = False) -> Work | None:
        if not language:
            language = "swe" if kind == "children" and self.rng.random() < 0.9 else self._pick(self.languages)
        if kind == "nonfiction" and language != "eng":
            language = "swe"
        translated = language == "swe" and kind == "fiction" and not showcase and self.rng.random() < 0.3
        pool = "eng" if translated else language
        space = "swe-nonfiction" if kind == "nonfiction" and language == "swe" else language
        found = self._authored_title(pool, space)
        if found is None:
            return None
        author, title = found
        rng = self.rng
        subjects: tuple[tuple[str, str], ...]
        if kind == "nonfiction":
            topic = v.NONFICTION_TOPICS[rng.randrange(len(v.NONFICTION_TOPICS))]
            if space == "swe-nonfiction":
                topic = next(t for t in v.NONFICTION_TOPICS if title.text.startswith(t[0]))
            sab, dewey, subjects = topic[1], topic[2], (((topic[3], "sao"),))
            genre, subtitle = "Faktaböcker", ""
            summary = f"En lättillgänglig bok om {topic[3].lower()} med råd, bakgrund och exempel."
        else:
            children = kind == "children"
            vocabulary = v.BARN if children else v.SAO_FICTION
            picked = rng.sample(vocabulary, 2)
            subjects = tuple((term, "barn" if children else "sao") for term in picked)
            genre = rng.choice(v.CHILDREN_GENRES if children else v.FICTION_GENRES)
            subtitles = v.SWEDISH_SUBTITLES_CHILDREN if children else v.SWEDISH_SUBTITLES_FICTION
            subtitle = rng.choice(subtitles) if language == "swe" and rng.random() < 0.45 else ""
            sab = _fiction_class(language if not translated else "eng", children)
            dewey = _fiction_dewey(language if not translated else "eng")
            summary = f"En berättelse om {picked[0].lower()} och {picked[1].lower()} {rng.choice(PLACES)}."
        values: dict[str, object] = {
            "author": author,
            "subtitle": subtitle,
            "sab": sab,
            "dewey": dewey,
            "subjects": subjects,
            "genre": genre,
            "audience": "j" if kind == "children" else " ",
            "summary": summary,
            "year": self._year_for(author),
        }
        if translated:
            original = self.titles.allocate("eng", f"original:{author.key}")
            values |= {
                "translator": self.people.draw("swe", rng)[0],
                "original_language": "eng",
                "original_title": original.text if original else "",
            }
        if showcase:  # popular, and old enough for its later editions
            values |= {
                "showcase": True,
                "popular": True,
                "year": min(self.year_now - 4, self._year_for(author)),
            }
        work = self._new_work(kind, language, title, **values)
        if kind == "fiction" and language == "swe" and not showcase and rng.random() < 0.03:
            self._queue_series(work)
        return work

    def _queue_series(self, first: Work) -> None:
        """A series: volumes share 245 $a and the author, and differ in $n/$p — different works."""
        volumes = self.rng.randint(2, 4)
        author_key = first.author.key if first.author else "series"
        parts = [self.titles.allocate("swe", f"parts:{author_key}") for _ in range(volumes)]
        first.part = ("1", parts[0].text if parts[0] else "")
        first.set_isbn = self._isbn("swe") if self.rng.random() < 0.5 else ""
        for number in range(2, volumes + 1):
            title = parts[number - 1]
            work = self._new_work(
                first.kind,
                first.language,
                first.title,
                **{
                    "author": first.author,
                    "part": (str(number), title.text if title else ""),
                    "sab": first.sab,
                    "dewey": first.dewey,
                    "subjects": first.subjects,
                    "genre": first.genre,
                    "summary": first.summary,
                    "year": min(self.year_now, first.year + number - 1),
                    "popular": first.popular,
                    "set_isbn": first.set_isbn,
                },
            )
            self.pending.append(work)

    def _music_work(self) -> Work | None:
        """An album; titles are unique per artist *name* (two bands may share a surname)."""
        rng = self.rng
        artist = self.people.draw("swe", rng)[0]
        band = f"{artist.surname}s {rng.choice(v.MUSIC_ARTIST_WORDS).lower()}" if rng.random() < 0.4 else ""
        title = self.titles.allocate("music", band or artist.key)
        if title is None:
            return None
        genre, sab = rng.choice(v.MUSIC_GENRES)
        return self._new_work(
            "music",
            "swe" if rng.random() < 0.7 else "eng",
            title,
            author=None if band else artist,
            corporate=band,
            sab=sab,
            dewey="781.64",
            subjects=(),
            genre=genre,
            summary="",
        )

    def _film_work(self) -> Work | None:
        """A film; the main entry is the title, so film titles are unique across the county."""
        title = self.titles.allocate("swe", "films")
        if title is None:
            return None
        director = self.people.draw("swe", self.rng)[0]
        actors = tuple((self.people.draw("swe", self.rng)[0], "skådespelare", "act") for _ in range(2))
        return self._new_work(
            "film",
            "swe",
            title,
            credits=((director, "regissör", "drt"), *actors),
            sab="Im",
            dewey="791.4372",
            genre=self.rng.choice(v.FILM_GENRES),
            audience=" " if self.rng.random() < 0.8 else "j",
            summary=f"Svensk film om {self.rng.choice(v.SAO_FICTION).lower()}.",
        )

    def _sign_work(self) -> Work | None:
        """A film told in Swedish Sign Language (a saga, a story for children or adults)."""
        title = self.titles.allocate("swe", "sign-language films")
        if title is None:
            return None
        signer = self.people.draw("swe", self.rng)[0]
        children = self.rng.random() < 0.6
        return self._new_work(
            "sign",
            "sgn",
            title,
            credits=((signer, "berättare", "nrt"),),
            sab="uIm" if children else "Im",
            dewey="791.4372",
            genre="Sagor" if children else self.rng.choice(v.FILM_GENRES),
            audience="j" if children else " ",
            summary=f"Berättelse på svenskt teckenspråk om {self.rng.choice(v.SAO_FICTION).lower()}.",
        )

    def _owned_work(self, kind: str, space: str, owner: str, **values: object) -> Work | None:
        title = self.titles.allocate(space, owner)
        return None if title is None else self._new_work(kind, values.pop("language", "swe"), title, **values)  # type: ignore[arg-type]

    def _game_work(self) -> Work | None:
        publisher = self.rng.choice(v.GAME_PUBLISHERS)
        return self._owned_work(
            "game", "game", "games", language="eng", corporate=publisher, sab="Rkaa", genre="Datorspel"
        )

    def _map_work(self) -> Work | None:
        publisher = self.rng.choice(v.MAP_PUBLISHERS)
        return self._owned_work(
            "map", "map", "maps", corporate=publisher[0], sab="Nc", dewey="912.487", genre="Kartor"
        )

    def _serial_work(self) -> Work | None:
        publisher = self.rng.choice(v.SERIAL_PUBLISHERS)
        return self._owned_work(
            "serial", "serial", "serials", corporate=publisher[0], sab="Ä", genre="Tidskrifter"
        )

    def _kit_work(self) -> Work | None:
        return self._owned_work("kit", "swe", "kits", sab="uHc", genre="Språkpåsar", audience="j")

    # --- manifestations ---------------------------------------------------------------------
    def manifestations(self) -> Iterator[Manifestation]:
        """Every manifestation of every work, in order, with the libraries holding it."""
        for work in self.works():
            yield from self._manifestations_of(work)

    def _manifestations_of(self, work: Work) -> list[Manifestation]:
        return editions_of(self, work)

    def new_manifestation(
        self, work: Work, fmt: str, carrier: str, year: int, **values: object
    ) -> Manifestation:
        base: dict[str, object] = {
            "publisher": "",
            "place": "",
            "edition": "",
            "isbn": "",
            "ean": "",
            "issn": "",
            "libris": identifiers.libris_id(self._next("libris")),
            "pages": 0,
            "minutes": 0,
            "reader": None,
            "popular": work.popular,
            "isbn2": "",
            "original": False,
        }
        base.update(values)
        popular = bool(base.pop("popular"))
        holders = self.popularity.holders(popular, fmt)
        manifestation_id = f"m{self._next('manifestation'):07d}"
        return Manifestation(manifestation_id, work, fmt, carrier, year, holders=holders, **base)  # type: ignore[arg-type]


def _fiction_class(language: str, children: bool) -> str:
    base = {"swe": "Hc", "eng": "He", "ara": "Hor", "per": "Hoi", "som": "Hqbs", "fin": "Hcb"}.get(
        language, "H"
    )
    return ("u" + base) if children else base


def _fiction_dewey(language: str) -> str:
    return {
        **{"swe": "839.738", "eng": "823.92", "ara": "892.737", "per": "891.553", "fin": "894.54133"},
        **{"ukr": "891.7934", "sme": "894.57", "fit": "894.54"},
    }.get(language, "808.83")
