"""portal.jobs.enqueue: background work waits for the commit, on a real worker or in-process."""

import time

import pytest
from django.db import transaction

from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest
from catalog.tasks import index_clusters
from portal.jobs import enqueue
from tests.search.county import build_county


def pippi_hits() -> int:
    return get_backend().search(SearchRequest(q="pippi")).total


def test_enqueue_runs_on_a_real_celery_worker_after_commit(celery_worker: object) -> None:
    county = build_county()
    with transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
        assert pippi_hits() == 0  # nothing is sent before the data it needs is committed
    # The worker thread works on its own; wait for its write to show.
    for _ in range(100):
        if pippi_hits():
            break
        time.sleep(0.1)
    assert pippi_hits() == 1


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_enqueue_without_a_broker_runs_in_process_after_commit(settings: object) -> None:
    settings.CELERY_BROKER_URL = None  # type: ignore[attr-defined]  # the embedded default
    county = build_county()
    with transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
        assert pippi_hits() == 0
    assert pippi_hits() == 1


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_enqueue_in_a_rolled_back_transaction_does_nothing(settings: object) -> None:
    settings.CELERY_BROKER_URL = None  # type: ignore[attr-defined]
    county = build_county()
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(index_clusters, [county.pippi.pk])
        raise RuntimeError("the request failed")
    assert pippi_hits() == 0
