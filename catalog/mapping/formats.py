"""Format: leader/06-07, 007, 008 and 336-338 into the fixed format vocabulary (README, "JSON API").

The rule, in order: serials (leader/07 s) → serial; language material (leader/06 a, t) →
ebook when online/electronic (008/23 o/q/s, 007 c, 337 c, 338 cr), large_print (008/23 d,
007 tb, "storstil", a Koha item type 952 $y STORSTIL), else book; spoken word (leader/06 i) →
talking_book for DAISY/talböcker (or published by MTM or its forerunner TPB, a Legimus link, a
Koha item type DAISY/BARNTAL/TALBOK), else audiobook; music (c, d, j) → music; moving image
(g) → film; maps (e, f) → map; computer files (m) → game (008/26 g) or ebook (text content on
an electronic carrier) or other; objects (r) → game when 008/33 g (board games), else other;
anything else → other. Braille, easy-to-read and sign language are no formats
(catalog.mapping.accessibility).
"""

import re
from collections.abc import Iterable

from pymarc import Record

from catalog.mapping.marc import control, fields, leader, per_record, position, subfields

FORMATS = (
    "book",
    "ebook",
    "audiobook",
    "talking_book",
    "large_print",
    "music",
    "film",
    "game",
    "map",
    "serial",
    "other",
)
_TALKING_BOOK_HINTS = ("daisy", "talbok", "talböcker", "talking book")
_LARGE_PRINT_HINTS = ("storstil", "large print", "large type")
# The talking-book publishers: MTM (Myndigheten för tillgängliga medier) and before 2010 TPB.
_TALKING_BOOK_PUBLISHER = re.compile(
    r"^(?:myndigheten för tillgängliga medier|talboks- och punktskriftsbiblioteket|mtm|tpb)\b"
)
# Koha item types (952 $y) Swedish public libraries give these copies (their own codes, as seen
# in a Swedish Koha library's holdings report; local, so only these unmistakable ones).
LARGE_PRINT_ITEM_TYPES = ("STORSTIL",)
TALKING_BOOK_ITEM_TYPES = ("DAISY", "BARNTAL", "TALBOK")
_GAME_HINTS = ("datorspel", "tv-spel", "video games", "sällskapsspel", "board games")


def _rda_codes(record: Record, tag: str) -> set[str]:
    return {code.lower() for field in fields(record, tag) for code in subfields(field, "b")}


def _text_of(record: Record, *tags: str) -> str:
    return " ".join(" ".join(sf.value or "" for sf in f.subfields) for f in fields(record, *tags)).lower()


def _mentions(text: str, hints: Iterable[str]) -> bool:
    """Whether the text holds one of these words (the text is made once, not once a hint)."""
    return any(hint in text for hint in hints)


def _categories_007(record: Record) -> list[str]:
    return [(f.data or "")[:2].lower() for f in fields(record, "007")]


@per_record
def is_electronic(record: Record) -> bool:
    form = position(control(record, "008"), 23)
    return (
        form in ("o", "q", "s")
        or any(cat.startswith("c") for cat in _categories_007(record))
        or "c" in _rda_codes(record, "337")
        or "cr" in _rda_codes(record, "338")
    )


def _item_types(record: Record) -> set[str]:
    return {code.upper() for field in fields(record, "952") for code in subfields(field, "y")}


def _publishers(record: Record) -> list[str]:
    return [name.lower() for f in fields(record, "260", "264") for name in subfields(f, "b")]


@per_record
def is_large_print(record: Record) -> bool:
    return (
        position(control(record, "008"), 23) == "d"
        or "tb" in _categories_007(record)
        or _mentions(_text_of(record, "250", "300", "340", "500", "655"), _LARGE_PRINT_HINTS)
        or bool(_item_types(record) & set(LARGE_PRINT_ITEM_TYPES))
    )


def is_talking_book(record: Record) -> bool:
    text = _text_of(record, "245", "300", "347", "500", "538", "655")
    return (
        _mentions(text, _TALKING_BOOK_HINTS)
        or any(_TALKING_BOOK_PUBLISHER.match(name) for name in _publishers(record))
        or "legimus.se" in _text_of(record, "856")
        or bool(_item_types(record) & set(TALKING_BOOK_ITEM_TYPES))
    )


def _text_format(record: Record) -> str:
    if is_electronic(record):
        return "ebook"
    return "large_print" if is_large_print(record) else "book"


def _computer_file_format(record: Record) -> str:
    if position(control(record, "008"), 26) == "g" or _mentions(_text_of(record, "655"), _GAME_HINTS):
        return "game"
    if "txt" in _rda_codes(record, "336") and is_electronic(record):
        return "ebook"
    return "other"


def _object_format(record: Record) -> str:
    is_game = position(control(record, "008"), 33) == "g" or _mentions(_text_of(record, "655"), _GAME_HINTS)
    return "game" if is_game else "other"


@per_record
def primary_format(record: Record) -> str:
    lead = leader(record)
    record_type, level = lead[6], lead[7]
    if level in ("s", "b"):
        return "serial"
    if record_type in ("a", "t"):
        return _text_format(record)
    if record_type == "i":
        return "talking_book" if is_talking_book(record) else "audiobook"
    if record_type in ("c", "d", "j"):
        return "music"
    if record_type == "g":
        return "other" if position(control(record, "008"), 33) in ("s", "t", "f") else "film"
    if record_type in ("e", "f"):
        return "map"
    if record_type == "m":
        return _computer_file_format(record)
    if record_type == "r":
        return _object_format(record)
    return "other"


def formats(record: Record) -> list[str]:
    """Primary format first; an electronic serial also counts as ebook."""
    primary = primary_format(record)
    found = [primary]
    if primary == "serial" and is_electronic(record):
        found.append("ebook")
    return found
