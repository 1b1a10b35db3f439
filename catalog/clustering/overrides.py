"""Librarians' corrections: split a record out of its cluster, merge two clusters.

Each correction is a ``MergeOverride`` row naming records by source and local id, so it
survives re-harvests and re-merges; afterwards the affected records are re-clustered at once
and the changed clusters are queued for reindexing.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q

from catalog.clustering import recluster
from catalog.models import Cluster, MergeOverride, SourceRecord

User = AbstractBaseUser | AnonymousUser


def _naming(record: SourceRecord, action: str) -> "Q":
    mine = Q(source_id=record.source_id, local_id=record.local_id)
    theirs = Q(other_source_id=record.source_id, other_local_id=record.local_id)
    return Q(action=action) & (mine | theirs)


def _author(user: User | None) -> Any:
    """The signed-in librarian, for the record of who corrected what."""
    return user if user is not None and user.is_authenticated else None


def _recluster(records: list[SourceRecord], clusters: list[int | None]) -> set[int]:
    ids = {r.pk for r in records}
    ids |= set(
        SourceRecord.objects.filter(cluster_id__in=[c for c in clusters if c]).values_list("id", flat=True)
    )
    return recluster(ids)


def split_record(record: SourceRecord, user: User | None = None) -> set[int]:
    """Keep this record in a cluster of its own from now on; returns affected cluster ids."""
    with transaction.atomic():
        MergeOverride.objects.filter(_naming(record, MergeOverride.Action.MERGE)).delete()
        if not MergeOverride.objects.filter(_naming(record, MergeOverride.Action.SPLIT)).exists():
            MergeOverride.objects.create(
                action=MergeOverride.Action.SPLIT,
                source_id=record.source_id,
                local_id=record.local_id,
                created_by=_author(user),
            )
        return _recluster([record], [record.cluster_id])


def representative(cluster: Cluster) -> SourceRecord | None:
    """The record an override names for a whole cluster: its display record, else its first member."""
    if cluster.display_record_id and cluster.display_record is not None:
        return cluster.display_record
    return cluster.members.filter(kind=SourceRecord.Kind.BIB).order_by("source_id", "local_id").first()


def merge_clusters(first: Cluster, second: Cluster, user: User | None = None) -> set[int]:
    """Put two clusters together from now on (lifting earlier splits of the records named)."""
    one, two = representative(first), representative(second)
    if one is None or two is None or first.pk == second.pk:
        return set()
    with transaction.atomic():
        for record in (one, two):
            MergeOverride.objects.filter(_naming(record, MergeOverride.Action.SPLIT)).delete()
        MergeOverride.objects.create(
            action=MergeOverride.Action.MERGE,
            source_id=one.source_id,
            local_id=one.local_id,
            other_source_id=two.source_id,
            other_local_id=two.local_id,
            created_by=_author(user),
        )
        return _recluster([one, two], [first.pk, second.pk])


def remove_override(override: MergeOverride) -> set[int]:
    """Undo a correction: the named records go back to automatic merging."""
    with transaction.atomic():
        names = [(override.source_id, override.local_id), (override.other_source_id, override.other_local_id)]
        query = Q(pk__in=[])
        for source_id, local_id in names:
            if source_id:
                query |= Q(source_id=source_id, local_id=local_id)
        records = list(SourceRecord.objects.filter(query))
        override.delete()
        return _recluster(records, [r.cluster_id for r in records])
