"""Authors and contributors with roles (100/110/111, 700/710/711; relator codes $4, terms $e/$j)."""

from pymarc import Field, Record

from catalog.mapping.marc import fields, per_record, subfields, tidy

# Relator terms (Swedish and English) as cataloguers write them in $e, to MARC relator codes.
RELATOR_TERMS = {
    "författare": "aut",
    "author": "aut",
    "upphov": "cre",
    "creator": "cre",
    "illustratör": "ill",
    "illustrator": "ill",
    "översättare": "trl",
    "translator": "trl",
    "övers": "trl",
    "redaktör": "edt",
    "editor": "edt",
    "red": "edt",
    "uppläsare": "nrt",
    "narrator": "nrt",
    "inläsare": "nrt",
    "kompositör": "cmp",
    "composer": "cmp",
    "regissör": "drt",
    "director": "drt",
    "skådespelare": "act",
    "actor": "act",
    "fotograf": "pht",
    "photographer": "pht",
    "sångare": "sng",
    "singer": "sng",
    "musiker": "mus",
    "musician": "mus",
    "textförfattare": "lyr",
    "lyricist": "lyr",
    "förord": "aui",
    "bearbetning": "adp",
    "adapter": "adp",
    "performer": "prf",
    "artist": "art",
    "konstnär": "art",
}
AUTHOR_ROLES = {"", "aut", "cre"}
_NAME_CODES = {"100": "abcq", "700": "abcq", "110": "abn", "710": "abn", "111": "acdn", "711": "acdn"}


# What an entry names, by the last two digits of its tag: X00 a person, X10 a body, X11 a meeting.
_KINDS = {"00": "person", "10": "organization", "11": "meeting"}


def agent_name(field: Field) -> str:
    """The name as a patron reads it: personal name, numeration, titles; no dates.

    A body keeps the full stop before each subordinate unit ("Sverige. Lantmäteriverket"): without
    it the name reads as a person's, and citation tools split it into first and last name.
    """
    parts = subfields(field, *_NAME_CODES.get(field.tag, "a"))
    if field.tag not in ("110", "710"):
        return tidy(" ".join(parts))
    codes = [sf.code for sf in field.subfields if sf.code in "abn" and tidy(sf.value or "")]
    name = ""
    for code, part in zip(codes, parts, strict=True):
        joiner = ". " if code == "b" and name else " "
        name = f"{name.rstrip('.')}{joiner}{part}" if name else part
    return tidy(name)


def agent_role(field: Field) -> str:
    """The first relator code ($4), else the first relator term ($e, $j for meetings) as a code."""
    codes = [code.lower().strip(". ") for code in subfields(field, "4")]
    codes = [code for code in codes if len(code) == 3 and code.isalpha()]
    if codes:
        return codes[0]
    for term in subfields(field, "e", "j"):
        key = term.lower().strip(". ")
        return RELATOR_TERMS.get(key, key)
    return ""


def _agents(record: Record, *tags: str) -> list[dict[str, str]]:
    found = [
        {"name": agent_name(f), "role": agent_role(f), "kind": _KINDS.get(f.tag[1:], "person")}
        for f in fields(record, *tags)
    ]
    seen: set[tuple[str, str]] = set()
    agents = []
    for agent in found:
        if agent["name"] and (agent["name"], agent["role"]) not in seen:
            seen.add((agent["name"], agent["role"]))
            agents.append(agent)
    return agents


def _added_author(agent: dict[str, str], has_main_entry: bool) -> bool:
    """Whether an added entry (7XX) names an author of the work.

    A relator says so itself (aut, cre). A person without any relator is a co-author when the
    record has a main entry: cataloguers enter a work by two or three authors under the first
    (1XX) and the others in 700 without a code, as VuFind's "secondary authors" read them. Under a
    title main entry (no 1XX) an unqualified 700 is more often an editor or compiler, so it stays
    a contributor there; that also keeps every record's first author, and with it the clustering
    keys, what it was.
    """
    if agent["role"]:
        return agent["role"] in AUTHOR_ROLES
    return has_main_entry and agent["kind"] == "person"


@per_record  # authors and contributors both read them: shared, so never changed (copied)
def _main_entries(record: Record) -> list[dict[str, str]]:
    return _agents(record, "100", "110", "111")


@per_record
def _added_entries(record: Record) -> list[dict[str, str]]:
    return _agents(record, "700", "710", "711")


def authors(record: Record) -> list[dict[str, str]]:
    """Main entry (1XX) first, then added entries (7XX) that name authors (see _added_author)."""
    main = _main_entries(record)
    added = [a for a in _added_entries(record) if _added_author(a, bool(main))]
    names = {m["name"] for m in main}
    return [
        {**agent, "role": agent["role"] or "aut"}
        for agent in main + [a for a in added if a["name"] not in names]
    ]


def contributors(record: Record) -> list[dict[str, str]]:
    """Added entries (7XX) that are not authors: illustrators, translators, narrators, bodies …"""
    has_main_entry = any(a["name"] for a in _main_entries(record))
    return [dict(a) for a in _added_entries(record) if not _added_author(a, has_main_entry)]
