"""Accessible media (catalog.accessible): which of its codes a bibliographic record carries.

What LIBRIS and Swedish public libraries' systems write, code by code:

- large_print: the format rule (catalog.mapping.formats.is_large_print: 008/23 or 006/06 ``d``,
  007/00-01 ``tb``, "storstil"/"large print" in 250, 300, 340 $n, 500, 655; a Koha item type
  952 $y ``STORSTIL``).
- braille: 008/23 (006/06) ``f`` of text, music and mixed material, 008/29 ``f`` of maps and
  visual material; 007/00 ``f`` (tactile material) or 007/00-01 ``tc`` (text in braille);
  336 $b ``tct``/``tcm``/``tci``/``tcf`` (tactile content) or 336 $a "tactile text"/"taktil text";
  "punktskrift"/"braille" in 300, 340, 341, 532, 546 or 655.
- talking_book: the format rule (leader/06 ``i`` and DAISY, "talbok"/"talböcker", an MTM or TPB
  publisher, a Legimus link, or a Koha item type ``DAISY``/``BARNTAL``/``TALBOK``).
- audiobook: every other spoken-word recording (leader/06 ``i``; LIBRIS adds 336 $b ``spw`` and
  655 "Ljudböcker" $2 saogf).
- easy_to_read: a 655 genre/form term "Lättläst …" (saogf, barngf; "Lättlästa böcker"), Finnish
  "Selkokirjat" or "easy-to-read"; a 500, 521 or 385 note that starts so ("Lättläst version");
  the easy-to-read publishers LL-förlaget, Nypon förlag and Vilja förlag (260/264 $b). A note that
  only mentions an easy-to-read edition ("Finns även som lättläst") is not one.
- sign_language: language code ``sgn`` (sign languages, MARC) or ``swl`` (Swedish Sign Language,
  ISO 639-3) in 008/35-37 or 041 $a/$d; "teckenspråk"/"sign language"/"viittomakieli" in 546, 655
  or 341; a sign-language interpreted film ("teckenspråkstolkad") in 500/538. A 650 subject
  "Teckenspråk" is a book *about* sign language and says nothing.
"""

import re

from pymarc import Record

from catalog.accessible import in_order
from catalog.mapping.formats import formats, is_large_print
from catalog.mapping.marc import control, fields, leader, position, subfields

SIGN_LANGUAGE_CODES = ("sgn", "swl")
TACTILE_CONTENT = ("tct", "tcm", "tci", "tcf")
_BRAILLE_WORDS = re.compile(r"punktskrift|braille|tactile text|taktil text")
_SIGN_WORDS = re.compile(r"teckenspråk|sign language|viittomakiel")
_INTERPRETED = re.compile(r"teckenspråkstolk|sign language interpret")
# A term or note that *is* the statement (starts with it), not one that mentions another edition.
_EASY_TERM = re.compile(r"^(?:lättläst|easy[- ]to[- ]read|selkokirj|selkokiel)")
_EASY_PUBLISHER = re.compile(r"^(?:ll-förl|ll förl|ll-forl|nypon|vilja förl)")
# 008 position that holds the form of item, by leader/06.
_FORM_AT_23 = "acdijmpt"
_FORM_AT_29 = "efgkor"


def _text(record: Record, *tags: str) -> str:
    return " ".join(" ".join(sf.value or "" for sf in f.subfields) for f in fields(record, *tags)).lower()


def _values(record: Record, tag: str, *codes: str) -> list[str]:
    return [value.lower() for field in fields(record, tag) for value in subfields(field, *codes)]


def _form_of_item(record: Record) -> set[str]:
    """008's form of item (23 or 29 by record type) and 006/06 of text additions."""
    record_type = leader(record)[6]
    f008 = control(record, "008")
    found = {position(f008, 23 if record_type in _FORM_AT_23 else 29)}
    found |= {(f.data or "")[6:7] for f in fields(record, "006") if (f.data or "")[:1] in ("a", "t")}
    return found - {""}


def is_braille(record: Record) -> bool:
    categories = [(f.data or "")[:2].lower() for f in fields(record, "007")]
    return (
        "f" in _form_of_item(record)
        or any(cat.startswith("f") or cat == "tc" for cat in categories)
        or any(code in TACTILE_CONTENT for code in _values(record, "336", "b"))
        or bool(_BRAILLE_WORDS.search(_text(record, "300", "336", "340", "341", "532", "546", "655")))
    )


def is_easy_to_read(record: Record) -> bool:
    terms = _values(record, "655", "a") + _values(record, "500", "a") + _values(record, "521", "a")
    terms += _values(record, "385", "a")
    publishers = _values(record, "260", "b") + _values(record, "264", "b")
    return any(_EASY_TERM.match(term) for term in terms) or any(
        _EASY_PUBLISHER.match(name) for name in publishers
    )


def _language_codes(record: Record) -> set[str]:
    found = {position(control(record, "008"), 35, 37).lower()}
    for value in _values(record, "041", "a", "d"):
        found |= {value[i : i + 3] for i in range(0, len(value), 3)}  # packed: "swesgn"
    return found


def is_sign_language(record: Record) -> bool:
    return (
        any(code in SIGN_LANGUAGE_CODES for code in _language_codes(record))
        or bool(_SIGN_WORDS.search(_text(record, "341", "546", "655")))
        or bool(_INTERPRETED.search(_text(record, "500", "538")))
    )


def accessibility(record: Record) -> list[str]:
    """The record's accessible-media codes, in catalog.accessible's order."""
    found = set(formats(record)) & {"large_print", "talking_book", "audiobook"}
    if leader(record)[6] in ("a", "t") and is_large_print(record):
        found.add("large_print")
    if is_braille(record):
        found.add("braille")
    if is_easy_to_read(record):
        found.add("easy_to_read")
    if is_sign_language(record):
        found.add("sign_language")
    return in_order(found)
