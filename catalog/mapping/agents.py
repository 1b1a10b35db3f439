"""Authors and contributors with roles (100/110/111, 700/710/711; relator codes $4, terms $e/$j)."""

from pymarc import Field, Record

from catalog.mapping.marc import fields, subfields, tidy, unique

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


def agent_name(field: Field) -> str:
    """The name as a patron reads it: personal name, numeration, titles; no dates."""
    return tidy(" ".join(subfields(field, *_NAME_CODES.get(field.tag, "a"))))


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
    found = [{"name": agent_name(f), "role": agent_role(f)} for f in fields(record, *tags)]
    keys = unique([f"{a['name']}\x1f{a['role']}" for a in found if a["name"]])
    return [{"name": key.split("\x1f")[0], "role": key.split("\x1f")[1]} for key in keys]


def authors(record: Record) -> list[dict[str, str]]:
    """Main entry (1XX) first, then added entries (7XX) that are authors/creators."""
    main = _agents(record, "100", "110", "111")
    for agent in main:
        agent["role"] = agent["role"] or "aut"
    added = [a for a in _agents(record, "700", "710", "711") if a["role"] in AUTHOR_ROLES - {""}]
    return main + [a for a in added if a["name"] not in {m["name"] for m in main}]


def contributors(record: Record) -> list[dict[str, str]]:
    """Added entries (7XX) that are not authors: illustrators, translators, narrators …"""
    return [a for a in _agents(record, "700", "710", "711") if a["role"] not in AUTHOR_ROLES - {""}]
