"""LIBRIS-style holdings records (leader/06 u/v/x/y) linked to their bibliographic record by 004.

004 holds the bib's 001. A bib harvested from a file has that 001 as its local id; one harvested
over OAI-PMH has the OAI identifier, which ends in the 001 (``…/bib/7149593``, ``…:7149593``).
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from catalog.models import SourceRecord
from harvest.models import Source


def _parent_query(keys: Iterable[str]) -> Q:
    query = Q(local_id__in=list(keys))
    for key in keys:
        query |= Q(local_id__endswith=f"/{key}") | Q(local_id__endswith=f":{key}")
    return query


def parents_of(source: Source, keys: set[str]) -> list[SourceRecord]:
    """The live bibliographic records that the given 004 values point to."""
    keys = {key for key in keys if key}
    if not keys:
        return []
    return list(
        SourceRecord.objects.filter(
            _parent_query(keys), source=source, kind=SourceRecord.Kind.BIB, deleted=False
        ).only("id", "local_id", "raw", "raw_format", "deleted", "kind")
    )


def link_keys(bib: SourceRecord) -> set[str]:
    """Values a holdings record's 004 may use for this bib."""
    keys = {bib.local_id}
    tail = bib.local_id.replace(":", "/").rsplit("/", 1)[-1]
    if tail:
        keys.add(tail)
    return keys


def linked_holdings(source: Source, bibs: Iterable[SourceRecord]) -> dict[int, list[dict[str, Any]]]:
    """Holdings (contract dicts) of the live holdings records linked to each bib, by bib id."""
    by_key: dict[str, int] = {}
    for bib in bibs:
        for key in link_keys(bib):
            by_key.setdefault(key, bib.pk)
    found: dict[int, list[dict[str, Any]]] = {}
    if not by_key:
        return found
    rows = SourceRecord.objects.filter(
        source=source, kind=SourceRecord.Kind.HOLDINGS, deleted=False, parent_local_id__in=list(by_key)
    ).values_list("parent_local_id", "data")
    for parent, data in rows:
        holdings = (data or {}).get("holdings") or []
        found.setdefault(by_key[parent], []).extend(holdings)
    return found
