"""Storing the project's own test records: sources, source records, holdings, clusters."""

from pathlib import Path
from typing import Any

import pymarc

from catalog.mapping import extract_holdings, is_holdings_record, map_record
from catalog.models import Cluster, Holding, Library, SourceRecord
from harvest.models import Source


def source(name: str = "test") -> Source:
    return Source.objects.create(name=name, protocol="marc-file", url=f"/tmp/{name}.xml")


def library(code: str) -> Library:
    return Library.objects.get_or_create(code=code, defaults={"name": code})[0]


def bib(src: Source, local_id: str, data: dict[str, Any]) -> SourceRecord:
    return SourceRecord.objects.create(source=src, local_id=local_id, data=data)


def store_marc(src: Source, record: pymarc.Record, parent: str = "") -> SourceRecord:
    """A MARC record as harvest stores it: bib with mapped data, or holdings with Holding rows."""
    own, link = record.get_fields("001"), record.get_fields("004")
    local_id = own[0].data if own else f"{src.pk}-{SourceRecord.objects.count()}"
    if not is_holdings_record(record):
        return SourceRecord.objects.create(source=src, local_id=local_id, data=map_record(record))
    stored = SourceRecord.objects.create(
        source=src,
        local_id=local_id,
        kind=SourceRecord.Kind.HOLDINGS,
        parent_local_id=link[0].data if link else parent,
    )
    for item in extract_holdings(record, "libris", None):
        Holding.objects.create(
            record=stored,
            library=library(str(item["library"])),
            shelf=str(item["shelf"]),
            call_number=str(item["call_number"]),
            item_count=int(str(item["item_count"])),
        )
    return stored


def read_json_marc(path: Path) -> pymarc.Record:
    """MARC-in-JSON; a few LIBRIS files leak Mac OS Roman bytes, which harvest repairs (not us)."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return next(iter(pymarc.JSONReader(text)))


def partition_of(records: list[SourceRecord]) -> set[frozenset[str]]:
    """Clusters as sets of "source name/local id", independent of row ids."""
    by_cluster: dict[int | None, set[str]] = {}
    for record in SourceRecord.objects.filter(pk__in=[r.pk for r in records]).select_related("source"):
        by_cluster.setdefault(record.cluster_id, set()).add(f"{record.source.name}/{record.local_id}")
    return {frozenset(names) for names in by_cluster.values()}


def cluster_of(record: SourceRecord) -> Cluster:
    record.refresh_from_db()
    assert record.cluster is not None
    return record.cluster
