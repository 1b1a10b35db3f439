"""Documents from the database, incremental indexing, rebuild_index and the Celery task."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import Cluster
from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest
from catalog.search.documents import build_documents
from catalog.search.indexing import index_clusters
from tests.conftest import needs_postgres
from tests.world.search import build_county, make_cluster


@pytest.mark.sqlite
@pytest.mark.django_db
def test_documents_carry_holdings_and_availability() -> None:
    county = build_county()
    documents = {
        int(d["id"]): d for d in build_documents([county.pippi.pk, county.emil.pk, county.orphan.pk])
    }
    pippi = documents[county.pippi.pk]
    assert pippi["libraries"] == ["Nyks", "Ty"]
    assert pippi["municipalities"] == ["Nyköping", "Tyresö"]
    assert pippi["available_at"] == ["Nyks"]
    assert pippi["authors"] == ["Lindgren, Astrid"] and pippi["subjects"] == ["Barn"]
    assert documents[county.orphan.pk]["libraries"] == []


@pytest.mark.django_db
def test_documents_are_built_in_bulk(django_assert_max_num_queries: object) -> None:
    build_county()
    for n in range(50):
        make_cluster(f"Titel {n}")
    ids = list(Cluster.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        assert len(build_documents(ids)) == len(ids)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_index_clusters_adds_updates_and_deletes() -> None:
    county = build_county()
    index_clusters([county.pippi.pk, county.emil.pk])
    backend = get_backend()
    assert backend.search(SearchRequest(q="lindgren")).total == 2
    county.emil.data = {**county.emil.data, "title": "Emil och griseknoen"}
    county.emil.save()
    gone = county.pippi.pk
    county.pippi.delete()
    index_clusters([gone, county.emil.pk])
    assert backend.get(str(gone)) is None
    assert [hit["title"] for hit in backend.search(SearchRequest(q="griseknoen")).hits] == [
        "Emil och griseknoen"
    ]


@needs_postgres
@pytest.mark.django_db
def test_a_bulk_indexing_run_analyzes_before_reading_holdings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Right after a bulk harvest the holdings table has no statistics: each chunk's holdings
    query would scan it whole. A large run refreshes the statistics first; a small one does not."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.search import indexing

    county = build_county()
    for bulk_run, analyzed in ((3, False), (2, True)):
        monkeypatch.setattr(indexing, "BULK_RUN", bulk_run)
        with CaptureQueriesContext(connection) as queries:
            index_clusters([county.pippi.pk, county.emil.pk])
        sql = [query["sql"] for query in queries.captured_queries]
        analyze = [i for i, text in enumerate(sql) if text.startswith("ANALYZE") and "holding" in text]
        holdings = [i for i, text in enumerate(sql) if 'FROM "catalog_holding"' in text]
        assert bool(analyze) == analyzed and holdings
        assert not analyze or analyze[0] < holdings[0]
    assert get_backend().search(SearchRequest(q="lindgren")).total == 2


@pytest.mark.django_db
def test_rebuild_index_prints_a_summary_last() -> None:
    build_county()
    out = StringIO()
    call_command("rebuild_index", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].startswith("rebuild_index: 3 clusters indexed")
    assert get_backend().count() == 3


def test_index_task_runs_on_a_real_worker(celery_worker: object) -> None:
    from catalog.tasks import index_clusters as task

    county = build_county()
    assert task.delay([county.pippi.pk]).get(timeout=30) == 1
    assert get_backend().search(SearchRequest(q="pippi")).total == 1


def test_index_tasks_are_routed_to_the_single_writer_queue() -> None:
    from django.conf import settings

    assert settings.CELERY_TASK_ROUTES["catalog.tasks.index_*"]["queue"] == "samsok-index"
