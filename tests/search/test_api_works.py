"""The API's works: a hit's and a record's work id, a record's other editions, /api/v1/works/<id>,
and search narrowed to one work."""

import pytest
from django.test import Client

from catalog.fields import HIT_FIELDS
from catalog.models import Cluster, ItemStatus, Work
from catalog.search.indexing import index_clusters
from tests.world.places import source
from tests.world.search import County, build_county, copy, make_cluster
from tests.world.shelves import shelve

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def county(db: None) -> County:
    """Pippi gets an e-book edition (held at Nyks, in); both are one work."""
    county = build_county()
    ebook = make_cluster(
        "Pippi Långstrump",
        authors=[{"name": "Lindgren, Astrid", "role": "author"}],
        year=2007,
        formats=["ebook"],
        edition="2. uppl.",
        publisher="Rabén & Sjögren",
    )
    shelve(ebook, source(county.nyks, "Nyköping e-böcker"), "e-1", [copy("Nyks", ItemStatus.AVAILABLE)])
    work = Work.objects.create(key="pippi långstrump|astrid lindgren")
    Cluster.objects.filter(pk__in=[county.pippi.pk, ebook.pk]).update(work=work)
    index_clusters([county.pippi.pk, county.emil.pk, county.orphan.pk, ebook.pk])
    return county


def ebook_of(county: County) -> Cluster:
    return Cluster.objects.exclude(pk=county.pippi.pk).get(work__isnull=False)


def test_hits_carry_their_work(client: Client, county: County) -> None:
    hits = client.get("/api/v1/search", {"q": "pippi"}).json()["hits"]
    assert all(list(hit) == list(HIT_FIELDS) for hit in hits)
    assert {hit["work"] for hit in hits} == {Cluster.objects.get(pk=county.pippi.pk).work_id}
    emil = client.get("/api/v1/search", {"q": "emil"}).json()["hits"][0]
    assert emil["work"] is None


def test_search_narrowed_to_one_work(client: Client, county: County) -> None:
    pippi = Cluster.objects.get(pk=county.pippi.pk)
    body = client.get("/api/v1/search", {"work": str(pippi.work_id), "facet": "format"}).json()
    assert {hit["id"] for hit in body["hits"]} == {pippi.pk, ebook_of(county).pk}
    assert {value["value"]: value["count"] for value in body["facets"]["format"]} == {"book": 1, "ebook": 1}
    refused = client.get("/api/v1/search", {"work": "pippi"})
    assert refused.status_code == 400 and refused.json() == {"error": "work måste vara ett heltal."}


def test_a_record_names_its_work_and_other_editions(client: Client, county: County) -> None:
    pippi, ebook = Cluster.objects.get(pk=county.pippi.pk), ebook_of(county)
    body = client.get(f"/api/v1/records/{pippi.pk}").json()
    assert body["work"] == pippi.work_id
    [other] = body["other_editions"]
    assert list(other) == [*HIT_FIELDS, "edition", "publisher"]
    assert (other["id"], other["formats"], other["year"], other["edition"]) == (
        ebook.pk,
        ["ebook"],
        2007,
        "2. uppl.",
    )
    assert (other["libraries"], other["available_at"], other["work"]) == (["Nyks"], ["Nyks"], pippi.work_id)
    emil = client.get(f"/api/v1/records/{county.emil.pk}").json()
    assert emil["work"] is None and emil["other_editions"] == []


def test_a_work_lists_every_edition(client: Client, county: County) -> None:
    pippi, ebook = Cluster.objects.get(pk=county.pippi.pk), ebook_of(county)
    response = client.get(f"/api/v1/works/{pippi.work_id}")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert (body["id"], body["title"], body["authors"], body["edition_count"]) == (
        pippi.work_id,
        "Pippi Långstrump",
        ["Lindgren, Astrid"],
        2,
    )
    assert [edition["id"] for edition in body["editions"]] == [pippi.pk, ebook.pk]  # books first


@pytest.mark.parametrize("path", ["999999", "abc", "²", "0"])
def test_an_unknown_work_is_404_json(client: Client, county: County, path: str) -> None:
    response = client.get(f"/api/v1/works/{path}")
    assert response.status_code == 404 and "error" in response.json()
    empty = Work.objects.create(key="ingen|alls")
    assert client.get(f"/api/v1/works/{empty.pk}").status_code == 404
