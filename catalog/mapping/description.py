"""Language (008/35-37, 041), audience (008/22, 385), summary (520), contents (505), notes, links (856)."""

import re

from pymarc import Record

from catalog.mapping.marc import control, fields, joined, leader, position, subfields, unique

_LANGUAGE_CODE = re.compile(r"^[a-z]{3}$")
# 008/22 target audience (books, music, visual materials, computer files).
AUDIENCE_CODES = {
    "a": "children",
    "b": "children",
    "c": "children",
    "j": "children",
    "d": "young_adult",
    "e": "adult",
    "f": "specialized",
    "g": "general",
}
_AUDIENCE_TYPES = "acdgijkmort"
NOTE_TAGS = ("500", "501", "502", "504", "508", "511", "518", "530", "534", "538", "546", "586")


def languages(record: Record) -> list[str]:
    """008/35-37 first, then 041 $a (text) and $d (sung/spoken); not $h (the original's)."""
    found = [position(control(record, "008"), 35, 37).lower()]
    for field in fields(record, "041"):
        for value in subfields(field, "a", "d"):
            # Old records pack several codes into one subfield: "swefin".
            found += [value[i : i + 3].lower() for i in range(0, len(value), 3)]
    return unique([code for code in found if _LANGUAGE_CODE.match(code) and code not in ("und", "zxx")])


def audience(record: Record) -> str:
    """children / young_adult / adult / general / specialized, else the first 385 term, else ''."""
    if leader(record)[6] in _AUDIENCE_TYPES:
        code = position(control(record, "008"), 22)
        if code in AUDIENCE_CODES:
            return AUDIENCE_CODES[code]
    for field in fields(record, "385"):
        terms = subfields(field, "a")
        if terms:
            return terms[0]
    return ""


def summary(record: Record) -> str:
    return "\n\n".join(joined(f, "ab") for f in fields(record, "520") if joined(f, "ab"))


def contents(record: Record) -> list[str]:
    """505 as a list of parts: formatted ($a split on " -- ") or enhanced ($t with $r)."""
    parts: list[str] = []
    for field in fields(record, "505"):
        titles = subfields(field, "t")
        if titles:
            parts += titles
        else:
            parts += [p.strip(" .") for a in subfields(field, "a") for p in a.split(" -- ") if p.strip(" .")]
    return parts


def notes(record: Record) -> list[str]:
    """General and specific public notes; 59X (local) notes are left out."""
    return unique([joined(f, "abcdr3") for f in fields(record, *NOTE_TAGS) if joined(f, "abcdr3")])


def links(record: Record) -> list[dict[str, str]]:
    """856 $u with link text from $y, $3 or $z."""
    found: list[dict[str, str]] = []
    for field in fields(record, "856"):
        text = " ".join(subfields(field, "y") or subfields(field, "3") or subfields(field, "z"))
        found += [{"url": (sf.value or "").strip(), "text": text} for sf in field.subfields if sf.code == "u"]
    return [link for link in found if link["url"]]
