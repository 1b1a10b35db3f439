"""Match keys: what two records must share to be merge candidates.

Every key is scoped by the record's primary format, so a book and its audiobook never meet
(they are linked by their work instead: ``catalog.clustering.works``). Keys, strongest first:

- ``libris:<format>:<LIBRIS id>``
- ``isbn:<format>:<ISBN-13>`` (ISBN-10 and ISBN-13 of one number give the same key)
- ``ean:<format>:<EAN-13>``
- ``title:<format>:<title>|<first author>|<year>`` (only with an author or a year)
- ``merge:<override id>`` (a librarian's merge; see ``catalog.clustering.overrides``)
"""

import re
import unicodedata
from functools import lru_cache
from typing import Any

KINDS = ("libris", "isbn", "ean", "title")
_KEEP = set("åäö")
_NON_WORD = re.compile(r"[\W_]+")
LEADING_ARTICLES = frozenset(
    {
        "the",
        "a",
        "an",
        "en",
        "ett",
        "den",
        "det",
        "de",
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "el",
        "los",
        "las",
        "il",
        "lo",
        "gli",
    }
)
_MAX_TITLE = 200


class _Folding(dict[int, str]):
    """str.translate table that strips accents, learning each character once (å/ä/ö kept)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char in _KEEP or char.isascii():
            folded = char
        else:
            folded = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        self[code] = folded
        return folded


# Danish/Norwegian letters file as their Swedish counterparts; everything else loses its accents.
_FOLDING = _Folding({ord("æ"): "ä", ord("ø"): "ö", ord("ß"): "ss", ord("&"): " "})


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Lower case, no punctuation or accents, but å/ä/ö kept distinct from a/o."""
    # NFC first: a decomposed "å" (a + ring, as some exports write it) is still "å".
    folded = unicodedata.normalize("NFC", text or "").lower().translate(_FOLDING)
    return " ".join(_NON_WORD.sub(" ", folded).split())


def title_words(data: dict[str, Any]) -> str:
    """The normalized title without a leading article (for records whose 245 ind2 did not say)."""
    words = normalize(data.get("title_sort") or data.get("title") or "").split()
    if len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)[:_MAX_TITLE]


def author_words(data: dict[str, Any]) -> str:
    """First author's name as sorted words: "Jansson, Tove" and "Tove Jansson" agree."""
    authors = data.get("authors") or []
    name = authors[0].get("name", "") if authors and isinstance(authors[0], dict) else ""
    # Dates written into the name itself ("Lindgren, Astrid, 1907-2002") are not part of it.
    return " ".join(sorted(word for word in normalize(name).split() if not word.isdigit()))


def primary_format(data: dict[str, Any]) -> str:
    formats = data.get("formats") or []
    return str(formats[0]) if formats else "other"


def match_keys(data: dict[str, Any]) -> list[str]:
    """Every match key of one normalized record, strongest first."""
    fmt = primary_format(data)
    keys = [join_key("libris", fmt, data["libris_id"])] if data.get("libris_id") else []
    keys += [join_key("isbn", fmt, isbn) for isbn in data.get("isbns") or []]
    keys += [join_key("ean", fmt, ean) for ean in data.get("eans") or []]
    title, author, year = title_words(data), author_words(data), data.get("year") or ""
    if title and (author or year):
        keys.append(join_key("title", fmt, f"{title}|{author}|{year}"))
    return list(dict.fromkeys(keys))


def join_key(kind: str, fmt: str, value: str) -> str:
    """("isbn", "book", "978…") → "isbn:book:978…"; the inverse of split_key."""
    return f"{kind}:{fmt}:{value}"


def split_key(key: str) -> tuple[str, str, str]:
    """ "isbn:book:978…" → ("isbn", "book", "978…"); merge keys have an empty format."""
    kind, _, rest = key.partition(":")
    if kind == "merge":
        return kind, "", rest
    fmt, _, value = rest.partition(":")
    return kind, fmt, value
