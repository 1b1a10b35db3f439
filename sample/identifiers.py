"""Identifiers the generator hands out: ISBN, EAN, ISSN, LIBRIS ids, each unique by construction.

Numbers come from a counter through an affine permutation (multiplier coprime with the range),
so they look scattered but never repeat. Each language has its own ISBN registration group, and
the groups are prefix-free, so ISBNs are unique across the whole county.
"""

from functools import lru_cache

ISBN_GROUPS = {
    **{"swe": "91", "eng": "1", "ara": "9953", "per": "964", "som": "9966", "fin": "951"},
    **{"ukr": "966", "sme": "82"},
}
# Languages whose books are published in another language's group (Meänkieli in Sweden): they
# draw from that group's counter, so their ISBNs stay unique.
ISBN_GROUP_LANGUAGE = {"fit": "swe"}
# Publisher-prefix lengths of group 91 by the digits after the group (ISBN ranges, abridged).
_SWEDISH_RANGES = ((0, 19, 1), (20, 49, 2), (500, 649, 3), (7000, 7999, 4), (85000, 94999, 5))
_MULTIPLIER = 7_919_317  # coprime with every power of ten


def _permute(counter: int, digits: int) -> str:
    space = 10**digits
    if counter >= space:
        raise ValueError(f"identifier space of {digits} digits exhausted")
    return str((counter * _MULTIPLIER + 1_234_567) % space).zfill(digits)


def ean13_check(body12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body12))
    return str((10 - total % 10) % 10)


def isbn10_check(body9: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(body9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn_body(language: str, counter: int) -> str:
    """The nine digits of an ISBN-10 without its check digit (group + publisher + title)."""
    group = ISBN_GROUPS.get(language, ISBN_GROUPS["eng"])
    return group + _permute(counter, 9 - len(group))


def _publisher_length(group: str, rest: str) -> int:
    if group != "91":
        return min(3, len(rest) - 1)
    for low, high, length in _SWEDISH_RANGES:
        if low <= int(rest[:length]) <= high:
            return length
    return 3


@lru_cache(maxsize=256)
def isbn_forms(body9: str) -> dict[str, str]:
    """One ISBN written the ways catalogues write it: 10/13 digits, bare or hyphenated."""
    group = next(g for g in ISBN_GROUPS.values() if body9.startswith(g))
    rest = body9[len(group) :]
    cut = _publisher_length(group, rest)
    publisher, title = rest[:cut], rest[cut:]
    check10 = isbn10_check(body9)
    body12 = "978" + body9
    check13 = ean13_check(body12)
    return {
        "isbn10": body9 + check10,
        "isbn13": body12 + check13,
        "hyphen10": f"{group}-{publisher}-{title}-{check10}",
        "hyphen13": f"978-{group}-{publisher}-{title}-{check13}",
    }


def ean(counter: int) -> str:
    """An EAN-13 from the Swedish GS1 range (73x), never an ISBN-prefixed one."""
    body = "73" + _permute(counter, 10)
    return body + ean13_check(body)


def issn(counter: int) -> str:
    body = "1" + _permute(counter, 6)
    total = sum((8 - i) * int(d) for i, d in enumerate(body))
    check = (11 - total % 11) % 11
    return f"{body[:4]}-{body[4:]}{'X' if check == 10 else check}"


def libris_id(counter: int) -> str:
    return str(10_000_000 + int(_permute(counter, 7)))
