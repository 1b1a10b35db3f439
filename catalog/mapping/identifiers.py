"""Identifiers: ISBN (020), ISSN (022), EAN/UPC (024), LIBRIS id and system numbers (001/003/035)."""

import re
from functools import lru_cache
from operator import mul

from pymarc import Record

from catalog.mapping.marc import control, fields, unique

# The number at the start of a subfield: "91-0-056322-6 (inb.) ;" → "91-0-056322-6".
_ISBN_TOKEN = re.compile(r"^\s*([0-9Xx][0-9Xx\s-]{8,20})")
_ISBN_SEPARATORS = re.compile(r"[\s-]")
_ISBN10_WEIGHTS = range(10, 1, -1)
_ISSN_TOKEN = re.compile(r"(\d{4})\s*-?\s*(\d{3}[\dXx])")
LIBRIS_ORGS = ("SE-LIBR", "LIBRIS")
_LIBRIS_035 = re.compile(r"^\((?:SE-LIBR|LIBRIS)\)\s*(\S+)$", re.IGNORECASE)


def _isbn10_check(digits: str) -> str:
    total = sum(map(mul, _ISBN10_WEIGHTS, map(int, digits[:9])))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _ean13_check(digits: str) -> str:
    total = sum(map(int, digits[0:12:2])) + 3 * sum(map(int, digits[1:12:2]))
    return str((10 - total % 10) % 10)


def isbn_digits(value: str) -> str:
    """The bare ISBN characters at the start of a subfield, upper-cased, '' if none."""
    match = _ISBN_TOKEN.match(value or "")
    return _ISBN_SEPARATORS.sub("", match.group(1)).upper() if match else ""


@lru_cache(maxsize=1024)  # each 020 $a is asked twice (isbns, invalid_isbns)
def normalize_isbn(value: str) -> str | None:
    """A valid ISBN-10 or ISBN-13 as ISBN-13 digits; None when the check digit is wrong."""
    digits = isbn_digits(value)
    if len(digits) == 10 and digits[:9].isdigit() and _isbn10_check(digits) == digits[9]:
        body = "978" + digits[:9]
        return body + _ean13_check(body)
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        return digits if _ean13_check(digits) == digits[12] else None
    return None


def isbn13(text: str) -> str | None:
    """The ISBN-13 of a typed ISBN-10 or ISBN-13 (hyphens or spaces allowed) when the whole text is
    one with a valid check digit; None otherwise."""
    digits = _ISBN_SEPARATORS.sub("", text).upper()
    return normalize_isbn(digits) if len(digits) in (10, 13) else None


def isbns(record: Record) -> list[str]:
    """Valid ISBNs from 020 $a, normalized to ISBN-13."""
    found = (normalize_isbn(sf.value) for f in fields(record, "020") for sf in f.subfields if sf.code == "a")
    return unique([isbn for isbn in found if isbn])


def invalid_isbns(record: Record) -> list[str]:
    """020 $z (cancelled/invalid) and any 020 $a whose check digit fails, as written (bare digits)."""
    found: list[str] = []
    for field in fields(record, "020"):
        for sf in field.subfields:
            if sf.code == "z" or (sf.code == "a" and normalize_isbn(sf.value) is None):
                found.append(isbn_digits(sf.value) or sf.value.strip())
    return unique([value for value in found if value])


def normalize_issn(value: str) -> str | None:
    match = _ISSN_TOKEN.search(value or "")
    if not match:
        return None
    digits = (match.group(1) + match.group(2)).upper()
    total = sum((8 - i) * int(d) for i, d in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return f"{digits[:4]}-{digits[4:]}" if digits[7] == expected else None


def issns(record: Record) -> list[str]:
    """Valid ISSNs from 022 $a (and $l, the linking ISSN)."""
    found = (normalize_issn(sf.value) for f in fields(record, "022") for sf in f.subfields if sf.code in "al")
    return unique([issn for issn in found if issn])


def normalize_ean(value: str) -> str | None:
    """A valid EAN-13 (or UPC-A, prefixed with 0) from 024 $a; ISBN-prefixed EANs are ISBNs."""
    digits = re.sub(r"\D", "", (value or "").split(" ")[0])
    if len(digits) == 12:
        digits = "0" + digits
    if len(digits) != 13 or _ean13_check(digits) != digits[12]:
        return None
    return digits


def eans(record: Record) -> list[str]:
    """EAN-13/UPC from 024 with first indicator 3 (EAN) or 1 (UPC)."""
    found = (
        normalize_ean(sf.value)
        for f in fields(record, "024")
        if f.indicator1 in ("1", "3")
        for sf in f.subfields
        if sf.code == "a"
    )
    return unique([ean for ean in found if ean])


def libris_id(record: Record) -> str | None:
    """The LIBRIS record id: 001 when 003 says SE-LIBR, else a 035 "(SE-LIBR)…" / "(LIBRIS)…".

    A bare 001 without 003 is NOT taken: local ILS record numbers would collide across libraries.
    """
    own = control(record, "001").strip()
    if own and control(record, "003").strip().upper() in LIBRIS_ORGS:
        return own
    for field in fields(record, "035"):
        for sf in field.subfields:
            match = _LIBRIS_035.match((sf.value or "").strip()) if sf.code == "a" else None
            if match:
                return match.group(1)
    return None


def system_numbers(record: Record) -> list[str]:
    """Every system number: "(003)001" for the record's own id and each 035 $a."""
    found: list[str] = []
    own, org = control(record, "001").strip(), control(record, "003").strip()
    if own:
        found.append(f"({org}){own}" if org else own)
    found += [
        sf.value.strip() for f in fields(record, "035") for sf in f.subfields if sf.code == "a" and sf.value
    ]
    return unique(found)
