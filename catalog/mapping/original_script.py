"""Original-script forms (880, alternate graphic representation) of title, names, imprint, subjects.

A record for a book in Arabic, Persian, Russian or Chinese gives its 245, 100 … romanized and
repeats them in their own script in 880 fields, each linked to its regular field by $6:
"245-01/(3/r" is the 880 of the 245 with occurrence 01, in script "(3" (Arabic), written right to
left ("/r"). The 880s are read as the fields they stand for, by the same mapping functions, so
an original-script title is built exactly as the romanized one is.
"""

from dataclasses import dataclass
from typing import Any

from pymarc import Field, Record

from catalog.language_tags import RIGHT_TO_LEFT_SCRIPTS, language_tag, script_of
from catalog.mapping import agents, description, publication, subjects, titles
from catalog.mapping.marc import control, fields

# MARC 21 script identification codes in $6 -> ISO 15924.
SCRIPT_CODES = {"(3": "Arab", "(4": "Arab", "(B": "Latn", "$1": "Hani", "(N": "Cyrl", "(Q": "Cyrl"}
SCRIPT_CODES |= {"(S": "Grek", "(2": "Hebr"}


@dataclass(frozen=True)
class Linkage:
    """A parsed $6: the linked tag, the script (ISO 15924, "" when not given) and direction."""

    tag: str
    script: str
    right_to_left: bool


def linkage(value: str) -> Linkage | None:
    """ "245-01/(3/r" -> Linkage("245", "Arab", True); None when $6 names no field."""
    parts = value.strip().split("/")
    tag = parts[0].split("-", 1)[0]
    if len(tag) != 3 or not tag.isdigit():
        return None
    script = SCRIPT_CODES.get(parts[1].strip(), "") if len(parts) > 1 else ""
    right_to_left = len(parts) > 2 and parts[2].strip().lower() == "r"
    return Linkage(tag, script, right_to_left)


def _linked(record: Record) -> list[tuple[Linkage, Field]]:
    found = []
    for field in fields(record, "880"):
        six = next((sf.value for sf in field.subfields if sf.code == "6" and sf.value), "")
        link = linkage(six)
        if link is not None:
            found.append((link, field))
    return found


def _as_record(record: Record, linked: list[tuple[Linkage, Field]]) -> Record:
    """The 880s as the fields they stand for (with the record's leader and 008)."""
    alternate = Record(leader=str(record.leader or "").ljust(24))
    alternate.add_field(Field(tag="008", data=control(record, "008")))
    for link, field in linked:
        subfields = [sf for sf in field.subfields if sf.code != "6"]
        alternate.add_field(Field(tag=link.tag, indicators=field.indicators, subfields=subfields))
    return alternate


def original_script(record: Record) -> dict[str, Any]:
    """Title, names and imprint from the 880s with the script, lang and dir to show them in; {}
    when the record has none. Keys: title, subtitle, responsibility, authors, contributors
    ([str]), publisher, place, edition, series and subjects ([str]), summary, script (ISO 15924),
    lang (BCP 47) and dir."""
    linked = _linked(record)
    if not linked:
        return {}
    alternate = _as_record(record, linked)
    data: dict[str, Any] = {
        "title": titles.title(alternate) if fields(alternate, "245", "240", "130", "740") else "",
        "subtitle": titles.subtitle(alternate),
        "responsibility": titles.responsibility(alternate),
        "authors": [agent["name"] for agent in agents.authors(alternate)],
        "contributors": [agent["name"] for agent in agents.contributors(alternate)],
        "publisher": publication.publisher(alternate),
        "place": publication.place(alternate),
        "edition": titles.edition(alternate),
        "series": titles.series(alternate),
        "subjects": [heading["term"] for heading in subjects.subjects(alternate)],
        "summary": description.summary(alternate),
    }
    main = next((link for link, _ in linked if link.tag == "245"), linked[0][0])
    texts = [value for value in data.values() if isinstance(value, str) and value]
    names = [name for value in data.values() if isinstance(value, list) for name in value]
    script = main.script or script_of(" ".join([*texts, *names]))
    codes = description.languages(record)
    data["script"] = script
    data["lang"] = language_tag(codes[0], script) if codes else ""
    data["dir"] = "rtl" if main.right_to_left or script in RIGHT_TO_LEFT_SCRIPTS else "ltr"
    return data
