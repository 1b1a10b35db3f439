"""Comparing two records that share no identifier: vetoes first, then a title/author similarity.

Vetoes always win (``veto``): different carriers (medium or encoding, where both say), different
component-part hosts, different part numbers of the title (a volume is not the set, nor another
volume), different series numbering, different edition statements (a numbered later edition
also differs from a record stating none), different years, different
publishers, different first language, extents more than ``PAGE_TOLERANCE`` apart, different
forenames of the first author, different accessible versions (catalog.accessible: a braille or
large-print edition is not the ordinary one, whose record simply says nothing of the kind). The
properties of a title (easy-to-read, sign language) never veto: libraries differ in whether they
add the genre term, and an easy-to-read adaptation differs from the original in its text anyway.
Carrier disagreement vetoes every merge (``carrier_veto``); the rest veto merges made without a
shared identifier (title keys, publisher numbers, fuzzy).

Similarity (``similar``): the title proper is compared with and without its other title
information, however it was typed (245 $a "Hundarna : roman", $a + $b, GMD in brackets, "&" or
"och", a leading article, numerals in words or digits); generic other title information
("roman", "novell") counts as none. Two records are the same when the title similarity reaches
``THRESHOLD`` and the first authors' names agree ("Lindgren, Astrid" = "Astrid Lindgren" =
"Lindgren, A.").
"""

import re
from difflib import SequenceMatcher
from typing import Any

from catalog.accessible import ACCESSIBLE_VERSIONS
from catalog.clustering.keys import author_name, comparable_words, normalize, split_title

THRESHOLD = 0.9
PAGE_TOLERANCE = (10, 0.1)  # pages or share of the larger count, whichever is more
GENERIC_OTHER_TITLE = frozenset(
    {
        "roman",
        "en roman",
        "novell",
        "noveller",
        "novellsamling",
        "dikter",
        "diktsamling",
        "kriminalroman",
        "deckare",
        "thriller",
        "spänningsroman",
        "a novel",
        "novel",
        "stories",
        "short stories",
        "poems",
        "berättelse",
        "berättelser",
        "en berättelse",
        "ungdomsroman",
        "barnbok",
        "bilderbok",
        "faktabok",
        "ljudbok",
        "e bok",
        "talbok",
    }
)
_PAGES = re.compile(r"(\d+)\s*(?:\]\s*)?(?:s\b|sidor|p\b|pages|sid\b)", re.IGNORECASE)
_UNKNOWN = re.compile(r"\[[^\]]*\]|s\.\s?n\.?|utgivare okänd|okänd utgivare|förlag okänt")
_PUBLISHER_NOISE = frozenset(
    {"förlag", "förlaget", "bokförlag", "bokförlaget", "ab", "publishing", "publishers", "verlag", "och"}
)
_DIGITS = re.compile(r"\d+")
# Every field of a record's description the partition reads (``Profile``, ``partition``): a
# change of any other field (a note, a subject, holdings) cannot change what it decides.
COMPARED_FIELDS = (
    "accessibility",
    "authors",
    "carrier",
    "edition",
    "extent",
    "host",
    "languages",
    "parts",
    "publisher",
    "series_numbers",
    "subtitle",
    "title",
    "title_proper",
    "year",
)


def _title_text(text: str) -> str:
    return " ".join(comparable_words(normalize(text).split()))


def _other_title(text: str) -> str:
    value = _title_text(text)
    return "" if value in GENERIC_OTHER_TITLE else value


def _pages(extent: str) -> int | None:
    found = [int(n) for n in _PAGES.findall(extent or "")]
    return max(found) if found else None


def _publisher(text: str) -> str:
    words = [
        w for w in normalize(_UNKNOWN.sub(" ", (text or "").lower())).split() if w not in _PUBLISHER_NOISE
    ]
    return " ".join(words)


def _edition(text: str) -> str:
    """ "2. uppl." and "2:a upplagan" → "2"; wordings without a number → their first word's stem."""
    numbers = _DIGITS.findall(text or "")
    if numbers:
        return numbers[0]
    words = normalize(text).split()
    return words[0][:4] if words else ""


def _names_agree(mine: list[str], theirs: list[str]) -> bool:
    """Forenames agree when one side is missing, or each pair agrees as initial or in full."""
    for one, other in zip(mine, theirs, strict=False):
        if one != other and not ((len(one) == 1 or len(other) == 1) and one[0] == other[0]):
            return False
    return True


class Profile:
    """What the comparison reads of one record, computed once (the titles when first compared)."""

    __slots__ = (
        "_titles",
        "accessibility",
        "carrier",
        "data",
        "edition",
        "forenames",
        "host",
        "language",
        "pages",
        "parts",
        "publisher",
        "series",
        "signature",
        "surname",
        "year",
    )

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.carrier = str(data.get("carrier") or "")
        self.accessibility = tuple(sorted(set(data.get("accessibility") or ()) & ACCESSIBLE_VERSIONS))
        self.host = str(data.get("host") or "")
        self.parts = tuple(sorted(data.get("parts") or []))
        self.series = tuple(sorted(data.get("series_numbers") or []))
        self.year = data.get("year")
        self.edition = _edition(str(data.get("edition") or ""))
        self.publisher = _publisher(str(data.get("publisher") or ""))
        languages = data.get("languages") or []
        self.language = str(languages[0]) if languages else ""
        self.pages = _pages(str(data.get("extent") or ""))
        self.surname, self.forenames = author_name(data)
        # Equal signatures never veto each other: the common case of two copies alike.
        self.signature = (
            self.carrier,
            self.accessibility,
            self.host,
            self.parts,
            self.series,
            self.year,
            self.edition,
            self.publisher,
            self.language,
            self.pages,
            tuple(self.forenames),
        )
        self._titles: tuple[str, str] | None = None

    @property
    def titles(self) -> tuple[str, str]:
        """(title proper, other title information), each normalized for comparison."""
        if self._titles is None:
            proper, typed_rest = split_title(self.data.get("title_proper") or self.data.get("title") or "")
            rest = " ".join(part for part in (typed_rest, self.data.get("subtitle") or "") if part)
            self._titles = (_title_text(proper), _other_title(rest))
        return self._titles


def _differ(mine: object, theirs: object) -> bool:
    return bool(mine) and bool(theirs) and mine != theirs


def carriers_differ(a: str, b: str) -> bool:
    """ "medium/encoding" against another: does a half both state differ?"""
    if a == b:
        return False
    (medium_a, _, encoding_a), (medium_b, _, encoding_b) = a.partition("/"), b.partition("/")
    return _differ(medium_a, medium_b) or _differ(encoding_a, encoding_b)


def carrier_veto(a: Profile, b: Profile) -> bool:
    return carriers_differ(a.carrier, b.carrier)


def _publishers_differ(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return False
    if a.split()[0] == b.split()[0]:
        return False
    return _ratio(a, b, 0.8) < 0.8


def _editions_differ(a: str, b: str) -> bool:
    """Statements that differ; a numbered later edition also differs from none (the first)."""
    later = (a.isdigit() and int(a) > 1 and not b) or (b.isdigit() and int(b) > 1 and not a)
    return later or _differ(a, b)


def _pages_differ(a: int | None, b: int | None) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) > max(PAGE_TOLERANCE[0], PAGE_TOLERANCE[1] * max(a, b))


def veto(a: Profile, b: Profile) -> bool:
    """May these two never be one manifestation without an identifier saying so?"""
    if a.signature == b.signature:
        return False
    return (
        carrier_veto(a, b)
        or a.accessibility != b.accessibility
        or a.host != b.host
        or a.parts != b.parts
        or _differ(a.series, b.series)
        or _differ(a.year, b.year)
        or _editions_differ(a.edition, b.edition)
        or _publishers_differ(a.publisher, b.publisher)
        or _differ(a.language, b.language)
        or _pages_differ(a.pages, b.pages)
        or not _names_agree(a.forenames, b.forenames)
    )


def _ratio(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's ratio of two strings; below ``floor`` it may be only a bound above it (the quick
    bounds by length and by letters tell most unlike pairs apart without the full comparison)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b)
    for bound in (matcher.real_quick_ratio, matcher.quick_ratio):
        if (found := bound()) < floor:
            return found
    return matcher.ratio()


def title_similarity(a: Profile, b: Profile, floor: float = 0.0) -> float:
    """The title proper alone when either lacks other title information, else the whole title
    (below ``floor``: perhaps only a bound above the similarity, see ``_ratio``)."""
    (proper_a, rest_a), (proper_b, rest_b) = a.titles, b.titles
    if rest_a and rest_b:
        return _ratio(f"{proper_a} {rest_a}", f"{proper_b} {rest_b}", floor)
    return _ratio(proper_a, proper_b, floor)


def similar(a: Profile, b: Profile) -> float | None:
    """The title similarity when these two are one manifestation by description, else None. Titles
    whose numbers differ ("Bamse 12", "Bamse 13"; "Titel 2, rättad", "Titel 9, rättad") are never
    one, however alike the rest reads: the second blocking pass, by the last word, meets them."""
    if a.surname != b.surname or veto(a, b) or title_numbers(a) != title_numbers(b):
        return None
    score = title_similarity(a, b, THRESHOLD)
    return score if score >= THRESHOLD else None


def title_numbers(profile: Profile) -> frozenset[int]:
    return frozenset(int(number) for number in _DIGITS.findall(profile.titles[0]))


def fuzzy_reason(score: float, profile: Profile) -> str:
    """Stored in English, shown translated (``catalog.clustering.reasons``):
    "similar title and author (0.96), year 2012, 159 p."."""
    reason = f"similar title and author ({score:.2f})"
    if profile.year:
        reason += f", year {profile.year}"
    if profile.pages:
        reason += f", {profile.pages} p."
    return reason
