"""What tells one manifestation from its look-alikes: carrier, host item, part numbers, publisher numbers.

- ``carrier``: "medium/encoding", each half "" when the record does not say: medium from 300,
  338 and 007 (dvd, bluray, vhs, lp, cd, cassette, online, direct), encoding from 347, 538 and
  300 (daisy, mp3, pdf, epub). Two records that both state a half and differ in it are different
  manifestations, whatever the coarse format says.
- ``host``: a component part's host item and position (773 $w, else $t; and $g), "" otherwise.
- ``parts``: the part numbers of the title proper (245 $n), normalized; ``series_numbers``: the
  numbering within series (490/830 $v).
- ``part_isbns``: ISBNs that 020 $q (or a qualifier after the number) assigns to one part
  ("osa 1", "del 2", "vol. 3"): ISBN-13 → the part's number; ``set_isbns``: those it assigns to
  the whole set or series ("hela verket", "serien"), which a volume's record lists too.
- ``publisher_numbers``: publisher/issue numbers of music and video (028 $a), upper-cased without
  spaces or hyphens.
"""

import re

from pymarc import Record

from catalog.mapping.identifiers import normalize_isbn
from catalog.mapping.marc import control, fields, per_record, subfields, unique

# (pattern, medium), first match wins; read from the lower-cased text of 300, 538, 347 and 338 $a.
_MEDIUM_WORDS = (
    (re.compile(r"blu-?ray"), "bluray"),
    (re.compile(r"\bdvd"), "dvd"),
    (re.compile(r"\bvhs\b|videokassett|videocassette"), "vhs"),
    (re.compile(r"\blp\b|lp-skiv|vinyl|33 ?(?:1/3 )?(?:rpm|varv)"), "lp"),
    (re.compile(r"kassett|cassette"), "cassette"),
    (re.compile(r"\bcd\b|cd-skiv|cd-rom|compact disc|ljudskiva|audio disc"), "cd"),
    (re.compile(r"onlineresurs|online resource|world wide web|internet|ljudfil|e-bok"), "online"),
)
_ENCODING_WORDS = (
    (re.compile(r"daisy|talbok|talböcker"), "daisy"),
    (re.compile(r"\bepub"), "epub"),
    (re.compile(r"\bpdf\b"), "pdf"),
    (re.compile(r"\bmp3\b"), "mp3"),
)
# 338 $b carrier codes and 007/00-01 categories that name a medium outright.
_MEDIUM_CODES = {
    "cr": "online",
    "ss": "cassette",
    "vf": "vhs",
    "co": "direct",
    "cd": "direct",
    "ck": "direct",
}
_PART_WORDS = re.compile(r"\b(?:osa|del|band|bd|vol|volume|part|pt|nr|häfte|t)\.?\s*([0-9ivxlc]+)\b", re.I)
_SET_WORDS = re.compile(r"hela verket|hela serien|\bserien\b|\bset\b|komplett|samtliga|\bsats\b", re.I)
_NUMBER = re.compile(r"[0-9]+|\b[ivxlc]+\b", re.I)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
# Other title information that names a part: "del 2", "Band II", "vol. 3", "osa 1", or a bare "2"/"II".
_TYPED_PART = re.compile(
    r"\s*(?:(?:del|delen|band|bd|vol|volym|volume|part|osa|bok|book|nr|no)\.?\s*)?(?:[0-9]{1,3}|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3}))\s*[.,;/]?\s*$",
    re.I,
)
_PUBLISHER_NUMBER = re.compile(r"[\s.\-/]+")
_ISBN_AT_START = re.compile(r"^\s*[0-9Xx][0-9Xx\s-]{8,20}")


def _text(record: Record, *tags: str) -> str:
    return " ".join(" ".join(sf.value or "" for sf in f.subfields) for f in fields(record, *tags)).lower()


def _medium_007(record: Record) -> str:
    for field in fields(record, "007"):
        data = (field.data or "").lower()
        if data[:2] == "vd" and len(data) > 4:
            return {"v": "dvd", "s": "bluray"}.get(data[4], "")
        if data[:2] == "sd" and len(data) > 6:
            return {"b": "lp", "f": "cd"}.get(data[3], "") or {"e": "lp", "g": "cd"}.get(data[6], "")
        if data[:2] in _MEDIUM_CODES:
            return _MEDIUM_CODES[data[:2]]
    return ""


def _medium(record: Record) -> str:
    # 338 by its term ($a) only: its code "cd" is a computer disc, not an audio CD.
    terms = " ".join(a for f in fields(record, "338") for a in subfields(f, "a")).lower()
    text = _text(record, "300", "538", "347") + " " + terms
    found = next((medium for pattern, medium in _MEDIUM_WORDS if pattern.search(text)), "")
    if found:
        return found
    codes = [code.lower() for f in fields(record, "338") for code in subfields(f, "b")]
    found = next((_MEDIUM_CODES[code] for code in codes if code in _MEDIUM_CODES), "")
    if found:
        return found
    form = control(record, "008")[23:24]
    leader6 = str(record.leader or "")[6:7]
    if leader6 in ("a", "t", "m") and form in ("o", "q"):
        return "online" if form == "o" else "direct"
    return _medium_007(record)


def carrier(record: Record) -> str:
    """ "medium/encoding", e.g. "dvd/", "cd/daisy", "online/epub", "/" when nothing is said.

    A sound disc that names no other encoding is a plain audio CD ("cd/cdda"): a DAISY talking
    book says so (DAISY, talbok) somewhere a library would write it."""
    text = _text(record, "245", "300", "347", "500", "538", "655")
    encoding = next((name for pattern, name in _ENCODING_WORDS if pattern.search(text)), "")
    medium = _medium(record)
    if medium == "cd" and not encoding and str(record.leader or "")[6:7] in ("i", "j"):
        encoding = "cdda"
    return f"{medium}/{encoding}"


def host(record: Record) -> str:
    """773 $w (else $t) and $g of a component part: "(se-libr)123|spår 4"; "" for a whole item."""
    for field in fields(record, "773"):
        item = " ".join(subfields(field, "w")) or " ".join(subfields(field, "t"))
        if item:
            return f"{item}|{' '.join(subfields(field, 'g'))}".lower()
    return ""


def _number(text: str) -> str:
    """The first number in a part designation, roman numerals read: "Del II" → "2"."""
    match = _NUMBER.search(text)
    if not match:
        return " ".join(text.lower().split())
    value = match.group(0).lower()
    if value.isdigit():
        return str(int(value))
    total = 0
    for char, following in zip(value, value[1:] + " ", strict=True):
        worth = _ROMAN[char]
        total += -worth if following in _ROMAN and _ROMAN[following] > worth else worth
    return str(total)


def parts(record: Record) -> list[str]:
    """245 $n, else a part typed as other title information ("Mumintrollen : del 2", $b "Band II")."""
    found = [_number(n) for f in fields(record, "245") for n in subfields(f, "n")]
    if not found:
        for field in fields(record, "245"):
            typed = [a.split(" : ", 1)[1] for a in subfields(field, "a") if " : " in a]
            found += [_number(text) for text in [*typed, *subfields(field, "b")] if _TYPED_PART.match(text)]
    return unique([n for n in found if n])


def series_numbers(record: Record) -> list[str]:
    found = [_number(v) for f in fields(record, "490", "830", "800") for v in subfields(f, "v")]
    return unique([n for n in found if n])


@per_record
def _qualified_isbns(record: Record) -> tuple[tuple[str, str], ...]:
    """(ISBN-13, qualifier text) of each valid 020 $a: $q and what follows the number in $a."""
    found = []
    for field in fields(record, "020"):
        isbn = next((normalize_isbn(v) for v in subfields(field, "a") if normalize_isbn(v)), None)
        if isbn:
            after_number = (_ISBN_AT_START.sub("", a, count=1) for a in subfields(field, "a"))
            found.append((isbn, " ".join([*subfields(field, "q"), *after_number])))
    return tuple(found)


def part_isbns(record: Record) -> dict[str, str]:
    """ISBN-13 → part number, for the ISBNs 020 qualifies as one part's ("osa 1", "(del 2)")."""
    found: dict[str, str] = {}
    for isbn, qualifier in _qualified_isbns(record):
        match = _PART_WORDS.search(qualifier)
        if match:
            found[isbn] = _number(match.group(1))
    return found


def set_isbns(record: Record) -> list[str]:
    """ISBNs 020 qualifies as the whole set's or series' ("hela verket"): not this volume's."""
    return unique([isbn for isbn, qualifier in _qualified_isbns(record) if _SET_WORDS.search(qualifier)])


def publisher_numbers(record: Record) -> list[str]:
    found = [_PUBLISHER_NUMBER.sub("", a).upper() for f in fields(record, "028") for a in subfields(f, "a")]
    return unique([number for number in found if len(number) >= 4])
