"""Who may correct a merge: librarians their own library's records, regional staff anything;
only the author's library undoes a correction; the cluster page says who made each one."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.clustering import assign_clusters
from catalog.clustering.overrides import split_record
from catalog.models import Holding, Library, MergeOverride, SourceRecord
from harvest.models import Source
from tests.catalog.records import bib, cluster_of
from tests.catalog.test_clustering_rules import record_data
from tests.world.places import library, persona, staff

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
ISBN = "9789127108509"


@dataclass
class Scene:
    nyks: Library
    sods: Library
    nyks_copy: SourceRecord  # one title, held by both libraries: one cluster
    sods_copy: SourceRecord
    nils: User  # Nyköping's librarian
    sara: User  # Södertälje's librarian
    regina: User  # regional library staff


def own_source(lib: Library) -> Source:
    return Source.objects.create(library=lib, name=lib.code, protocol="marc-file", url=f"/tmp/{lib.code}")


@pytest.fixture
def scene() -> Scene:
    nyks, sods = library("Nyks"), library("Sods")
    nyks_copy = bib(own_source(nyks), "n1", record_data(isbns=[ISBN]))
    sods_copy = bib(own_source(sods), "s1", record_data(isbns=[ISBN]))
    assign_clusters([nyks_copy.pk, sods_copy.pk])
    assert cluster_of(nyks_copy) == cluster_of(sods_copy)
    return Scene(
        nyks,
        sods,
        nyks_copy,
        sods_copy,
        persona("nils"),
        persona("sara"),
        persona("regina"),
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_librarian_cannot_split_another_librarys_record(scene: Scene) -> None:
    cluster = cluster_of(scene.sods_copy)
    page = signed_in(scene.nils).post(
        f"/staff/catalog/clusters/{cluster.pk}/split/", {"record": scene.sods_copy.pk}
    )
    assert page.status_code == 403
    assert not MergeOverride.objects.exists()
    assert cluster_of(scene.sods_copy) == cluster_of(scene.nyks_copy) == cluster

    own = signed_in(scene.nils).post(
        f"/staff/catalog/clusters/{cluster.pk}/split/", {"record": scene.nyks_copy.pk}
    )
    assert own.status_code == 302
    assert cluster_of(scene.nyks_copy) != cluster_of(scene.sods_copy)


def test_a_librarian_cannot_merge_two_titles_of_another_library(scene: Scene) -> None:
    other = bib(scene.sods_copy.source, "s2", record_data("Pappan och havet", isbns=["9789150222319"]))
    assign_clusters([other.pk])
    one, two = cluster_of(scene.sods_copy), cluster_of(other)
    lone = bib(scene.sods_copy.source, "s3", record_data("Sent i november", isbns=["9789150222326"]))
    assign_clusters([lone.pk])
    three = cluster_of(lone)

    # Nyköping's record is in cluster one, so Nils may pull another title into it, but not
    # join two titles Södertälje alone holds.
    page = signed_in(scene.nils).post(f"/staff/catalog/clusters/{two.pk}/merge/", {"other": three.pk})
    assert page.status_code == 403
    assert cluster_of(other) != cluster_of(lone) and not MergeOverride.objects.exists()

    assert (
        signed_in(scene.regina)
        .post(f"/staff/catalog/clusters/{two.pk}/merge/", {"other": three.pk})
        .status_code
        == 302
    )
    assert cluster_of(other) == cluster_of(lone)
    assert (
        signed_in(scene.nils).post(f"/staff/catalog/clusters/{one.pk}/merge/", {"other": two.pk}).status_code
        == 302
    )
    assert cluster_of(scene.nyks_copy) == cluster_of(other)


def test_only_the_authors_library_or_regional_staff_undo_a_correction(scene: Scene) -> None:
    split_record(scene.sods_copy, scene.sara)
    override = MergeOverride.objects.get()
    page = signed_in(scene.nils).post(f"/staff/catalog/overrides/{override.pk}/remove/")
    assert page.status_code == 403
    assert MergeOverride.objects.filter(pk=override.pk).exists()
    assert cluster_of(scene.sods_copy) != cluster_of(scene.nyks_copy)

    colleague = staff("sven", scene.sods)
    assert signed_in(colleague).post(f"/staff/catalog/overrides/{override.pk}/remove/").status_code == 302
    assert not MergeOverride.objects.exists()
    assert cluster_of(scene.sods_copy) == cluster_of(scene.nyks_copy)

    split_record(scene.sods_copy, scene.sara)
    override = MergeOverride.objects.get()
    assert signed_in(scene.regina).post(f"/staff/catalog/overrides/{override.pk}/remove/").status_code == 302
    assert not MergeOverride.objects.exists()


def test_a_regional_feed_record_belongs_to_the_libraries_holding_it(scene: Scene) -> None:
    feed = Source.objects.create(name="LIBRIS", protocol="marc-file", url="/tmp/libris")  # no library
    regional_copy = bib(feed, "l1", record_data(isbns=[ISBN]))
    Holding.objects.create(record=regional_copy, library=scene.nyks)
    assign_clusters([regional_copy.pk])
    cluster = cluster_of(regional_copy)
    url = f"/staff/catalog/clusters/{cluster.pk}/split/"
    assert signed_in(scene.sara).post(url, {"record": regional_copy.pk}).status_code == 403
    assert signed_in(scene.nils).post(url, {"record": regional_copy.pk}).status_code == 302


def test_the_cluster_page_shows_who_made_each_correction(scene: Scene) -> None:
    split_record(scene.sods_copy, scene.sara)
    cluster = cluster_of(scene.sods_copy)
    theirs = signed_in(scene.nils).get(f"/staff/catalog/clusters/{cluster.pk}/").content.decode()
    corrections = theirs.split("<h2>", 4)[-1]
    assert "sara (Södertälje stadsbibliotek)" in corrections
    assert "remove/" not in corrections  # Nyköping cannot undo it, so no button
    assert "/split/" not in theirs  # nor split Södertälje's record
    own = signed_in(scene.sara).get(f"/staff/catalog/clusters/{cluster.pk}/").content.decode()
    assert f"/staff/catalog/overrides/{MergeOverride.objects.get().pk}/remove/" in own
