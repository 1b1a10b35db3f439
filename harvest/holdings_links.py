"""LIBRIS-style holdings records (leader/06 u/v/x/y) linked to their bibliographic record by 004
(the linking rule is catalog.holdings_links)."""

from collections.abc import Iterable
from typing import Any

from catalog.clustering.bulk import chunked
from catalog.holdings_links import KEYS_PER_QUERY, link_keys, parent_query
from catalog.models import SourceRecord
from harvest.models import Source


def parents_of(source: Source, keys: set[str]) -> list[SourceRecord]:
    """The live bibliographic records that the given 004 values point to."""
    found: list[SourceRecord] = []
    for batch in chunked(sorted(key for key in keys if key), KEYS_PER_QUERY):
        found += SourceRecord.objects.filter(
            parent_query(batch), source=source, kind=SourceRecord.Kind.BIB, deleted=False
        ).only("id", "local_id", "raw", "raw_format", "deleted", "kind")
    return found


def linked_holdings(source: Source, bibs: Iterable[SourceRecord]) -> dict[int, list[dict[str, Any]]]:
    """Holdings (contract dicts) of the live holdings records linked to each bib, by bib id."""
    by_key: dict[str, int] = {}
    for bib in bibs:
        for key in link_keys(bib.local_id):
            by_key.setdefault(key, bib.pk)
    found: dict[int, list[dict[str, Any]]] = {}
    if not by_key:
        return found
    rows = SourceRecord.objects.filter(
        source=source, kind=SourceRecord.Kind.HOLDINGS, deleted=False, parent_local_id__any=list(by_key)
    ).values_list("parent_local_id", "data")
    for parent, data in rows:
        holdings = (data or {}).get("holdings") or []
        found.setdefault(by_key[parent], []).extend(holdings)
    return found
