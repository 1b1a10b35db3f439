"""Title spaces: every title a language (or material) can have, enumerable by index.

A space maps an index to a title without storing the titles, so a million-record county needs
no memory for them. Allocation (``TitleAllocator``) hands each author titles it has not used
yet, which makes (title, author) unique per work by construction — two different works never
look like one — while different authors may well share a title, as they do in real life.
"""

import zlib
from collections.abc import Callable
from dataclasses import dataclass

from sample import vocabulary as v


@dataclass(frozen=True)
class Title:
    text: str  # 245 $a as the title page has it (transliterated for non-Latin scripts)
    script: str = ""  # the original script (880), empty for Latin-script titles
    nonfiling: int = 0  # 245 ind2: characters of a leading article to skip when filing


def _swedish(index: int) -> Title:
    nouns, preps = v.SWEDISH_NOUNS, v.SWEDISH_PREPOSITIONS
    pattern_a = len(nouns) * len(preps) * len(nouns)
    if index < pattern_a:
        first, rest = divmod(index, len(preps) * len(nouns))
        prep, second = divmod(rest, len(nouns))
        return Title(f"{nouns[first]} {preps[prep]} {nouns[second].lower()}")
    index -= pattern_a
    objects = v.SWEDISH_GENITIVE_OBJECTS
    if index < len(nouns) * len(objects):
        first, obj = divmod(index, len(objects))
        return Title(f"{nouns[first]}s {objects[obj]}")
    index -= len(nouns) * len(objects)
    prefix, suffix = divmod(index, len(v.SWEDISH_SUFFIXES))
    return Title(v.SWEDISH_PREFIXES[prefix] + v.SWEDISH_SUFFIXES[suffix])


def _nonfiction(index: int) -> Title:
    topic, suffix = divmod(index, len(v.NONFICTION_SUFFIXES))
    return Title(f"{v.NONFICTION_TOPICS[topic][0]} {v.NONFICTION_SUFFIXES[suffix]}")


def _english(index: int) -> Title:
    adjectives, nouns, places = v.ENGLISH_ADJECTIVES, v.ENGLISH_NOUNS, v.ENGLISH_PLACES
    if index < len(adjectives) * len(nouns):
        adjective, noun = divmod(index, len(nouns))
        return Title(f"The {adjectives[adjective]} {nouns[noun]}", nonfiling=4)
    index -= len(adjectives) * len(nouns)
    if index < len(nouns) * len(places):
        noun, place = divmod(index, len(places))
        return Title(f"A {nouns[noun]} in {places[place]}", nonfiling=2)
    index -= len(nouns) * len(places)
    first, second = divmod(index, len(nouns))
    return Title(f"{nouns[first]} and {nouns[second].lower()}")


def _capitalized(text: str) -> str:
    """ "al-bayt" → "al-Bayt" (romanized Arabic keeps the article lower case), "shab" → "Shab"."""
    article = "al-" if text.startswith("al-") else ""
    rest = text[len(article) :]
    ayn = "ʻ" if rest.startswith("ʻ") else ""  # noqa: RUF001 (romanized ayn, not a quote)
    rest = rest[len(ayn) :]
    return article + ayn + rest[:1].upper() + rest[1:]


def _paired(nouns: tuple[tuple[str, str], ...], join_latin: str, join_script: str) -> Callable[[int], Title]:
    """Titles of one noun or "noun and noun"; the joins carry their own spacing ("wa-" binds)."""

    def title(index: int) -> Title:
        first, second = divmod(index, len(nouns) + 1)
        latin, script = nouns[first]
        if second < len(nouns):
            latin = latin + join_latin + nouns[second][0]
            script = script + join_script + nouns[second][1]
        latin = _capitalized(latin)
        script = script[:1].upper() + script[1:]  # Cyrillic has capitals; Arabic script has none
        return Title(latin, script, 3 if latin.startswith("al-") else 0)

    return title


def _latin_pairs(nouns: list[str], join: str) -> Callable[[int], Title]:
    def title(index: int) -> Title:
        first, second = divmod(index, len(nouns) + 1)
        if second == len(nouns):
            return Title(nouns[first])
        return Title(f"{nouns[first]} {join} {nouns[second].lower()}")

    return title


def _map(index: int) -> Title:
    place, kind = divmod(index, len(MAP_KINDS))
    return Title(f"{MAP_PLACES[place]} {MAP_KINDS[kind]}")


def _serial(index: int) -> Title:
    pattern, topic = divmod(index, len(v.NONFICTION_TOPICS))
    pattern_text, topic_text = SERIAL_PATTERNS[pattern], v.NONFICTION_TOPICS[topic][0]
    return Title(pattern_text.format(topic_text if pattern_text.startswith("{") else topic_text.lower()))


def _game(index: int) -> Title:
    rest, suffix = divmod(index, len(GAME_SUFFIXES))
    adjective, noun = divmod(rest, len(v.ENGLISH_NOUNS))
    return Title(f"{v.ENGLISH_ADJECTIVES[adjective]} {v.ENGLISH_NOUNS[noun]} {GAME_SUFFIXES[suffix]}")


def _music(index: int) -> Title:
    if index < len(v.MUSIC_TITLES):
        return Title(v.MUSIC_TITLES[index])
    return Title(v.SWEDISH_NOUNS[index - len(v.MUSIC_TITLES)])


MAP_PLACES = (
    *("Nacka", "Tyresö", "Huddinge", "Botkyrka", "Södertälje", "Värmdö", "Haninge", "Lidingö", "Sollentuna"),
    *("Järfälla", "Stockholm", "Uppsala", "Norrtälje", "Nynäshamn", "Sigtuna", "Ekerö", "Österåker"),
    *("Vaxholm", "Tyresta", "Gotland", "Öland", "Roslagen", "Sörmland", "Kebnekaise", "Jämtland", "Skåne"),
    *("Fjällen", "Stockholms skärgård", "Mälaren", "Dalarna"),
)
MAP_KINDS = ("stadskarta", "cykelkarta", "vandringskarta", "turistkarta", "terrängkarta", "båtsportkort")
SERIAL_PATTERNS = ("Allt om {}", "Tidningen {}", "{} idag", "Nya {}", "{}: medlemsblad")
GAME_SUFFIXES = ("Legends", "Adventures", "Chronicles", "Party", "Racing", "Quest")
_SWEDISH_SIZE = len(v.SWEDISH_NOUNS) * (
    len(v.SWEDISH_PREPOSITIONS) * len(v.SWEDISH_NOUNS) + len(v.SWEDISH_GENITIVE_OBJECTS)
) + len(v.SWEDISH_PREFIXES) * len(v.SWEDISH_SUFFIXES)

# name → (size, index → Title)
SPACES: dict[str, tuple[int, Callable[[int], Title]]] = {
    "swe": (_SWEDISH_SIZE, _swedish),
    "swe-nonfiction": (len(v.NONFICTION_TOPICS) * len(v.NONFICTION_SUFFIXES), _nonfiction),
    "eng": (
        len(v.ENGLISH_NOUNS) * (len(v.ENGLISH_ADJECTIVES) + len(v.ENGLISH_PLACES) + len(v.ENGLISH_NOUNS)),
        _english,
    ),
    "ara": (len(v.ARABIC_NOUNS) * (len(v.ARABIC_NOUNS) + 1), _paired(v.ARABIC_NOUNS, " wa-", " و")),
    "per": (len(v.PERSIAN_NOUNS) * (len(v.PERSIAN_NOUNS) + 1), _paired(v.PERSIAN_NOUNS, " va ", " و ")),
    "som": (len(v.SOMALI_NOUNS) * (len(v.SOMALI_NOUNS) + 1), _latin_pairs(v.SOMALI_NOUNS, "iyo")),
    "fin": (len(v.FINNISH_NOUNS) * (len(v.FINNISH_NOUNS) + 1), _latin_pairs(v.FINNISH_NOUNS, "ja")),
    "ukr": (len(v.UKRAINIAN_NOUNS) * (len(v.UKRAINIAN_NOUNS) + 1), _paired(v.UKRAINIAN_NOUNS, " i ", " і ")),  # noqa: RUF001
    "sme": (len(v.SAMI_NOUNS) * (len(v.SAMI_NOUNS) + 1), _latin_pairs(v.SAMI_NOUNS, "ja")),
    "fit": (len(v.MEANKIELI_NOUNS) * (len(v.MEANKIELI_NOUNS) + 1), _latin_pairs(v.MEANKIELI_NOUNS, "ja")),
    "map": (len(MAP_PLACES) * len(MAP_KINDS), _map),
    "serial": (len(SERIAL_PATTERNS) * len(v.NONFICTION_TOPICS), _serial),
    "music": (len(v.MUSIC_TITLES) + len(v.SWEDISH_NOUNS), _music),
    "game": (len(v.ENGLISH_ADJECTIVES) * len(v.ENGLISH_NOUNS) * len(GAME_SUFFIXES), _game),
}
_STRIDE = 7_919  # prime, larger than every space's share: spreads an author's titles apart


class TitleAllocator:
    """Hands out titles so that one owner (author, artist, publisher) never repeats a title.

    An owner walks its space from a fixed starting point (a stable hash of the owner) in strides
    coprime with the space's size, so its n-th title is unique among its first ``size`` titles.
    """

    def __init__(self) -> None:
        self._used: dict[tuple[str, str], int] = {}

    def allocate(self, space: str, owner: str) -> Title | None:
        """The owner's next unused title in the space, or None when the owner has used them all."""
        size, make = SPACES[space]
        count = self._used.get((space, owner), 0)
        if count >= size:
            return None
        self._used[(space, owner)] = count + 1
        start = zlib.crc32(f"{space}|{owner}".encode())
        step = _STRIDE if size % _STRIDE else 1
        return make((start + count * step) % size)
