"""Celery tasks of the catalog app: thin wrappers around plain functions.

`catalog.tasks.index_*` are routed to the queue `samsok-index` (settings.CELERY_TASK_ROUTES).
Run exactly one worker on it with concurrency 1, so there is one index writer:

    celery -A portal worker -Q samsok-index --concurrency 1
"""

from celery import shared_task

from catalog.search import indexing


@shared_task(name="catalog.tasks.index_clusters", acks_late=True)
def index_clusters(cluster_ids: list[int]) -> int:
    """Rebuild the search documents of these clusters (deleting the ones that are gone)."""
    indexing.index_clusters(cluster_ids)
    return len(cluster_ids)


@shared_task(name="catalog.tasks.index_rebuild", acks_late=True)
def index_rebuild() -> int:
    """Rebuild the whole index (the same work as `manage.py rebuild_index`)."""
    return indexing.rebuild_index()
