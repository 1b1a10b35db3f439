"""The manifestations of one work: first edition, pocket, new edition, e-book, audiobook, DAISY,
storstil, an easy-to-read (lättläst) adaptation and a braille edition.

Rule that keeps the ground truth honest: within one work no two manifestations share format and
year. So a record without ISBN can always be told apart by title + author + year + format — and
a merger that joins the e-book to the book, or the 2019 edition to the 2023 one, is wrong.
"""

from typing import TYPE_CHECKING

from sample import identifiers
from sample import vocabulary as v

if TYPE_CHECKING:
    from sample.works import Manifestation, Work, WorkGenerator

LARGE_PRINT_PUBLISHER = ("Storstilsförlaget", "Stockholm")
KIT_PUBLISHER = ("BTJ förlag", "Lund")


def editions_of(gen: "WorkGenerator", work: "Work") -> list["Manifestation"]:
    if work.kind in ("fiction", "children", "nonfiction"):
        return _text_editions(gen, work)
    return [_OTHER[work.kind](gen, work)]


def _publisher(gen: "WorkGenerator", language: str) -> tuple[str, str]:
    choices = v.FOREIGN_PUBLISHERS.get(language, v.SWEDISH_PUBLISHERS)
    return choices[int(len(choices) * gen.rng.random() ** 1.6)]


def _text_editions(gen: "WorkGenerator", work: "Work") -> list["Manifestation"]:
    rng, popular, now = gen.rng, work.popular, gen.year_now
    publisher, place = _publisher(gen, work.language)
    pages = rng.randint(24, 48) if work.genre == "Bilderböcker" else rng.randint(120, 620)
    # Older stock and local publications have no ISBN; some books came in two bindings at once.
    isbn = gen._isbn(work.language) if work.year >= 1970 and rng.random() >= 0.05 else ""
    isbn2 = gen._isbn(work.language) if isbn and rng.random() < 0.08 else ""
    found = [
        gen.new_manifestation(
            work,
            "book",
            "print",
            work.year,
            publisher=publisher,
            place=place,
            isbn=isbn,
            isbn2=isbn2,
            pages=pages,
        )
    ]
    if work.kind != "nonfiction" and rng.random() < 0.05 and work.year + 2 <= now:
        # A reprint with a new year: same publisher, text and pages; an ISBN of its own or none.
        found.append(
            gen.new_manifestation(
                work,
                "book",
                "print",
                min(now, work.year + rng.randint(2, 8)),
                publisher=publisher,
                place=place,
                isbn=gen._isbn(work.language) if rng.random() < 0.5 else "",
                pages=pages,
            )
        )
    if work.original_title and rng.random() < 0.15:
        # The original the translation was made from: same work and author, another title.
        english, english_place = v.FOREIGN_PUBLISHERS["eng"][0]
        found.append(
            gen.new_manifestation(
                work,
                "book",
                "print",
                work.year - rng.randint(1, 3),
                publisher=english,
                place=english_place,
                isbn=gen._isbn("eng"),
                pages=pages - 20,
                original=True,
            )
        )
    swedish = work.language == "swe"
    chance = 0.28 if popular else 0.04
    if work.kind == "fiction" and popular and rng.random() < 0.22 and work.year + 1 <= now:
        pocket = v.POCKET_PUBLISHERS[rng.randrange(len(v.POCKET_PUBLISHERS))]
        found.append(
            gen.new_manifestation(
                work,
                "book",
                "print",
                work.year + 1,
                publisher=pocket[0],
                place=pocket[1],
                isbn=gen._isbn(work.language),
                pages=pages + 16,
                edition="Pocketutg.",
            )
        )
    if work.kind == "nonfiction" and rng.random() < 0.1 and work.year + 3 <= now:
        found.append(
            gen.new_manifestation(
                work,
                "book",
                "print",
                min(now, work.year + rng.randint(3, 6)),
                publisher=publisher,
                place=place,
                isbn=gen._isbn(work.language),
                pages=pages + 24,
                edition="2., rev. uppl.",
            )
        )
    if swedish and work.kind == "fiction" and (work.showcase or rng.random() < (0.08 if popular else 0.01)):
        found.append(
            gen.new_manifestation(
                work,
                "large_print",
                "print",
                min(now, work.year + 1),
                publisher=LARGE_PRINT_PUBLISHER[0],
                place=LARGE_PRINT_PUBLISHER[1],
                isbn=gen._isbn("swe"),
                pages=int(pages * 1.4),
                edition="Storstil",
            )
        )
    if work.language in ("swe", "eng") and work.year >= 2008 and rng.random() < chance:
        found.append(
            gen.new_manifestation(
                work,
                "ebook",
                "online",
                work.year,
                publisher=publisher,
                place=place,
                isbn=gen._isbn(work.language),
                pages=pages,
                popular=popular or rng.random() < 0.3,
            )
        )
    if swedish and work.kind != "nonfiction" and rng.random() < chance:
        audio = v.AUDIO_PUBLISHERS[rng.randrange(len(v.AUDIO_PUBLISHERS))]
        online = work.year >= 2012 and rng.random() < 0.6
        found.append(
            gen.new_manifestation(
                work,
                "audiobook",
                "online" if online else "cd",
                min(now, work.year + rng.randint(0, 1)),
                publisher=audio[0],
                place=audio[1],
                isbn=gen._isbn("swe"),
                minutes=int(pages * 1.9),
                reader=gen.people.draw("swe", rng)[0],
            )
        )
    if swedish and (work.showcase or rng.random() < (0.08 if popular else 0.02)):
        found.append(
            gen.new_manifestation(
                work,
                "talking_book",
                "daisy",
                min(now, work.year + rng.randint(0, 2)),
                publisher=v.TALKING_BOOK_PUBLISHER[0],
                place=v.TALKING_BOOK_PUBLISHER[1],
                minutes=int(pages * 2.0),
                reader=gen.people.draw("swe", rng)[0],
            )
        )
    if swedish and work.kind != "children":
        found += _accessible_books(gen, work, found, pages)
    return found


def _free_book_year(work: "Work", found: list["Manifestation"], now: int) -> int | None:
    """A year after the first edition in which the work has no other book (format and year
    tell manifestations apart), or None."""
    taken = {m.year for m in found if m.format == "book"}
    return next((year for year in range(work.year + 1, now + 1) if year not in taken), None)


def _accessible_books(
    gen: "WorkGenerator", work: "Work", found: list["Manifestation"], pages: int
) -> list["Manifestation"]:
    """An easy-to-read adaptation (lättläst; a few per cent of popular novels get one) and a
    braille edition (punktskrift, made by MTM; rarer still)."""
    rng, popular, now, made = gen.rng, work.popular, gen.year_now, list["Manifestation"]()
    easy_chance, braille_chance = (0.04, 0.01) if popular else (0.006, 0.001)
    if work.showcase or rng.random() < easy_chance:
        year = _free_book_year(work, found, now)
        publisher, place = v.EASY_READ_PUBLISHERS[rng.randrange(len(v.EASY_READ_PUBLISHERS))]
        if year is not None:
            made.append(
                gen.new_manifestation(
                    work,
                    "book",
                    "print",
                    year,
                    publisher=publisher,
                    place=place,
                    isbn=gen._isbn("swe"),
                    pages=max(48, pages // 4),
                    edition="Lättläst version",
                    version="easy_read",
                )
            )
    if work.showcase or rng.random() < braille_chance:
        year = _free_book_year(work, found + made, now)
        if year is not None:
            made.append(
                gen.new_manifestation(
                    work,
                    "book",
                    "braille",
                    year,
                    publisher=v.TALKING_BOOK_PUBLISHER[0],
                    place=v.TALKING_BOOK_PUBLISHER[1],
                    pages=pages * 3,
                    version="braille",
                )
            )
    return made


def _music(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    label = v.MUSIC_LABELS[gen.rng.randrange(len(v.MUSIC_LABELS))]
    return gen.new_manifestation(
        work,
        "music",
        "cd",
        work.year,
        publisher=label,
        place="Stockholm",
        ean=identifiers.ean(gen._next("ean")),
        minutes=gen.rng.randint(35, 75),
    )


def _film(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    company = v.FILM_COMPANIES[gen.rng.randrange(len(v.FILM_COMPANIES))]
    return gen.new_manifestation(
        work,
        "film",
        "dvd",
        work.year,
        publisher=company,
        place="Stockholm",
        ean=identifiers.ean(gen._next("ean")),
        minutes=gen.rng.randint(80, 140),
    )


def _game(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    return gen.new_manifestation(
        work,
        "game",
        "disc",
        max(work.year, gen.year_now - 12),
        publisher=work.corporate,
        place="",
        ean=identifiers.ean(gen._next("ean")),
    )


def _map(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    place = next((p for name, p in v.MAP_PUBLISHERS if name == work.corporate), "Gävle")
    return gen.new_manifestation(
        work,
        "map",
        "sheet",
        work.year,
        publisher=work.corporate,
        place=place,
        isbn=gen._isbn("swe"),
    )


def _serial(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    place = next((p for name, p in v.SERIAL_PUBLISHERS if name == work.corporate), "Stockholm")
    return gen.new_manifestation(
        work,
        "serial",
        "print",
        min(work.year, gen.year_now - 2),
        publisher=work.corporate,
        place=place,
        issn=identifiers.issn(gen._next("issn")),
        popular=True,
    )


def _kit(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    return gen.new_manifestation(
        work,
        "other",
        "kit",
        work.year,
        publisher=KIT_PUBLISHER[0],
        place=KIT_PUBLISHER[1],
    )


def _sign(gen: "WorkGenerator", work: "Work") -> "Manifestation":
    """A film in Swedish Sign Language, with Swedish subtitles (a DVD; also streamed)."""
    return gen.new_manifestation(
        work,
        "film",
        "dvd",
        work.year,
        publisher=v.SIGN_LANGUAGE_PUBLISHER[0],
        place=v.SIGN_LANGUAGE_PUBLISHER[1],
        minutes=gen.rng.randint(8, 40),
    )


_OTHER = {
    "sign": _sign,
    "music": _music,
    "film": _film,
    "game": _game,
    "map": _map,
    "serial": _serial,
    "kit": _kit,
}
