"""The harvest protocol contract: a driver turns a Source into pages of raw records.

A driver resumes from the state saved on the run (``resumption_token`` / ``position``) and yields
``Page`` objects; the service stores each page and the page's state in one transaction before
asking for the next, so a crash resumes exactly after the last stored page.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise

from harvest.records import ParsedRecord, digest, parse_by_format

if TYPE_CHECKING:
    from harvest.models import HarvestRun, Source
    from harvest.prepare import Description


class HarvestError(Exception):
    """The source cannot be harvested now (unreachable, refuses, answers nonsense)."""


@dataclass
class HarvestedItem:
    """One record as received: raw bytes plus what the parser made of them (None for deletions)."""

    local_id: str
    raw: bytes
    raw_format: str
    parsed: ParsedRecord | None = None
    datestamp: datetime | None = None
    deleted: bool = False
    # Holdings delivered inside their bibliographic record (LIBRIS marcxml_includehold <about>).
    parent_local_id: str = ""
    # On a bibliographic record that came with an <about>: the holdings records it carried now.
    # Earlier ones it no longer carries are withdrawn. None: this delivery says nothing of them.
    about_holdings: tuple[str, ...] | None = None
    # Parses on first use, so a record whose checksum is unchanged is never parsed at all.
    parser: Callable[[], ParsedRecord] | None = None
    # Filled in by the page reader (harvest.reader) ahead of the writer: the raw bytes' checksum,
    # and the description of a record whose stored checksum differed (harvest.prepare).
    checksum: str = ""
    description: "Description | None" = None

    def result(self) -> ParsedRecord | None:
        if self.parsed is None and self.parser is not None:
            self.parsed = self.parser()
            self.parser = None
        elif self.parsed is None and self.raw and not self.deleted:  # sent on without its parser
            self.parsed = parse_by_format(self.raw, self.raw_format)
        return self.parsed


@dataclass
class Page:
    """Records to store, then the state to save with them (where the next request starts)."""

    items: list[HarvestedItem]
    resumption_token: str = ""
    position: int = 0
    window_until: datetime | None = None
    notes: list[str] = field(default_factory=list)
    # Stored records the page delivered again byte for byte, by id (``KnownRecords``): the run has
    # seen them, and there is nothing to write.
    unchanged: list[int] = field(default_factory=list)


class KnownRecords:
    """A source's live bibliographic records as stored when the run began, by the SHA-256 of their
    raw bytes (``harvest.reader`` reads them). A driver whose records' ids follow from their bytes
    alone (a MARC file: the 001) may hand such a record on as its id, in ``Page.unchanged``,
    without reading it: the same bytes are the same record, already stored as they are. An OAI-PMH
    record's id is in its header, outside the bytes, so that driver may not.

    The driver tells of every record it delivers read (``delivered``): if it came with other bytes
    than those stored, its stored bytes, should they come later in the run, are stored again, as
    the writer's own comparison has it (the last delivery wins)."""

    def __init__(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """``rows``: local id, hex checksum and id of each record."""
        self._ids: dict[bytes, int] = {}
        self._digests: dict[str, bytes] = {}
        for local_id, checksum, pk in rows:
            digest = bytes.fromhex(checksum)
            self._ids[digest] = pk
            self._digests[local_id] = digest

    def __len__(self) -> int:
        return len(self._ids)

    def unchanged(self, raw: bytes) -> int | None:
        """The id of the stored record with these bytes, if there is one."""
        return self._ids.get(digest(raw))

    def delivered(self, local_id: str) -> None:
        """The record with this id was delivered read (its bytes are not those stored, or it was
        delivered twice): from here on its stored bytes are no longer taken as unchanged."""
        digest = self._digests.pop(local_id, None)
        if digest is not None:
            self._ids.pop(digest, None)


class HarvestProtocol(ABC):
    """One way of reading a source. Subclasses are named in ``settings.HARVEST_PROTOCOLS``."""

    # What staff see for ``Source.protocol`` (the registry name when empty).
    label: ClassVar[str | Promise] = ""
    # True when every run delivers the source's whole current set (a file): the run then deletes
    # what it did not see, like ``--full`` does for OAI-PMH.
    delivers_complete_set: bool = False
    # True when the driver hands on records stored as they are by id (``KnownRecords``): the page
    # reader then reads the source's known records first, which no other driver would use.
    uses_known_records: ClassVar[bool] = False
    # True when the feed carries many libraries by nature: its sources are always regional (a
    # title is held only by the libraries its holdings name; harvest.models.Source.regional).
    regional: ClassVar[bool] = False

    @classmethod
    def validate_source(cls, source: "Source") -> None:
        """Raise ``django.core.exceptions.ValidationError`` for settings of the source this protocol
        cannot work with (checked when a source is added or edited); none by default."""
        return

    def __init__(self, source: "Source") -> None:
        self.source = source
        # Set by the page reader for a source with stored records (see ``KnownRecords``).
        self.known: KnownRecords | None = None

    def lists_cheaply(self) -> bool:
        """True when listing the pages costs little beside preparing them (a local file), so that
        several page readers may each list them all (``harvest.reader``); not over the network."""
        return False

    @abstractmethod
    def pages(self, run: "HarvestRun") -> Iterator[Page]:
        """Pages of records from where ``run`` stopped (its saved state) to the end of the window."""
