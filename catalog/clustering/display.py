"""The cluster's display record and its denormalized ``Cluster.data``.

Display record rule: a LIBRIS record (one with a LIBRIS id) before a local one; among those,
the most complete record (most filled-in normalized fields, subjects and notes counting one
each); ties go to the first record in canonical order (source id, local id). ``Cluster.data``
is the display record's normalized fields with identifiers, formats, languages and accessible
media replaced by the union over all members (display record's first), plus ``libris_ids`` and
``member_count``.
"""

from typing import Any

# accessibility too: a copy catalogued as large print or easy-to-read makes the whole cluster so.
UNION_FIELDS = (
    "isbns",
    "invalid_isbns",
    "issns",
    "eans",
    "system_numbers",
    "languages",
    "formats",
    "accessibility",
)


_EMPTY_KINDS = (str, list, dict)


def completeness(data: dict[str, Any]) -> int:
    """How many normalized fields the record fills in (each list counts once): all but those that
    are None, "", [] or {} (about half of them; only those are looked at twice)."""
    return len(data) - sum(
        1 for value in data.values() if not value and (value is None or value.__class__ in _EMPTY_KINDS)
    )


def display_rank(data: dict[str, Any], order: tuple[int, str]) -> tuple[int, int, tuple[int, str]]:
    """Smallest rank wins: LIBRIS first, then most complete, then canonical order."""
    return (0 if data.get("libris_id") else 1, -completeness(data), order)


def choose_display(members: list[tuple[int, tuple[int, str], dict[str, Any]]]) -> int:
    """The id of the display record among (id, canonical order, data) members."""
    if len(members) == 1:
        return members[0][0]
    return min(members, key=lambda m: display_rank(m[2], m[1]))[0]


def cluster_data(display: dict[str, Any], others: list[dict[str, Any]]) -> dict[str, Any]:
    """Display record's fields + the union of identifiers/formats/languages of every member."""
    data = dict(display)
    if not others:  # most clusters: the record alone, its lists without repeats
        for name in UNION_FIELDS:
            data[name] = list(dict.fromkeys(display.get(name) or ()))
        data["libris_ids"] = [display["libris_id"]] if display.get("libris_id") else []
    else:
        everyone = [display, *others]
        for name in UNION_FIELDS:
            data[name] = list(dict.fromkeys([v for member in everyone for v in (member.get(name) or ())]))
        data["libris_ids"] = list(dict.fromkeys([m["libris_id"] for m in everyone if m.get("libris_id")]))
    data["member_count"] = len(others) + 1
    return data
