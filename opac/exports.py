"""Citation exports of a cluster's description: RIS and BibTeX (MARCXML lives in marc.py).

Harvested text is untrusted: every value is flattened to one line and stripped of control
characters (RIS is line-based), and BibTeX specials are escaped so a title cannot close a field.
"""

import re
from collections.abc import Iterable

from opac.record_view import as_list, full_title, names

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
    "serial": "JFULL",  # the whole journal; JOUR is one article in it
    "game": "COMP",
}
# Where clients read a title's series: Zotero's RIS translator takes T2 as the series of a book,
# a map or a program, and T3 for the other types (for an article T2 would be the journal).
_RIS_SERIES_IN_T2 = {"BOOK", "EBOOK", "MAP", "COMP"}
# A3 is the editor of a book but the series editor of a map and the producer of a film; ED
# (older RIS, still read by Zotero, EndNote and rispy) is an editor whatever the type.
_RIS_EDITOR_IN_A3 = {"BOOK", "EBOOK"}
# A2 of a sound recording is its performer (of a book it would be the series editor).
_RIS_PERFORMER_TYPES = {"SOUND", "MUSIC"}
_PERFORMER_ROLES = {"prf", "nrt", "sng", "mus", "act", "cnd"}
_BODY_KINDS = {"organization", "meeting"}
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


def agents(value: object) -> list[dict[str, str]]:
    """Mapped authors or contributors as name/role/kind dicts (plain names count as people)."""
    found = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, dict) and item.get("name"):
            role, kind = str(item.get("role") or ""), str(item.get("kind") or "person")
            found.append({"name": str(item["name"]), "role": role.lower(), "kind": kind})
        elif isinstance(item, str) and item.strip():
            found.append({"name": item, "role": "", "kind": "person"})
    return found


def _ris_contributor_tag(role: str, ris_type: str) -> str:
    """The RIS tag a contributor's relator code belongs in for this type; "" to leave it out."""
    if role == "edt":
        return "A3" if ris_type in _RIS_EDITOR_IN_A3 else "ED"
    if role == "trl":
        return "A4"
    if role in _PERFORMER_ROLES and ris_type in _RIS_PERFORMER_TYPES:
        return "A2"
    return ""


def _ris_lines(data: dict[str, object], permalink: str) -> Iterable[tuple[str, object]]:
    formats = as_list(data.get("formats"))
    ris_type = RIS_TYPES.get(formats[0] if formats else "", "GEN")
    yield "TY", ris_type
    yield "TI", full_title(data)
    for name in names(data.get("authors")):
        yield "AU", name
    for agent in agents(data.get("contributors")):
        yield _ris_contributor_tag(agent["role"], ris_type), agent["name"]
    series = as_list(data.get("series"))
    yield ("T2" if ris_type in _RIS_SERIES_IN_T2 else "T3"), series[0] if series else ""
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
    lines = [f"{tag}  - {one_line(value)}" for tag, value in _ris_lines(data, permalink) if tag and value]
    return "\r\n".join([*lines, "ER  - ", ""])


def bibtex_escape(value: object) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in one_line(value))


def bibtex_names(people: list[dict[str, str]]) -> str:
    """Names joined by "and"; a body's name in its own braces, so BibTeX keeps it one last name."""
    escaped = [
        f"{{{bibtex_escape(p['name'])}}}" if p["kind"] in _BODY_KINDS else bibtex_escape(p["name"])
        for p in people
    ]
    return " and ".join(escaped)


def to_bibtex(data: dict[str, object], key: str, permalink: str) -> str:
    plain = {
        "title": full_title(data),
        "year": data.get("year"),
        "publisher": data.get("publisher"),
        "address": data.get("place"),
        "edition": data.get("edition"),
        "isbn": ", ".join(as_list(data.get("isbns"))),
        "issn": ", ".join(as_list(data.get("issns"))),
        "series": ", ".join(as_list(data.get("series"))),
        "url": permalink,
    }
    escaped = {name: bibtex_escape(value) for name, value in plain.items() if value}
    editors = [a for a in agents(data.get("contributors")) if a["role"] == "edt"]
    # Names come escaped already: the braces around a body's name must survive.
    fields = {
        "title": escaped.pop("title", ""),
        "author": bibtex_names(agents(data.get("authors"))),
        "editor": bibtex_names(editors),
        **escaped,
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items() if value)
    formats = as_list(data.get("formats"))
    entry = "book" if not formats or formats[0] in {"book", "large_print", "ebook"} else "misc"
    return f"@{entry}{{{key},\n{body}\n}}\n"
