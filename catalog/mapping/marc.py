"""Small readers shared by the mapping functions: subfield values, controlfield positions, tidying."""

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

from pymarc import Field, Record

Answer = TypeVar("Answer")

# ISBD punctuation that cataloguers leave around a subfield ("Stockholm :", "Bonnier,"), and
# the Arabic comma and semicolon an Arabic-script field (880) ends with ("دار الكتب العلمية،").
_SEPARATORS = " \t/:;,=+\u060c\u061b"
# A final dot is kept after an abbreviation ("ill.", "2. uppl.", "Tove J.") and dropped otherwise.
_ABBREVIATION_END = re.compile(r"(?:\b[A-ZÅÄÖ]|\b[a-zåäö]{1,5}|\b\d{1,3})\.$")


@lru_cache(maxsize=8192)  # mapping tidies the same subfield several times (title, sort key, keys)
def tidy(value: str) -> str:
    """Strip surrounding ISBD punctuation; keep the dot of an abbreviation; compose (NFC) letters."""
    text = " ".join(value.split()).strip(_SEPARATORS)
    if not text.isascii():
        # Some exports write å as a + combining ring (NFD); store one form so pages and keys agree.
        text = unicodedata.normalize("NFC", text)
    while text.endswith(".") and not _ABBREVIATION_END.search(text):
        text = text[:-1].rstrip(_SEPARATORS)
    return text


def per_record(question: Callable[[Record], Answer]) -> Callable[[Record], Answer]:
    """Remember a question's answer for the last record asked: mapping asks some (its fields by
    tag, the primary format, large print, qualified ISBNs) several times per record. Holding the
    record itself (not its id) makes a stale hit impossible, and a field added is seen. Every
    caller gets the same answer: callers must not change it."""
    last: list[tuple[Record | None, int, Any]] = [(None, -1, None)]

    @wraps(question)
    def answer(record: Record) -> Answer:
        entry = last[0]  # one read: another thread may replace it meanwhile
        if entry[0] is record and entry[1] == len(record.fields):
            return entry[2]  # type: ignore[no-any-return]
        found = question(record)
        last[0] = (record, len(record.fields), found)
        return found

    return answer


@per_record  # mapping asks ~30 times per record; pymarc scans every field every time
def _by_tag(record: Record) -> dict[str, list[Field]]:
    index: dict[str, list[Field]] = {}
    for field in record.fields:
        index.setdefault(field.tag, []).append(field)
    return index


def fields(record: Record, *tags: str) -> list[Field]:
    """Fields with these tags, in record order."""
    index = _by_tag(record)
    if len(tags) == 1:
        return list(index.get(tags[0], ()))
    present = [tag for tag in tags if tag in index]
    if len(present) <= 1:
        return list(index[present[0]]) if present else []
    wanted = set(present)
    return [field for field in record.fields if field.tag in wanted]


def subfields(field: Field, *codes: str) -> list[str]:
    """Values of the given subfield codes in field order, tidied, empty ones dropped."""
    found = []
    for code, value in getattr(field, "subfields", ()):  # mapping asks ~50 times a record: one loop
        if code in codes and value and (text := tidy(value)):
            found.append(text)
    return found


def first_subfield(field: Field, code: str) -> str:
    for found, value in getattr(field, "subfields", ()):
        if found == code and value and (text := tidy(value)):
            return text
    return ""


def joined(field: Field, codes: str, separator: str = " ") -> str:
    return separator.join(subfields(field, *codes))


def control(record: Record, tag: str) -> str:
    found = _by_tag(record).get(tag)
    return (found[0].data or "") if found else ""


def position(value: str, start: int, end: int | None = None) -> str:
    """Characters start..end (inclusive) of a fixed field; '' when the field is too short."""
    stop = start + 1 if end is None else end + 1
    return value[start:stop] if len(value) >= stop else ""


def leader(record: Record) -> str:
    return str(record.leader or "").ljust(24)


def unique(values: list[str]) -> list[str]:
    """Order-preserving de-duplication."""
    return list(dict.fromkeys(values))
