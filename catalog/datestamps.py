"""What /oai's datestamps rest on: ``Cluster.updated_at`` for live titles and ``ClusterTombstone``
for vanished ones (OAI-PMH's persistent deleted records)."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from catalog.models import Cluster, ClusterTombstone

_BATCH = 5000


def bury(cluster_ids: Iterable[int]) -> None:
    """Record that these cluster ids vanished now (again, if an id had vanished before)."""
    now = timezone.now()
    rows = [ClusterTombstone(id=cluster_id, deleted_at=now) for cluster_id in sorted(cluster_ids)]
    ClusterTombstone.objects.bulk_create(
        rows, batch_size=2000, update_conflicts=True, unique_fields=["id"], update_fields=["deleted_at"]
    )


def touch(cluster_ids: Iterable[int], since: datetime) -> None:
    """A new datestamp for those of these clusters re-clustering left alone (a changed holdings
    record moves no cluster, yet changes the title's holdings)."""
    ids = sorted(cluster_ids)
    now = timezone.now()
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        Cluster.objects.filter(id__in=batch, updated_at__lt=since).update(updated_at=now)


def changed_since(since: datetime) -> set[int]:
    """Clusters whose datestamp is ``since`` or later: the live ones changed, the vanished ones
    buried (what a harvest run that crashed had changed, for its resumption to re-index)."""
    live = Cluster.objects.filter(updated_at__gte=since).values_list("id", flat=True)
    gone = ClusterTombstone.objects.filter(deleted_at__gte=since).values_list("id", flat=True)
    return set(live) | set(gone)
