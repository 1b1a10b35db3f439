"""Citation exports of a cluster's description: RIS and BibTeX (MARCXML lives in marc.py).

Harvested text is untrusted: every value is flattened to one line and stripped of control
characters (RIS is line-based), and BibTeX specials are escaped so a title cannot close a field.
"""

import re
from collections.abc import Iterable

from opac.record_view import as_list, names

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
RIS_TYPES = {
    "book": "BOOK",
    "large_print": "BOOK",
    "ebook": "EBOOK",
    "audiobook": "SOUND",
    "talking_book": "SOUND",
    "music": "MUSIC",
    "film": "VIDEO",
    "map": "MAP",
    "serial": "JOUR",
    "game": "COMP",
}
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def one_line(value: object) -> str:
    return _CONTROL.sub(" ", str(value)).strip()


def _ris_lines(data: dict[str, object], permalink: str) -> Iterable[tuple[str, object]]:
    formats = as_list(data.get("formats"))
    yield "TY", RIS_TYPES.get(formats[0] if formats else "", "GEN")
    yield "TI", data.get("title")
    yield "T2", data.get("subtitle")
    for name in names(data.get("authors")):
        yield "AU", name
    for name in names(data.get("contributors")):
        yield "A2", name
    yield "PY", data.get("year")
    yield "PB", data.get("publisher")
    yield "CY", data.get("place")
    yield "ET", data.get("edition")
    for number in as_list(data.get("isbns")) + as_list(data.get("issns")):
        yield "SN", number
    for language in as_list(data.get("languages")):
        yield "LA", language
    for subject in as_list(data.get("subjects")):
        yield "KW", subject
    yield "AB", data.get("summary")
    yield "UR", permalink


def to_ris(data: dict[str, object], permalink: str) -> str:
    lines = [f"{tag}  - {one_line(value)}" for tag, value in _ris_lines(data, permalink) if value]
    return "\r\n".join([*lines, "ER  - ", ""])


def bibtex_escape(value: object) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in one_line(value))


def to_bibtex(data: dict[str, object], key: str, permalink: str) -> str:
    fields = {
        "title": " : ".join(str(part) for part in (data.get("title"), data.get("subtitle")) if part),
        "author": " and ".join(names(data.get("authors"))),
        "year": data.get("year"),
        "publisher": data.get("publisher"),
        "address": data.get("place"),
        "edition": data.get("edition"),
        "isbn": ", ".join(as_list(data.get("isbns"))),
        "series": ", ".join(as_list(data.get("series"))),
        "url": permalink,
    }
    body = ",\n".join(f"  {name} = {{{bibtex_escape(value)}}}" for name, value in fields.items() if value)
    formats = as_list(data.get("formats"))
    entry = "book" if not formats or formats[0] in {"book", "large_print", "ebook"} else "misc"
    return f"@{entry}{{{key},\n{body}\n}}\n"
