"""Works above editions: which clusters share a work, and the work id through re-clustering.

Records are the project's own, built with pymarc, mapped by the real mapping and clustered by
the real ``recluster`` (the seam that also assigns works)."""

from io import StringIO

import pymarc
import pytest
from django.core.management import call_command

from catalog.clustering import assign_clusters, recluster
from catalog.clustering.bulk import create_works, works_by_key
from catalog.clustering.overrides import merge_clusters, split_record
from catalog.clustering.works import assign_works, work_key
from catalog.models import Cluster, SourceRecord, Work
from harvest.models import Source
from tests.catalog.marc_builders import book_008, datafield, marc
from tests.catalog.records import cluster_of, source, store_marc

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
BOOK, AUDIO = "00000cam a2200000 a 4500", "00000nim a2200000 a 4500"


def record(
    local_id: str,
    *title: str,
    author: str = "Lindgren, Astrid, 1907-2002",
    year: str = "2012",
    leader: str = BOOK,
    form: str = " ",
    isbn: str = "",
    edition: str = "",
    nonfiling: str = "0",
) -> pymarc.Record:
    """A record as a library catalogues it: 245 subfields as given (code, value, code, value …)."""
    fields = [pymarc.Field(tag="001", data=local_id)]
    fields += [datafield("020", "a", isbn)] if isbn else []
    if author:
        inverted = "," in author
        fields.append(datafield("100", "a", author, ind="1 " if inverted else "0 "))
    fields.append(datafield("245", *title, ind=f"{1 if author else 0}{nonfiling}"))
    fields += [datafield("250", "a", edition)] if edition else []
    fields.append(datafield("264", "a", "Stockholm", "b", "Bonnier", "c", year, ind=" 1"))
    return marc(leader, book_008(year, form=form), *fields)


def harvest(*records: tuple[Source, pymarc.Record]) -> list[SourceRecord]:
    stored = [store_marc(src, rec) for src, rec in records]
    recluster([r.pk for r in stored])
    return stored


def works_of(records: list[SourceRecord]) -> list[int | None]:
    return [cluster_of(r).work_id for r in records]


def test_a_novels_hardback_pocket_large_print_audiobook_and_ebook_are_one_work() -> None:
    sods, nyks, li, g, ka = (source(code) for code in ("Sods", "Nyks", "Li", "G", "Ka"))
    editions = harvest(
        (sods, record("h1", "a", "Hundarna :", "b", "roman /", "c", "Astrid Lindgren", isbn="9789127108509")),
        # Subtitle typed into $a, author in direct order, a later pocket edition.
        (
            nyks,
            record("p1", "a", "Hundarna : roman", author="Astrid Lindgren", year="2014", edition="2. uppl."),
        ),
        # GMD and a qualifier in the title, large type.
        (li, record("s1", "a", "Hundarna (storstil) [Text]", form="d", year="2013")),
        (g, record("a1", "a", "Hundarna [Ljudupptagning] : roman", leader=AUDIO, year="2013")),
        (ka, record("e1", "a", "Hundarna", "b", "roman", form="o", isbn="9789150222319", year="2013")),
    )
    clusters = [cluster_of(r) for r in editions]
    assert len({c.pk for c in clusters}) == 5  # five manifestations: five hits ...
    assert [c.data["formats"][0] for c in clusters] == ["book", "book", "large_print", "audiobook", "ebook"]
    assert len(set(works_of(editions))) == 1 and None not in works_of(editions)  # ... one work
    work = Work.objects.get(pk=clusters[0].work_id)
    assert work.key == "hundarna|astrid lindgren"
    # Another novel by the same author is a work of its own.
    [other] = harvest((sods, record("k1", "a", "Katterna :", "b", "roman")))
    assert cluster_of(other).work_id not in (None, work.pk)


def test_a_common_title_by_different_authors_is_different_works() -> None:
    sods, nyks = source("Sods"), source("Nyks")
    boye, boye_again, sodergran, anthology = harvest(
        (sods, record("d1", "a", "Dikter", author="Boye, Karin", year="1922")),
        (nyks, record("d2", "a", "Dikter", author="Karin Boye", year="1990")),
        (sods, record("d3", "a", "Dikter", author="Södergran, Edith", year="1916")),
        (nyks, record("d4", "a", "Dikter", author="", year="2001")),
    )
    assert cluster_of(boye).work_id == cluster_of(boye_again).work_id is not None
    assert cluster_of(sodergran).work_id not in (None, cluster_of(boye).work_id)
    # No author, no work: a title alone would join every "Dikter" in the county.
    assert cluster_of(anthology).work_id is None and cluster_of(anthology).work_key == ""


def test_volumes_of_a_series_are_works_of_their_own() -> None:
    sods, nyks = source("Sods"), source("Nyks")
    tolkien = "Tolkien, J. R. R."
    one, two, mumin_1, mumin_2, mumin_2_again = harvest(
        (sods, record("t1", "a", "Sagan om ringen.", "n", "1,", "p", "Ringens brödraskap", author=tolkien)),
        (sods, record("t2", "a", "Sagan om ringen.", "n", "2,", "p", "De två tornen", author=tolkien)),
        (sods, record("m1", "a", "Mumintrollen : del 1", author="Jansson, Tove")),
        (sods, record("m2", "a", "Mumintrollen : del 2", author="Jansson, Tove")),
        (nyks, record("m3", "a", "Mumintrollen.", "n", "Del II", author="Tove Jansson", year="1999")),
    )
    assert len({cluster_of(r).work_id for r in (one, two, mumin_1, mumin_2)}) == 4
    assert cluster_of(mumin_2).work_id == cluster_of(mumin_2_again).work_id


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"title": "Hundarna : roman"}, {"title": "Hundarna", "subtitle": "roman"}),
        ({"title": "The hobbit", "title_sort": "hobbit"}, {"title": "The Hobbit : or there and back again"}),
        ({"title": "Den hemliga trädgården"}, {"title": "Hemliga trädgården"}),
        ({"title": "Tom & Jerry"}, {"title": "Tom och Jerry [Elektronisk resurs]"}),
        ({"title": "Sagan om ringen : band 2"}, {"title": "Sagan om ringen. 2"}),
        ({"authors": [{"name": "Lindgren, Astrid, 1907-2002"}]}, {"authors": [{"name": "Astrid Lindgren"}]}),
    ],
)
def test_the_work_key_sees_through_catalogue_variation(
    one: dict[str, object], other: dict[str, object]
) -> None:
    base = {"title": "Bröderna Lejonhjärta", "authors": [{"name": "Lindgren, Astrid"}]}
    assert work_key(base | one) == work_key(base | other) != ""


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"title": "Sagan om ringen. 1, Ringens brödraskap"}, {"title": "Sagan om ringen. 2, De två tornen"}),
        ({"title": "Mumin : del 1"}, {"title": "Mumin : del 2"}),
        ({"title": "Mumin (del 1)"}, {"title": "Mumin (del 2)"}),
        ({"authors": [{"name": "Lindgren, Astrid"}]}, {"authors": [{"name": "Lindgren, Barbro"}]}),
        ({"title": "Dikter"}, {"title": "Dikter och prosa"}),
    ],
)
def test_the_work_key_keeps_apart(one: dict[str, object], other: dict[str, object]) -> None:
    base = {"title": "Bröderna Lejonhjärta", "authors": [{"name": "Lindgren, Astrid"}]}
    assert work_key(base | one) != work_key(base | other)


@pytest.mark.parametrize(
    "title", ["Del \u1369", "Band \u2460", "\u1369\u136a dagar", "[Ljudupptagning]", "("]
)
def test_odd_titles_give_a_key_or_none_never_an_error(title: str) -> None:
    """Ethiopic digits are digits to str.isdigit() but no number to int()."""
    key = work_key({"title": title, "authors": [{"name": "A B"}]})
    assert key == "" or key.endswith("|a b")


def test_the_work_id_survives_merges_splits_redeliveries_and_a_new_key() -> None:
    sods, nyks, li = source("Sods"), source("Nyks"), source("Li")
    hardback, pocket = harvest(
        (sods, record("h1", "a", "Hundarna", isbn="9789127108509")),
        (nyks, record("p1", "a", "Hundarna : roman", year="2014")),
    )
    work_id = cluster_of(hardback).work_id
    assert work_id is not None and cluster_of(pocket).work_id == work_id

    merge_clusters(cluster_of(hardback), cluster_of(pocket))  # a librarian's merge: a new cluster
    assert cluster_of(hardback).pk == cluster_of(pocket).pk and cluster_of(pocket).work_id == work_id
    split_record(pocket)
    assert cluster_of(hardback).pk != cluster_of(pocket).pk
    assert works_of([hardback, pocket]) == [work_id, work_id]

    # The library withdraws its record and catalogues the pocket edition again: a new cluster id.
    SourceRecord.objects.filter(pk=pocket.pk).update(deleted=True)
    recluster([pocket.pk])
    [pocket] = harvest((nyks, record("p2", "a", "Hundarna : roman", year="2014")))
    assert works_of([hardback, pocket]) == [work_id, work_id]

    # A correction that changes every edition's key at once: the work follows them.
    for member in (hardback, pocket):
        member.data["authors"] = [{"name": "Lindgren, Astrid Anna Emilia", "role": "aut"}]
        member.save()
    recluster([hardback.pk, pocket.pk])
    assert works_of([hardback, pocket]) == [work_id, work_id]
    assert Work.objects.get(pk=work_id).key == "hundarna|anna astrid emilia lindgren"

    # One edition alone retitled leaves the work; the other keeps it.
    pocket.data["title"], pocket.data["title_sort"] = "Hundarna i natten", "hundarna i natten"
    pocket.save()
    recluster([pocket.pk])
    assert cluster_of(hardback).work_id == work_id and cluster_of(pocket).work_id != work_id

    # Every edition withdrawn, then catalogued again: the same work id.
    SourceRecord.objects.filter(pk__in=[hardback.pk]).update(deleted=True)
    recluster([hardback.pk])
    assert not Cluster.objects.filter(work_id=work_id).exists()
    [hardback_again] = harvest(
        (li, record("h9", "a", "Hundarna", author="Lindgren, Astrid Anna Emilia", year="2020"))
    )
    assert cluster_of(hardback_again).work_id == work_id


def test_a_first_load_writes_each_title_once_with_its_work() -> None:
    """No record of the run was in a title: the titles are made with their works (which
    ``assign_works`` then leaves as they are), one work for each key."""
    sods, nyks = source("Sods"), source("Nyks")
    stored = [
        store_marc(sods, record("h1", "a", "Hundarna", isbn="9789127108509")),
        store_marc(nyks, record("p1", "a", "Hundarna : roman", year="2014")),
        store_marc(nyks, record("e1", "a", "Emil i Lönneberga", year="1963")),
        store_marc(sods, record("x1", "a", "Dikter", author="")),  # no author: no work
    ]
    clusters = assign_clusters([r.pk for r in stored])  # the clustering alone, not recluster
    hardback, pocket, emil, poems = works_of(stored)
    assert hardback is not None and hardback == pocket  # one work, two titles
    assert emil not in (None, hardback) and poems is None
    assert dict(Work.objects.values_list("pk", "key")) == {
        hardback: "hundarna|astrid lindgren",
        emil: "emil i lönneberga|astrid lindgren",
    }
    assert assign_works(clusters) == set()


def test_a_new_title_joins_the_work_that_follows_its_editions_to_the_same_key() -> None:
    """A run where records were in titles before leaves works to ``assign_works``: a work whose
    every edition takes a new key keeps its id, and a new title with that key joins it."""
    [hardback] = harvest((source("Sods"), record("h1", "a", "Hundarna", isbn="9789127108509")))
    work_id = cluster_of(hardback).work_id
    hardback.data["authors"] = [{"name": "Lindgren, Astrid Anna Emilia", "role": "aut"}]
    hardback.save()
    audio = store_marc(
        source("Nyks"), record("a1", "a", "Hundarna", author="Lindgren, Astrid Anna Emilia", leader=AUDIO)
    )
    recluster([hardback.pk, audio.pk])
    assert cluster_of(hardback).pk != cluster_of(audio).pk
    assert works_of([hardback, audio]) == [work_id, work_id]
    assert Work.objects.get(pk=work_id).key == "hundarna|anna astrid emilia lindgren"


def test_assign_works_reports_only_the_clusters_whose_work_changed() -> None:
    [one] = harvest((source("Sods"), record("h1", "a", "Hundarna")))
    cluster = cluster_of(one)
    assert assign_works([cluster.pk]) == set()
    Cluster.objects.filter(pk=cluster.pk).update(work=None)
    assert assign_works([cluster.pk, 10**12]) == {cluster.pk}  # a vanished id is no error


def test_assign_works_command_regroups_clusters_by_todays_key() -> None:
    """Keys an older rule wrote are recomputed, and their clusters join the work they belong to."""
    sods, nyks = source("Sods"), source("Nyks")
    hardback, pocket = harvest(
        (sods, record("h1", "a", "Hundarna", isbn="9789127108509")),
        (nyks, record("p1", "a", "Hundarna : roman", year="2014")),
    )
    work_id = cluster_of(hardback).work_id
    old = Work.objects.create(key="hundarna roman|astrid lindgren")  # an older rule's key
    Cluster.objects.filter(pk=cluster_of(pocket).pk).update(work=old, work_key=old.key)
    out = StringIO()
    call_command("assign_works", stdout=out)
    assert works_of([hardback, pocket]) == [work_id, work_id]
    assert cluster_of(pocket).work_key == "hundarna|astrid lindgren"
    assert out.getvalue().strip().splitlines()[-1].startswith("assign_works: 2 clusters in ")


def test_works_are_made_in_key_order_and_a_key_that_has_one_keeps_it() -> None:
    """``create_works`` where another process made one of the keys' works meanwhile."""
    there = Work.objects.create(key="hundarna|astrid lindgren")
    made = create_works({"rasmus|astrid lindgren", "hundarna|astrid lindgren", "emil|astrid lindgren"})
    assert made["hundarna|astrid lindgren"] == there.pk
    assert made["emil|astrid lindgren"] < made["rasmus|astrid lindgren"]
    assert works_by_key(made) == made == dict(Work.objects.values_list("key", "pk"))
