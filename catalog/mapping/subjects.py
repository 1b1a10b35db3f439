"""Subjects (600-653) and genre/form (655) with their thesaurus; classification (084, SAB)."""

from pymarc import Field, Record

from catalog.mapping.marc import fields, subfields, unique

# Second indicator → thesaurus; 7 means "named in $2" (sao, barn, saogf, kao, gmgpc/swe, …).
THESAURUS_BY_INDICATOR = {
    "0": "lcsh",
    "1": "lcshac",
    "2": "mesh",
    "3": "nal",
    "4": "local",
    "5": "cash",
    "6": "rvm",
}
# Swedish vocabularies as LIBRIS writes them in $2, to one spelling each.
THESAURUS_ALIASES = {"barnamnesord": "barn", "barnämnesord": "barn", "sao": "sao", "saogf": "saogf"}
_SUBJECT_TAGS = ("600", "610", "611", "630", "647", "648", "650", "651", "653")
# Dates ($d) of persons are left out so a subject reads like the author list.
_TERM_CODES = "abcgnpqt"
_SUBDIVISION_CODES = "vxyz"


def thesaurus(field: Field) -> str:
    if field.tag == "653":
        return "uncontrolled"
    if field.indicator2 == "7":
        source = (subfields(field, "2") or [""])[0].lower()
        return THESAURUS_ALIASES.get(source, source) or "unknown"
    return THESAURUS_BY_INDICATOR.get(field.indicator2 or "", "unknown")


def heading(field: Field) -> str:
    """ "Sverige -- historia -- 1900-talet": the term, then its subdivisions."""
    codes = _TERM_CODES + ("d" if field.tag in ("611", "630", "647") else "")
    term = " ".join(subfields(field, *codes))
    return " -- ".join([term, *subfields(field, *_SUBDIVISION_CODES)]) if term else ""


def _headings(record: Record, *tags: str) -> list[dict[str, str]]:
    found = [(heading(f), thesaurus(f)) for f in fields(record, *tags)]
    pairs = unique([f"{term}\x1f{source}" for term, source in found if term])
    return [{"term": pair.split("\x1f")[0], "thesaurus": pair.split("\x1f")[1]} for pair in pairs]


def subjects(record: Record) -> list[dict[str, str]]:
    return _headings(record, *_SUBJECT_TAGS)


def genres(record: Record) -> list[dict[str, str]]:
    return _headings(record, "655")


def classifications(record: Record) -> list[dict[str, str]]:
    """084 (SAB "kssb/8" and others) and 082 (DDC): [{"code", "scheme"}]."""
    found: list[dict[str, str]] = []
    for field in fields(record, "084", "082"):
        scheme = (subfields(field, "2") or ["ddc" if field.tag == "082" else ""])[0]
        found += [{"code": code, "scheme": scheme} for code in subfields(field, "a")]
    return found
