"""The repository's items: merged titles (``Cluster``) and vanished ones (``ClusterTombstone``),
walked in (datestamp, id) order, selected by set.

Sets: ``library:<sigel>`` (titles a library holds) and ``format:<code>``. A vanished title's sets
are not kept: its deleted record is listed in every set, which costs a selective harvester
nothing (it drops an identifier it may not have).
"""

import heapq
import re
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from catalog.mapping.formats import FORMATS
from catalog.models import Cluster, ClusterTombstone, Holding, Library
from oai.tokens import ListState

# The protocol's setSpec syntax: a sigel outside it (a space, a non-ASCII letter) has no set.
SET_SPEC = re.compile(r"([A-Za-z0-9\-_.!~*'()])+(:[A-Za-z0-9\-_.!~*'()]+)*")


@dataclass(frozen=True)
class Entry:
    id: int
    datestamp: datetime
    deleted: bool

    @property
    def position(self) -> tuple[datetime, int]:
        return (self.datestamp, self.id)


def set_specs() -> list[tuple[str, str, str]]:
    """(setSpec, kind, label) of every set: one per library, one per format of the vocabulary.
    An instance without libraries holds nothing and has no sets."""
    libraries = list(Library.objects.order_by("code").values_list("code", "name"))
    if not libraries:
        return []
    specs = [(f"library:{code}", "library", name) for code, name in libraries]
    specs += [(f"format:{code}", "format", code) for code in FORMATS]
    return [spec for spec in specs if SET_SPEC.fullmatch(spec[0])]


def known_set(spec: str) -> bool:
    kind, _sep, value = spec.partition(":")
    if kind == "format":
        return value in FORMATS
    return kind == "library" and Library.objects.filter(code=value).exists()


def _has_format(code: str) -> Q | RawSQL:
    if connection.vendor == "postgresql":
        return Q(data__formats__contains=[code])
    table = Cluster._meta.db_table
    sql = f"EXISTS (SELECT 1 FROM json_each({table}.data, '$.formats') WHERE value = %s)"  # noqa: S608
    return RawSQL(sql, [code], output_field=BooleanField())  # noqa: S611 - our table, a bound value


def live(set_spec: str) -> QuerySet[Cluster]:
    titles = Cluster.objects.all()
    kind, _sep, value = set_spec.partition(":")
    if kind == "library":
        held = Holding.objects.filter(record__cluster_id=OuterRef("id"), record__deleted=False)
        titles = titles.filter(Exists(held.filter(library__code=value)))
    elif kind == "format":
        titles = titles.filter(_has_format(value))
    return titles


def gone() -> QuerySet[ClusterTombstone]:
    """Vanished titles; an id that came back (an undone merge) is live, not deleted."""
    return ClusterTombstone.objects.filter(~Exists(Cluster.objects.filter(id=OuterRef("id"))))


def _walk(rows: QuerySet, stamp: str, state: ListState) -> QuerySet:  # type: ignore[type-arg]
    rows = rows.filter(**{f"{stamp}__lte": state.bound})
    if state.start:
        rows = rows.filter(**{f"{stamp}__gte": state.start})
    if state.after:
        moment, last_id = state.after
        # (stamp, id) > (moment, last_id), written so the (stamp, id) index bounds the scan.
        rows = rows.filter(**{f"{stamp}__gte": moment}).filter(
            Q(**{f"{stamp}__gt": moment}) | Q(id__gt=last_id)
        )
    return rows.order_by(stamp, "id")


def count(state: ListState) -> int:
    """completeListSize: the titles and vanished titles in the list's window."""
    titles = _walk(live(state.set_spec), "updated_at", state).count()
    return titles + _walk(gone(), "deleted_at", state).count()


def page(state: ListState, limit: int) -> tuple[list[Entry], bool]:
    """The next ``limit`` items after ``state.after``, and whether more follow."""
    titles = _walk(live(state.set_spec), "updated_at", state).values_list("id", "updated_at")[: limit + 1]
    vanished = _walk(gone(), "deleted_at", state).values_list("id", "deleted_at")[: limit + 1]
    merged = heapq.merge(
        (Entry(pk, moment, False) for pk, moment in titles),
        (Entry(pk, moment, True) for pk, moment in vanished),
        key=lambda entry: entry.position,
    )
    entries = [entry for _index, entry in zip(range(limit + 1), merged, strict=False)]
    return entries[:limit], len(entries) > limit


def find(cluster_id: int) -> Entry | None:
    """The item with this id: live, deleted, or None if it never existed here."""
    title = Cluster.objects.filter(id=cluster_id).values_list("updated_at", flat=True).first()
    if title is not None:
        return Entry(cluster_id, title, False)
    vanished = ClusterTombstone.objects.filter(id=cluster_id).values_list("deleted_at", flat=True).first()
    return Entry(cluster_id, vanished, True) if vanished is not None else None


def earliest() -> datetime | None:
    stamps = [
        Cluster.objects.order_by("updated_at").values_list("updated_at", flat=True).first(),
        ClusterTombstone.objects.order_by("deleted_at").values_list("deleted_at", flat=True).first(),
    ]
    found = [stamp for stamp in stamps if stamp is not None]
    return min(found) if found else None
