"""Title ids keep working after merges and splits: /post/<old id>/, the API record and its
availability answer 301 to the title the records live in now; an undone merge gives the id back."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.clustering import assign_clusters
from catalog.clustering.overrides import merge_clusters, remove_override
from catalog.models import Cluster, ClusterRedirect, MergeOverride, SourceRecord
from tests.catalog.records import bib, cluster_of, source
from tests.catalog.test_clustering_rules import record_data
from tests.world.places import persona

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
TITLE = "Muminpappans memoarer"


@pytest.fixture
def regional(db: None) -> User:
    return persona("regina")


def two_titles() -> tuple[SourceRecord, SourceRecord]:
    """The same book, catalogued with different ISBNs: automatic merging keeps them apart."""
    one = bib(source("Sods"), "1", record_data(TITLE, isbns=["9789127108509"]))
    two = bib(source("Nyks"), "2", record_data(TITLE, isbns=["9789150222319"]))
    assign_clusters([one.pk, two.pk])
    assert cluster_of(one) != cluster_of(two)
    return one, two


def landing(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url, follow=True)
    return response.status_code, response.content.decode()


def test_a_merged_titles_old_id_redirects_to_the_title_it_joined(client: Client, regional: User) -> None:
    one, two = two_titles()
    ids = {cluster_of(one).pk, cluster_of(two).pk}
    staff = Client()
    staff.force_login(regional)
    staff.post(f"/staff/catalog/clusters/{cluster_of(one).pk}/merge/", {"other": cluster_of(two).pk})
    kept = cluster_of(one).pk
    assert cluster_of(two).pk == kept
    (gone,) = ids - {kept}

    page = client.get(f"/post/{gone}/?live=1")
    assert page.status_code == 301 and page["Location"] == f"/post/{kept}/?live=1"
    status, html = landing(client, f"/post/{gone}/")
    assert status == 200 and f'<h1 id="record-title">{TITLE}</h1>' in html
    assert client.get(f"/post/{gone}.ris")["Location"] == f"/post/{kept}.ris"

    api = client.get(f"/api/v1/records/{gone}")
    assert api.status_code == 301 and api["Location"] == f"/api/v1/records/{kept}"
    assert api["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"/api/v1/records/{gone}", follow=True).json()["id"] == kept
    availability = client.get(f"/api/v1/records/{gone}/availability?home=Sods")
    assert availability.status_code == 301
    assert availability["Location"] == f"/api/v1/records/{kept}/availability?home=Sods"


def test_an_undone_merge_gives_each_title_its_old_id_back(client: Client, regional: User) -> None:
    one, two = two_titles()
    first, second = cluster_of(one).pk, cluster_of(two).pk
    merge_clusters(cluster_of(one), cluster_of(two), regional)
    remove_override(MergeOverride.objects.get())

    assert (cluster_of(one).pk, cluster_of(two).pk) == (first, second)
    for number in (first, second):
        status, html = landing(client, f"/post/{number}/")
        assert status == 200 and f'<h1 id="record-title">{TITLE}</h1>' in html
    assert not ClusterRedirect.objects.exists()


def test_a_redirect_follows_its_records_through_later_merges_in_one_hop(client: Client) -> None:
    one, two = two_titles()
    merge_clusters(cluster_of(one), cluster_of(two))
    gone = ClusterRedirect.objects.get().pk
    # Three more copies with a third ISBN: the bigger cluster keeps its id, ours vanishes too.
    more = [bib(source(f"L{n}"), "3", record_data(TITLE, isbns=["9789150222326"])) for n in range(3)]
    assign_clusters([r.pk for r in more])
    merge_clusters(cluster_of(one), cluster_of(more[0]))
    final = cluster_of(more[0]).pk
    assert cluster_of(one).pk == final and not Cluster.objects.filter(pk=gone).exists()

    assert client.get(f"/post/{gone}/")["Location"] == f"/post/{final}/"
    assert ClusterRedirect.objects.count() == 2


def test_automatic_merging_writes_a_redirect_only_for_the_cluster_that_vanished(client: Client) -> None:
    one, two = two_titles()
    ids = {cluster_of(one).pk, cluster_of(two).pk}
    # A record with both ISBNs shows they are one title: the two clusters become one.
    bridge = bib(source("Li"), "9", record_data(TITLE, isbns=["9789127108509", "9789150222319"]))
    assign_clusters([bridge.pk])
    kept = cluster_of(bridge).pk
    assert cluster_of(one).pk == cluster_of(two).pk == kept
    assert list(ClusterRedirect.objects.values_list("pk", flat=True)) == list(ids - {kept})


def test_a_title_whose_records_are_gone_is_still_not_held(client: Client) -> None:
    _one, two = two_titles()
    number = cluster_of(two).pk
    SourceRecord.objects.filter(pk=two.pk).update(deleted=True)
    assign_clusters([two.pk])
    assert client.get(f"/post/{number}/").status_code == 404
    assert client.get(f"/api/v1/records/{number}").status_code == 404
    assert not ClusterRedirect.objects.exists()
