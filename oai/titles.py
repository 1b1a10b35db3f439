"""What a page of items needs, read in a few queries per page (never per item): each title's
description, display record, holding libraries and member record identifiers."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from catalog.models import Cluster, Holding, SourceRecord
from oai.items import Entry


@dataclass(frozen=True)
class Location:
    """One 852: a library (sigel) and where the title stands there."""

    sigel: str
    branch: str
    shelf: str
    call_number: str


@dataclass
class Title:
    entry: Entry
    data: dict[str, Any] = field(default_factory=dict)
    raw: bytes = b""
    raw_format: str = ""
    locations: list[Location] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # "(label)local id", for 035

    @property
    def set_specs(self) -> list[str]:
        libraries = dict.fromkeys(location.sigel for location in self.locations)
        return [f"library:{code}" for code in libraries] + [
            f"format:{code}" for code in self.data.get("formats") or []
        ]


def load(entries: list[Entry], with_records: bool) -> list[Title]:
    """Titles of these entries (deleted ones carry their entry alone). ``with_records``: also the
    display record and member identifiers (ListRecords, GetRecord), not only what headers need."""
    titles = {entry.id: Title(entry) for entry in entries}
    ids = [entry.id for entry in entries if not entry.deleted]
    if not ids:
        return list(titles.values())
    display: dict[int, int] = {}
    rows = Cluster.objects.filter(id__in=ids).values_list("id", "data", "display_record_id")
    for pk, data, display_id in rows:
        titles[pk].data = data or {}
        if display_id:
            display[display_id] = pk
    _locations(titles, ids)
    if with_records:
        _records(titles, display)
        _members(titles, ids)
    return list(titles.values())


def _locations(titles: dict[int, Title], ids: list[int]) -> None:
    rows = (
        Holding.objects.filter(record__cluster_id__in=ids, record__deleted=False)
        .values_list("record__cluster_id", "library__code", "branch", "shelf", "call_number")
        .order_by("library__code", "branch", "shelf", "call_number")
        .distinct()
    )
    for cluster_id, *where in rows:
        titles[cluster_id].locations.append(Location(*where))


def _records(titles: dict[int, Title], display: dict[int, int]) -> None:
    rows = SourceRecord.objects.filter(id__in=list(display)).values_list("id", "raw", "raw_format")
    for record_id, raw, raw_format in rows:
        title = titles[display[record_id]]
        title.raw, title.raw_format = bytes(raw or b""), raw_format


def _members(titles: dict[int, Title], ids: list[int]) -> None:
    members: dict[int, list[str]] = defaultdict(list)
    rows = (
        SourceRecord.objects.filter(cluster_id__in=ids, kind=SourceRecord.Kind.BIB, deleted=False)
        .values_list("cluster_id", "source_id", "source__library__code", "local_id")
        .order_by("source_id", "local_id")
    )
    for cluster_id, source_id, library_code, local_id in rows:
        members[cluster_id].append(f"({library_code or f'samsok-source-{source_id}'}){local_id}")
    for cluster_id, names in members.items():
        titles[cluster_id].members = names
