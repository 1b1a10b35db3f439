"""Match keys: what two records must share to be merge candidates.

Every key is scoped by the record's primary format, so a book and its audiobook never meet
(they are linked by their work instead: ``catalog.clustering.works``). Keys, strongest first:

- ``libris:<format>:<LIBRIS id>``
- ``isbn:<format>:<ISBN-13>`` (ISBN-10 and ISBN-13 of one number give the same key)
- ``ean:<format>:<EAN-13>``
- ``pubno:<format>:<publisher number>`` (028 of music and film: weak, vetoes still apply)
- ``title:<format>:<title>|<first author>|<year>`` (only with an author or a year), plus the
  carrier's medium and a component part's host item when the record states them
- ``fuzzy:<format>:…``: blocking keys, never a merge by themselves: records sharing one are
  compared by ``catalog.clustering.similarity`` (see ``block_keys``)
- ``merge:<override id>`` (a librarian's merge; see ``catalog.clustering.overrides``)

An ISBN that 020 qualifies as one part's ("osa 1") is a key only of a record of that part; one it
qualifies as the whole set's ("hela verket") is a key only of a record without part numbers.
"""

import re
import unicodedata
from functools import lru_cache
from typing import Any

from catalog.search.text import normalize_script

KINDS = ("libris", "isbn", "ean", "pubno", "title", "fuzzy")
PUBNO_FORMATS = ("music", "film")
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
        "al",  # Arabic romanized: "al-Bahr"
        "los",
        "las",
        "il",
        "lo",
        "gli",
    }
)
_MAX_TITLE = 200
_NUMBER_WORDS = {
    "två": "2",
    "tre": "3",
    "fyra": "4",
    "fem": "5",
    "sex": "6",
    "sju": "7",
    "åtta": "8",
    "nio": "9",
    "tio": "10",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
_CONJUNCTIONS = frozenset({"och", "and", "und", "et", "og"})
_MAX_KEY = 400  # MatchKey.key
LAST_WORD_MARK = "~"
UNDATED_MARK = "@"
# Where the title proper ends in a typed 245 $a: other title information (" : roman"), a parallel
# title (" = ") or the statement of responsibility (" / "); a GMD ("[Ljudupptagning]") is dropped.
_TITLE_PROPER_END = re.compile(r"\s*[:=/;](?:\s|$)")
_BRACKETED = re.compile(r"\s*\[[^\]]*\]?")


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
    """Lower case, no punctuation or accents, but å/ä/ö kept distinct from a/o; other scripts
    folded as search folds them (``normalize_script``: harakat, alef and yeh forms, keheh, ё)."""
    # NFC first: a decomposed "å" (a + ring, as some exports write it) is still "å".
    folded = normalize_script(unicodedata.normalize("NFC", text or "").lower()).translate(_FOLDING)
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


def without_article(words: list[str]) -> list[str]:
    return words[1:] if len(words) > 1 and words[0] in LEADING_ARTICLES else words


def comparable_words(words: list[str]) -> list[str]:
    """Title words as the fuzzy stage compares them: no leading article, no "och"/"and" ("&" is
    gone already), numerals as digits ("tre" = "3")."""
    return without_article([_NUMBER_WORDS.get(w, w) for w in words if w not in _CONJUNCTIONS])


def split_title(text: str) -> tuple[str, str]:
    """A typed title into (title proper, the rest): "Hundarna : roman" → ("Hundarna", "roman");
    a GMD in brackets ("[Talbok]") is neither."""
    text = _BRACKETED.sub("", text or "").strip() or (text or "").strip(" []")
    match = _TITLE_PROPER_END.search(text)
    if not match or match.start() == 0:
        return text or "", ""
    return text[: match.start()], text[match.end() :].strip(" []:=/;")


def proper_words(data: dict[str, Any]) -> list[str]:
    """The normalized title proper as the fuzzy stage compares it, without other title
    information, GMD or parts."""
    text = data.get("title_proper") or data.get("title") or ""
    return comparable_words(normalize(split_title(text)[0]).split())


# Particles before a surname ("al-Hakim", "von Trier", "van Gogh"): not the surname, not a forename.
NAME_PARTICLES = frozenset(
    {"al", "el", "ibn", "bin", "von", "van", "der", "den", "de", "af", "du", "da", "di"},
)
_INVERTED = re.compile(r"[,،]")  # "Lindgren, Astrid"; Arabic script writes "محفوظ، نجيب"


def _name_words(data: dict[str, Any]) -> tuple[list[str], list[str]]:
    """First author's (surname words, forenames), normalized, dates left out, particles at the
    edges of the forenames dropped; the same for the inverted and the direct order."""
    authors = data.get("authors") or []
    name = authors[0].get("name", "") if authors and isinstance(authors[0], dict) else ""
    parts = _INVERTED.split(name, maxsplit=1)
    words = [w for w in normalize(parts[0]).split() if not w.isdigit()]
    family, given = (words, normalize(parts[1]).split()) if len(parts) > 1 else (words[-1:], words[:-1])
    given = [w for w in given if not w.isdigit()]
    while given and given[-1] in NAME_PARTICLES:
        given.pop()
    return family, given


def author_name(data: dict[str, Any]) -> tuple[str, list[str]]:
    """First author's (surname, forenames): the surname is the last word of the family name,
    "Lindgren, Astrid", "Astrid Lindgren", "Lindgren, A." → "lindgren"; "al-Hakim, Tawfiq" and
    "Tawfiq al-Hakim" → ("hakim", ["tawfiq"]), "von Trier, Lars" → "trier" (with the particle,
    every "al-" author would share one block)."""
    family, given = _name_words(data)
    return (family[-1] if family else ""), given


def block_keys(data: dict[str, Any], fmt: str) -> list[str]:
    """The fuzzy stage's blocking keys, each narrow on purpose (a wider block joins more records
    into one connected set, and every incremental change re-decides its whole set):

    - ``<first two title words>|<surname>|<year>`` (three words without an author);
    - ``~<last title word>|<surname> <forenames>|<year>`` for a title of two words or more: a typo
      in the first words puts a record into another first block, rarely into this one too;
    - ``@<first title words>|<surname> <forenames>|<year>`` (only with an author), the year left
      empty when the record has none: a record without a year meets the dated ones through it,
      and only those. The key links unlike other keys (``linked_keys``): an undated key to every
      dated key it begins, a dated one to its undated key, but dated ones of different years not
      to each other, so that every edition of an author's title is not one connected set. The
      fuzzy stage compares in it only pairs where one side has no year (``partition``), the
      others met in their dated block already.

    The second and third name the author in full ("Lindgren, Astrid" = "Astrid Lindgren", but not
    "Lindgren, A."): with one title word, or without the year, a surname alone (or an initial)
    joins unrelated records into one connected set, and at a million records into sets of
    hundreds, which every incremental change of one of them re-decides.
    """
    words, year = proper_words(data), data.get("year")
    if not words:
        return []
    family, given = author_name(data)
    head = " ".join(words[: 2 if family else 3])[:48]
    author = " ".join([family, *given])
    keys = []
    if year:
        keys.append(join_key("fuzzy", fmt, f"{head}|{family}|{year}"))
        if family and len(words) > 1:
            keys.append(join_key("fuzzy", fmt, f"{LAST_WORD_MARK}{words[-1][:48]}|{author}|{year}"))
    if family:
        keys.append(join_key("fuzzy", fmt, f"{UNDATED_MARK}{head}|{author}|{year or ''}"))
    return keys


def undated_block(key: str) -> str | None:
    """The block a key of the records with and without a year is compared in: the key without
    its year ("fuzzy:book:@hundarna i|lindgren astrid|2012" → "…|lindgren astrid|"); None for
    every other key."""
    if UNDATED_MARK not in key:  # no other key holds the mark: ``normalize`` drops it
        return None
    kind, _fmt, value = split_key(key)
    if kind != "fuzzy" or not value.startswith(UNDATED_MARK):
        return None
    return key[: key.rindex("|") + 1]


def crowdable(key: str) -> bool:
    """Whether a key is the blocking key of an ordinary block: one that, held by too many records,
    is not compared (``partition``) and links no records (``holders.Crowding``). The undated
    block's keys link across years and are never left out."""
    return key.startswith("fuzzy:") and UNDATED_MARK not in key


def linked_keys(key: str) -> tuple[str | None, str | None]:
    """How a key links records other than by holding the same key: (another key whose holders it
    links, a prefix every key it links begins with). A dated key of the undated block links the
    undated one; the undated key links every dated key of its block; other keys neither.

    A dated key of the undated block links its holders through the undated key only: records of
    the same year are never compared in that block (``partition``), so without a record lacking
    the year the key links none (a common title of an author's year is not one connected set)."""
    block = undated_block(key)
    if block is None:
        return None, None
    return (None, block) if block == key else (block, None)


def prefix_end(prefix: str) -> str:
    """The least key above every key ``prefix`` links (a year is digits, ":" follows "9")."""
    return prefix + ":"


def _medium(data: dict[str, Any]) -> str:
    return str(data.get("carrier") or "").partition("/")[0]


def _own_isbns(data: dict[str, Any]) -> list[str]:
    """ISBNs identifying this record: not those 020 assigns to a part the record is not, nor, in
    a volume's record, the whole set's."""
    qualified = data.get("part_isbns") or {}
    own_parts, of_set = set(data.get("parts") or []), set(data.get("set_isbns") or [])
    return [
        isbn
        for isbn in data.get("isbns") or []
        if (isbn not in of_set or not own_parts) and (isbn not in qualified or qualified[isbn] in own_parts)
    ]


# Every field of a description ``match_keys`` reads: a pass that derives nothing but keys reads
# no other (``assignment.load_rows``).
KEY_FIELDS = (
    "libris_id",
    "formats",
    "isbns",
    "part_isbns",
    "parts",
    "set_isbns",
    "eans",
    "publisher_numbers",
    "title",
    "title_sort",
    "title_proper",
    "authors",
    "year",
    "carrier",
    "host",
)


def match_keys(data: dict[str, Any]) -> list[str]:
    """Every match key of one normalized record, strongest first."""
    fmt = primary_format(data)
    keys = [join_key("libris", fmt, data["libris_id"])] if data.get("libris_id") else []
    keys += [join_key("isbn", fmt, isbn) for isbn in _own_isbns(data)]
    keys += [join_key("ean", fmt, ean) for ean in data.get("eans") or []]
    if fmt in PUBNO_FORMATS:
        keys += [join_key("pubno", fmt, number) for number in data.get("publisher_numbers") or []]
    title, author, year = title_words(data), author_words(data), data.get("year") or ""
    if title and (author or year):
        extra = "".join(f"|{value}" for value in (_medium(data), data.get("host") or "") if value)
        keys.append(join_key("title", fmt, f"{title}|{author}|{year}{extra}")[:_MAX_KEY])
    keys += block_keys(data, fmt)
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
