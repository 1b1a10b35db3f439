"""Librarians' splits and merges: stored, surviving re-harvest and re-merge, and the staff pages."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.clustering import assign_clusters
from catalog.clustering.overrides import merge_clusters, remove_override, split_record
from catalog.models import MergeOverride, SourceRecord
from tests.catalog.records import bib, cluster_of, source
from tests.catalog.test_clustering_rules import record_data
from tests.world.places import persona

pytestmark = pytest.mark.django_db
ISBN = "9789127108509"


def reharvest(record: SourceRecord, **changes: Any) -> SourceRecord:
    """The source deletes and re-delivers the record: a new row, same source and local id."""
    data = {**record.data, **changes}
    src, local_id = record.source, record.local_id
    record.delete()
    fresh = bib(src, local_id, data)
    assign_clusters([fresh.pk])
    return fresh


@pytest.fixture
def three_copies() -> list[SourceRecord]:
    records = [bib(source(name), "1", record_data(isbns=[ISBN])) for name in ("Sods", "Nyks", "Li")]
    assign_clusters([r.pk for r in records])
    return records


@pytest.fixture
def librarian() -> User:
    return persona("regina")


@pytest.mark.sqlite
def test_split_survives_reharvest_and_remerge(three_copies: list[SourceRecord], librarian: User) -> None:
    sods, nyks, li = three_copies
    split_record(nyks, librarian)
    assert cluster_of(nyks) != cluster_of(sods) == cluster_of(li)
    nyks.refresh_from_db()
    assert nyks.merge_reason == "split out by a librarian"

    nyks = reharvest(nyks, title="Muminpappans memoarer (rev.)")
    assign_clusters(SourceRecord.objects.values_list("id", flat=True))
    assert cluster_of(nyks) != cluster_of(sods) == cluster_of(li)
    assert MergeOverride.objects.get().created_by == librarian


def test_merge_survives_reharvest_and_can_be_undone(librarian: User) -> None:
    book = bib(source("a"), "1", record_data(isbns=[ISBN]))
    other = bib(source("b"), "2", record_data("Memoarer", isbns=["9789150222319"]))
    assign_clusters([book.pk, other.pk])
    assert cluster_of(book) != cluster_of(other)

    merge_clusters(cluster_of(book), cluster_of(other), librarian)
    assert cluster_of(book) == cluster_of(other)
    other = reharvest(other, year=1969)
    assign_clusters(SourceRecord.objects.values_list("id", flat=True))
    assert cluster_of(book) == cluster_of(other)
    other.refresh_from_db()
    assert other.merge_reason == "merged by a librarian"

    remove_override(MergeOverride.objects.get())
    assert cluster_of(book) != cluster_of(other)


@pytest.mark.sqlite  # the staff search by identifier must work on the embedded default too
def test_staff_page_shows_members_and_reasons(three_copies: list[SourceRecord], librarian: User) -> None:
    client = Client()
    client.force_login(librarian)
    cluster = cluster_of(three_copies[0])
    page = client.get(f"/staff/catalog/clusters/{cluster.pk}/")
    assert page.status_code == 200
    assert f"samma ISBN {ISBN}".encode() in page.content  # the stored reason, shown translated
    for typed in (ISBN, "978-91-27-10850-9", "91-27-10850-3"):  # ISBN-13, hyphenated, ISBN-10
        found = client.get("/staff/catalog/", {"q": typed}).context["clusters"]
        assert [c.pk for c in found] == [cluster.pk], typed


def test_staff_split_and_merge_actions(
    three_copies: list[SourceRecord], librarian: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    client.force_login(librarian)
    sods, nyks, _li = three_copies
    cluster = cluster_of(sods)
    with django_capture_on_commit_callbacks() as reindexing:
        response = client.post(f"/staff/catalog/clusters/{cluster.pk}/split/", {"record": nyks.pk})
    assert response.status_code == 302
    assert len(reindexing) == 1  # catalog.tasks.index_clusters, queued after commit
    alone = cluster_of(nyks)
    assert alone != cluster and response["Location"] == f"/staff/catalog/clusters/{alone.pk}/"

    response = client.post(f"/staff/catalog/clusters/{alone.pk}/merge/", {"other": cluster.pk})
    assert response.status_code == 302
    assert cluster_of(nyks) == cluster_of(sods)
    assert not MergeOverride.objects.filter(action=MergeOverride.Action.SPLIT).exists()


def test_staff_pages_need_staff_and_csrf(three_copies: list[SourceRecord], librarian: User) -> None:
    cluster = cluster_of(three_copies[0])
    assert Client().get("/staff/catalog/").status_code == 302  # to the login page
    patron = User.objects.create_user("patron", password="x")
    client = Client()
    client.force_login(patron)
    assert client.get(f"/staff/catalog/clusters/{cluster.pk}/").status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(librarian)
    assert strict.post(f"/staff/catalog/clusters/{cluster.pk}/split/", {"record": 1}).status_code == 403
    assert strict.get(f"/staff/catalog/clusters/{cluster.pk}/split/").status_code == 405
