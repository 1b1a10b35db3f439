"""What a harvested record becomes before it is stored: checksum, kind, mapped description, holdings.

Pure work on the received bytes, without the database, so that it can run in the page reader's
process (``harvest.reader``) while the writer stores the page before.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from pymarc import Record

from catalog import mapping
from catalog.models import SourceRecord
from harvest.encoding import storable
from harvest.records import ParsedRecord, control_number, digest

logger = logging.getLogger(__name__)
logging.getLogger("pymarc").setLevel(logging.ERROR)  # it warns per odd indicator; we keep errors

BIB = SourceRecord.Kind.BIB
HOLDINGS = SourceRecord.Kind.HOLDINGS


@dataclass
class Description:
    """A record's stored description; ``holdings`` are its own holdings (of a bib or a holdings
    record). With an ``error`` nothing of it is stored but the raw bytes and the error."""

    kind: str = BIB
    parent_local_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    holdings: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    repairs: list[str] = field(default_factory=list)


def checksum(raw: bytes) -> str:
    return digest(raw).hex()


def describe(
    parsed: ParsedRecord | None, parent_local_id: str, profile: str, library: str | None
) -> Description:
    """Map a parsed record (``parent_local_id``: its bib, if the delivery said so). Never raises:
    a mapping bug is kept as the record's error, so the page is stored with it."""
    parsed = parsed or ParsedRecord(None, "no record")
    # A parser's message may quote the bytes it choked on, NULs included.
    description = Description(error=storable(parsed.error), repairs=parsed.repairs)
    if parsed.record is None:
        return description
    try:
        _describe_record(description, parsed.record, parent_local_id, profile, library)
    except Exception as exc:
        logger.exception("mapping record %s failed", control_number(parsed.record))
        description.error = storable(f"mapping failed: {type(exc).__name__}: {exc}")
        description.data, description.holdings = {}, []
    return description


def _describe_record(
    description: Description, record: Record, parent_local_id: str, profile: str, library: str | None
) -> None:
    if parent_local_id or mapping.is_holdings_record(record):
        description.kind = HOLDINGS
        description.parent_local_id = (parent_local_id or _field_004(record))[:255]
        description.holdings = mapping.extract_holdings(record, profile, library)
        description.data = {"holdings": description.holdings, "control_number": control_number(record)}
        return
    description.data = mapping.map_record(record)
    description.holdings = mapping.extract_holdings(record, profile, library)


def _field_004(record: Record) -> str:
    found = record.get_fields("004")
    return (found[0].data or "").strip() if found else ""
