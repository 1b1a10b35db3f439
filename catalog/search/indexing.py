"""Keep the search index in step with the database: one document per cluster, rebuilt whenever
its records change; the whole index can always be rebuilt from the database (`rebuild_index`)."""

from collections.abc import Iterable

from catalog.bulk_work import BULK_RUN, no_cyclic_gc, refresh_statistics
from catalog.models import Cluster
from catalog.search import get_backend
from catalog.search.documents import build_documents, iter_all_documents

BATCH = 5000


def index_clusters(cluster_ids: Iterable[int]) -> None:
    """(Re)index the given clusters from the database; ids whose cluster is gone are deleted.

    Call it through the `catalog.tasks.index_clusters` task in production: that task runs on
    the single-writer queue `samsok-index`.
    """
    ids = sorted({int(pk) for pk in cluster_ids})
    backend = get_backend()
    if len(ids) >= BULK_RUN:
        refresh_statistics()
    with no_cyclic_gc():
        for start in range(0, len(ids), BATCH):  # one commit per batch keeps memory bounded
            batch = ids[start : start + BATCH]
            documents = build_documents(batch)
            gone = set(batch) - {int(document["id"]) for document in documents}
            backend.apply(documents, [str(pk) for pk in sorted(gone)])


def rebuild_index() -> int:
    """Replace the whole index with every cluster's document; readers keep working meanwhile."""
    refresh_statistics()
    expected = Cluster.objects.count()  # the tantivy backend plans its memory by it
    with no_cyclic_gc():
        documents = (document for chunk in iter_all_documents() for document in chunk)
        return get_backend().rebuild(documents, expected=expected)
