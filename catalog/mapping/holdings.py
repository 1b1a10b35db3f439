"""Holdings: which library (sigel) and branch has copies, where, and their harvested status.

Profiles (``Source.holdings_profile``):

- ``libris``: LIBRIS holdings records (leader/06 u/v/x/y, linked to the bib by 004): one holding
  per library (a LIBRIS holdings record is one library's holding); 852 $b sigel, $c shelf,
  $h/$l call number (SAB), $j shelving control number, 866 textual holdings (serials); several
  852 of one library are its copies (``item_count``), the first shelf and call number are kept.
- ``852``: 852 fields in the bib record, one per field: library $b (else $a, else the source's
  library), shelf $c, call number $k $h $i $l $m (else $j), item id $p, copy count $t; 866/867/868
  $a, what a serial holding covers, go to the 852 their $8 links to (else to every 852).
- ``949``: one item per field: library $a (else the source's), branch $b, shelf $c, call number
  $d (else $h), item id $i (else $p), status $s (free text), due date $q.
- ``952`` (Koha): home branch $a / holding branch $b (the library when the source has none, the
  branch otherwise), shelving location $c, call number $o, barcode $p, due date $q (on loan),
  not for loan $7 (negative = ordered), lost $1, withdrawn $0, damaged $4.
- ``auto``: ``libris`` for holdings records, else the first of 952, 852, 949 present.
"""

import re
from datetime import date

from pymarc import Field, Record

from catalog.mapping.marc import fields, first_subfield, leader, subfields

HOLDINGS_TYPES = ("u", "v", "x", "y")
_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_STATUS_WORDS = {
    "available": ("tillgänglig", "inne", "available", "på hyllan", "hemma"),
    "on_loan": ("utlånad", "on loan", "checked out", "lånad"),
    "in_transit": ("transport", "in transit"),
    "on_hold_shelf": ("reserverad", "avhämtning", "on hold"),
    "ordered": ("beställd", "ordered", "on order"),
    "not_for_loan": ("referens", "ej hemlån", "not for loan", "lost", "förkommen", "saknas"),
}


def is_holdings_record(record: Record) -> bool:
    """Leader/06 u/v/x/y, unless the record carries a title (245 $a or $k) and links to no
    bibliographic record (004): that is a bibliographic description with a wrong leader, taken
    by its content rather than stored as holdings nobody sees."""
    if leader(record)[6] not in HOLDINGS_TYPES:
        return False
    titled = any(subfields(f, "a", "k") for f in fields(record, "245"))
    return not titled or bool(fields(record, "004"))


def parse_due_date(value: str) -> str | None:
    """ "2026-12-01", "20261201", "2026-12-01 23:59:00" → "2026-12-01"; None if not a date."""
    match = _DATE.search(value or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def holding(library: str, **values: object) -> dict[str, object]:
    """One holding in the contract's shape; unspecified keys get their neutral value."""
    base: dict[str, object] = {
        "library": library,
        "branch": "",
        "shelf": "",
        "call_number": "",
        "item_id": "",
        "item_count": 1,
        "status": "unknown",
        "due_date": None,
        "queue_length": None,
        "summary": "",
    }
    base.update(values)
    return base


def _call_number_852(field: Field) -> str:
    return " ".join(subfields(field, "k", "h", "i", "l", "m")) or " ".join(subfields(field, "j"))


def _count(value: str) -> int:
    return int(value) if value.isdigit() and int(value) > 0 else 1


def holdings_852(record: Record, default_library: str | None) -> list[dict[str, object]]:
    found = []
    statements = textual_holdings(record)
    for field in fields(record, "852"):
        library = first_subfield(field, "b") or first_subfield(field, "a") or default_library
        if library:
            found.append(
                holding(
                    library,
                    shelf=first_subfield(field, "c"),
                    call_number=_call_number_852(field),
                    item_id=first_subfield(field, "p"),
                    item_count=_count(first_subfield(field, "t")),
                    summary=_statement(statements, field),
                )
            )
    return found


def textual_holdings(record: Record) -> dict[tuple[str, str], str]:
    """866 $a (with 867 supplements, 868 indexes) by the 852 they belong to: the link number of
    $8 ("1\\c" → "1"); "" for statements that name no 852, which go to every holding. Keyed by
    $5 too: a LIBRIS export merges several libraries' holdings into the bib, each field with $5
    sigel, and one library's statement is not another's."""
    statements: dict[tuple[str, str], list[str]] = {}
    for field in fields(record, "866", "867", "868"):
        text = " ".join(subfields(field, "a")).strip()
        if text:
            statements.setdefault((first_subfield(field, "5"), _link(field)), []).append(text)
    return {key: "; ".join(texts)[:500] for key, texts in statements.items()}


def _statement(statements: dict[tuple[str, str], str], field: Field) -> str:
    institution = first_subfield(field, "5")
    return statements.get((institution, _link(field)), statements.get((institution, ""), ""))


def _link(field: Field) -> str:
    return first_subfield(field, "8").split("\\")[0].split(".")[0].strip()


def holdings_libris(record: Record, default_library: str | None) -> list[dict[str, object]]:
    """Group a LIBRIS holdings record's 852 fields per library (copies of one holding)."""
    grouped: dict[object, dict[str, object]] = {}
    for item in holdings_852(record, default_library):
        group = grouped.setdefault(item["library"], {**item, "item_count": 0})
        group["item_count"] = int(str(group["item_count"])) + int(str(item["item_count"]))
        for name in ("shelf", "call_number", "item_id", "summary"):
            group[name] = group[name] or item[name]
    return list(grouped.values())


def status_from_text(text: str) -> str:
    lowered = (text or "").lower()
    for status, words in _STATUS_WORDS.items():
        if any(word in lowered for word in words):
            return status
    return "unknown"


def holdings_949(record: Record, default_library: str | None) -> list[dict[str, object]]:
    found = []
    for field in fields(record, "949"):
        library = first_subfield(field, "a") or default_library
        if not library:
            continue
        due = parse_due_date(first_subfield(field, "q"))
        status = status_from_text(first_subfield(field, "s"))
        found.append(
            holding(
                library,
                branch=first_subfield(field, "b"),
                shelf=first_subfield(field, "c"),
                call_number=first_subfield(field, "d") or first_subfield(field, "h"),
                item_id=first_subfield(field, "i") or first_subfield(field, "p"),
                status="on_loan" if due and status == "unknown" else status,
                due_date=due,
            )
        )
    return found


def _is_set(value: str) -> bool:
    """Koha's numeric flags: '', '0' are unset; anything else is set."""
    return value.strip() not in ("", "0")


def koha_status(field: Field) -> tuple[str, str | None]:
    """(status, due date) of one Koha 952 item."""
    due = parse_due_date(first_subfield(field, "q"))
    not_for_loan = first_subfield(field, "7")
    if _is_set(first_subfield(field, "0")) or _is_set(first_subfield(field, "1")):
        return "not_for_loan", None
    if due:
        return "on_loan", due
    if _is_set(not_for_loan):
        return ("ordered" if not_for_loan.lstrip().startswith("-") else "not_for_loan"), None
    return "available", None


def holdings_952(record: Record, default_library: str | None) -> list[dict[str, object]]:
    found = []
    for field in fields(record, "952"):
        branch = first_subfield(field, "b") or first_subfield(field, "a")
        library = default_library or branch
        if not library:
            continue
        status, due = koha_status(field)
        found.append(
            holding(
                library,
                branch=branch if default_library else "",
                shelf=first_subfield(field, "c"),
                call_number=first_subfield(field, "o"),
                item_id=first_subfield(field, "p"),
                status=status,
                due_date=due,
            )
        )
    return found


_PROFILES = {"852": holdings_852, "949": holdings_949, "952": holdings_952, "libris": holdings_libris}


def detect_profile(record: Record) -> str:
    if is_holdings_record(record):
        return "libris"
    return next((tag for tag in ("952", "852", "949") if record.get_fields(tag)), "852")


def extract_holdings(record: Record, profile: str, default_library: str | None) -> list[dict[str, object]]:
    """Holdings of one record as contract dicts; profile is ``Source.holdings_profile``."""
    chosen = detect_profile(record) if profile in ("auto", "") else profile
    extractor = _PROFILES.get(chosen, holdings_852)
    return extractor(record, default_library)
