"""Publication: place, publisher and year (264 ind2=1 preferred over 260; 008/07-10 for the year)."""

import re

from pymarc import Field, Record

from catalog.mapping.marc import control, fields, position, subfields

_YEAR = re.compile(r"(1[0-9]{3}|20[0-9]{2})")


def _publication_field(record: Record) -> Field | None:
    """264 with ind2 1 (publication), else 260, else any 264 (e.g. copyright date only)."""
    published = [f for f in fields(record, "264") if f.indicator2 == "1"]
    candidates = published or fields(record, "260") or fields(record, "264")
    return candidates[0] if candidates else None


def place(record: Record) -> str:
    field = _publication_field(record)
    return "; ".join(subfields(field, "a")) if field is not None else ""


def publisher(record: Record) -> str:
    field = _publication_field(record)
    return "; ".join(subfields(field, "b")) if field is not None else ""


def year(record: Record) -> int | None:
    """008/07-10 when it is a year, else the first year in 264/260 $c; None when neither has one."""
    fixed = position(control(record, "008"), 7, 10)
    if fixed.isdigit() and 1000 <= int(fixed) <= 2100:
        return int(fixed)
    for field in [f for f in (_publication_field(record),) if f is not None] + fields(record, "264"):
        for value in subfields(field, "c"):
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None
