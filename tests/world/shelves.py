"""The one way a title reaches the tests' catalogue: a cluster, its member records with their
holdings (what harvest and clustering leave behind), and, when a suite searches, the index."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from catalog.models import Cluster, Holding, ItemStatus, SourceRecord, Work
from catalog.search.indexing import index_clusters
from harvest.models import Source
from tests.world.places import library


@dataclass(frozen=True)
class Copy:
    """A holding: the library's sigel, its status and where it stands."""

    library: str
    status: str = ItemStatus.AVAILABLE
    call_number: str = "Hc"
    queue: int | None = None
    shelf: str = ""
    branch: str = ""  # empty: the library's main branch
    due: date | None = None  # when on loan; empty: in two weeks


def title(data: dict[str, Any], work_key: str = "") -> Cluster:
    """A cluster; one with a work key belongs to that key's Work (as re-clustering leaves it)."""
    work = Work.objects.get_or_create(key=work_key)[0] if work_key else None
    return Cluster.objects.create(data=data, work_key=work_key, work=work)


def shelve(
    cluster: Cluster,
    source: Source,
    local_id: str,
    copies: Iterable[Copy],
    data: dict[str, Any] | None = None,
    raw: bytes = b"",
    merge_reason: str = "",
) -> SourceRecord:
    """One member record of `cluster` from `source`, with a holding for each copy."""
    record = SourceRecord.objects.create(
        source=source,
        local_id=local_id,
        cluster=cluster,
        data=cluster.data if data is None else data,
        raw=raw,
        raw_format="iso2709" if raw else "",
        merge_reason=merge_reason,
    )
    Holding.objects.bulk_create(holding(record, copy) for copy in copies)
    return record


def holding(record: SourceRecord, copy: Copy) -> Holding:
    lib = library(copy.library)
    on_loan = copy.status == ItemStatus.ON_LOAN
    return Holding(
        record=record,
        library=lib,
        branch=copy.branch or f"{lib.municipality} huvudbibliotek",
        shelf=copy.shelf,
        call_number=copy.call_number,
        status=copy.status,
        queue_length=copy.queue,
        due_date=(copy.due or date.today() + timedelta(days=14)) if on_loan else None,
        checked_at=timezone.now(),
    )


def index_titles(clusters: Iterable[Cluster]) -> None:
    """Through the real search backend, for the suites that search."""
    index_clusters([cluster.pk for cluster in clusters])
