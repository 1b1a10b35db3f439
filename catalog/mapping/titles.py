"""Title (245 $a $b $n $p, non-filing characters), responsibility, edition (250), extent (300), series.

A 245 without $a (a form heading in $k only) or no usable 245 at all falls back to 245 $k, then to
the uniform title (240, 130), then to the first related title (740): a record always has a title
to show and to match on when it has any.
"""

from pymarc import Field, Record

from catalog.mapping.marc import fields, joined, subfields, tidy, unique


def _title_field(record: Record) -> Field | None:
    found = fields(record, "245")
    return found[0] if found else None


def title_proper(record: Record) -> str:
    """245 $a, else the fallbacks (245 $k, 240, 130, 740 $a)."""
    field = _title_field(record)
    main = " ".join(subfields(field, "a")) if field is not None else ""
    if main or (field is not None and subfields(field, "n", "p")):
        return main
    if field is not None and subfields(field, "k"):
        return " ".join(subfields(field, "k"))
    for other in fields(record, "240", "130", "740"):
        if subfields(other, "a"):
            return " ".join(subfields(other, "a"))
    return ""


def title(record: Record) -> str:
    """Title proper with number and name of part: "Mumintrollen. 3, Farlig midsommar"."""
    field = _title_field(record)
    main = title_proper(record)
    parts = subfields(field, "n", "p") if field is not None else []
    return ". ".join([main, *parts]) if main and parts else main or ". ".join(parts)


def subtitle(record: Record) -> str:
    field = _title_field(record)
    return joined(field, "b") if field is not None else ""


def title_sort(record: Record) -> str:
    """Lower-cased title without its non-filing characters (245 ind2 counts them: "The ", "En ")."""
    field = _title_field(record)
    if field is None or not subfields(field, "a"):
        return title(record).lower()
    raw_a = " ".join(sf.value or "" for sf in field.subfields if sf.code == "a").lstrip()
    skip = int(field.indicator2) if (field.indicator2 or "").isdigit() else 0
    main = tidy(raw_a[skip:] if 0 < skip < len(raw_a) else raw_a)
    parts = subfields(field, "n", "p")
    return ". ".join([main, *parts]).lower() if main else title(record).lower()


def responsibility(record: Record) -> str:
    field = _title_field(record)
    return joined(field, "c") if field is not None else ""


def edition(record: Record) -> str:
    return "; ".join(joined(f, "ab") for f in fields(record, "250") if joined(f, "ab"))


_EXTENT_SEPARATORS = {"a": " ", "b": " : ", "c": " ; ", "e": " + "}


def extent(record: Record) -> str:
    """Physical description: "102, [1] s. : ill. ; 25 cm"."""
    parts: list[str] = []
    for field in fields(record, "300"):
        text = ""
        for sf in field.subfields:
            value = tidy(sf.value or "") if sf.code in _EXTENT_SEPARATORS else ""
            text += _EXTENT_SEPARATORS[sf.code] + value if value else ""
        if text.strip(" :;+"):
            parts.append(text.strip(" :;+"))
    return "; ".join(parts)


def _series_name(field: Field) -> str:
    if field.tag in ("490", "830"):
        return " ".join(subfields(field, "a", "p"))
    return " ".join(subfields(field, "t")) or " ".join(subfields(field, "a"))


def series(record: Record) -> list[str]:
    """Series statements (490) and controlled series (800/810/811/830), e.g. "Mumin ; 3"."""
    found: list[str] = []
    for field in fields(record, "490", "800", "810", "811", "830"):
        name, number = _series_name(field), " ".join(subfields(field, "v"))
        if name:
            found.append(f"{name} ; {number}" if number else name)
    return unique(found)
