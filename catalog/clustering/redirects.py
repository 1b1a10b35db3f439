"""Old title ids keep working: a cluster that vanishes because its records moved to another
cluster leaves a ``ClusterRedirect`` naming one of those records, and ``/post/<old id>/``
follows that record to wherever it is now.

Clustering writes redirects in bulk, only for clusters that really vanished with live records
(see ``assignment.apply_plan``), and gives an id back when a group of records holding its
redirect's record comes apart from the cluster it had joined (an undone merge).
"""

from catalog.clustering.bulk import chunked
from catalog.models import Cluster, ClusterRedirect, SourceRecord
from portal.params import MAX_DB_ID

Name = tuple[int, str]  # (source id, local id): how a redirect names its record


def revivable(names: dict[int, Name]) -> dict[int, int]:
    """{record id: vanished cluster id} for the given records that a redirect names."""
    by_name = {name: record_id for record_id, name in names.items()}
    found: dict[int, int] = {}
    for batch in chunked(sorted({local_id for _, local_id in names.values()})):
        rows = ClusterRedirect.objects.filter(local_id__in=batch).values_list("id", "source_id", "local_id")
        for old_id, source_id, local_id in rows:
            record_id = by_name.get((source_id, local_id))
            if record_id is not None:
                found[record_id] = min(old_id, found.get(record_id, old_id))
    return found


def write(vanished: dict[int, Name]) -> None:
    """One redirect per vanished cluster id, to the record named."""
    rows = [ClusterRedirect(id=old, source_id=src, local_id=local) for old, (src, local) in vanished.items()]
    ClusterRedirect.objects.bulk_create(rows, batch_size=2000)


def revive(ids: set[int]) -> None:
    """Bring these vanished ids back as (empty) clusters; the caller fills them in."""
    ClusterRedirect.objects.filter(id__in=ids).delete()
    Cluster.objects.bulk_create([Cluster(id=cluster_id) for cluster_id in sorted(ids)])


def current_cluster_id(old_id: int) -> int | None:
    """Where the title once numbered ``old_id`` lives now; None if it is not held any more."""
    if not 0 < old_id <= MAX_DB_ID:
        return None
    redirect = ClusterRedirect.objects.filter(pk=old_id).first()
    if redirect is None:
        return None
    record = SourceRecord.objects.filter(source_id=redirect.source_id, local_id=redirect.local_id)
    return record.filter(deleted=False).values_list("cluster_id", flat=True).first()
