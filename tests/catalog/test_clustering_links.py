"""The undated block's key links records with and without a year, and only those: editions of
one title by one author in different years are not one connected set (an incremental change of
one of them would re-decide them all), unless a record without a year links them. Editions of the
same year are not linked by it either: that block compares them with undated records only.

Every way a run follows keys is checked: the database look-up (PostgreSQL and SQLite), the
holders a large run reads in one statement (PostgreSQL), and the processes' union of sets.
"""

import os

import pytest

from catalog.clustering import assign_clusters
from catalog.clustering.bulk import records_with_keys
from catalog.clustering.holders import KeyHolders, connected
from catalog.clustering.keys import linked_keys, match_keys, undated_block
from catalog.clustering.processes import components
from catalog.models import MatchKey
from tests.catalog.records import partition_of
from tests.catalog.test_clustering_fuzzy import book, stored

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
NO_YEAR = "    "
DATED, OTHER_YEAR, UNDATED = (
    "fuzzy:book:@hundarna|lindgren astrid|2012",
    "fuzzy:book:@hundarna|lindgren astrid|2015",
    "fuzzy:book:@hundarna|lindgren astrid|",
)


def test_a_dated_key_links_its_undated_key_and_the_undated_key_every_year() -> None:
    assert linked_keys(DATED) == (UNDATED, None)
    assert linked_keys(UNDATED) == (None, UNDATED)
    assert linked_keys("fuzzy:book:hundarna|lindgren|2012") == (None, None)
    assert linked_keys("isbn:book:9789129688313") == (None, None)
    assert undated_block(DATED) == undated_block(OTHER_YEAR) == undated_block(UNDATED) == UNDATED
    data = {"title": "Hundarna", "authors": [{"name": "Lindgren, Astrid"}], "formats": ["book"]}
    assert DATED in match_keys({**data, "year": 2012})
    assert UNDATED in match_keys({**data, "year": None})


def test_editions_of_other_years_are_connected_only_through_a_record_without_a_year() -> None:
    first, second = stored(book("1", year="2012"), book("2", year="2015"))
    assert {DATED, OTHER_YEAR} <= set(MatchKey.objects.values_list("key", flat=True))
    assert connected({first.pk}, set())[0] == {first.pk}
    assert records_with_keys([DATED]) == set()  # not even its own holder: no undated record

    (undated,) = stored(book("3", year=NO_YEAR))
    assert connected({first.pk}, set())[0] == {first.pk, second.pk, undated.pk}
    assert connected({undated.pk}, set())[0] == {first.pk, second.pk, undated.pk}
    assert records_with_keys([DATED]) == {undated.pk}
    assert records_with_keys([UNDATED]) == {first.pk, second.pk, undated.pk}
    # a key no record holds any more (one a changed record lost) links the same way
    MatchKey.objects.filter(record_id=undated.pk).delete()
    assert records_with_keys([UNDATED]) == {first.pk, second.pk}
    assert connected({undated.pk}, {UNDATED})[0] == {first.pk, second.pk, undated.pk}


def test_an_edition_arriving_later_is_decided_with_the_undated_record_as_if_all_came_at_once() -> None:
    records = stored(book("1", year="2012"), book("2", year=NO_YEAR))
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"})}
    records += stored(book("3", year="2015"))  # clustered alone, as a harvest would
    arrived = partition_of(records)
    assert {frozenset({"lib0/3"})} < arrived
    MatchKey.objects.all().delete()
    assign_clusters([r.pk for r in reversed(records)])
    assert partition_of(records) == arrived


@pytest.mark.skipif(not POSTGRES, reason="a large run reads its keys' holders in PostgreSQL statements")
def test_a_large_runs_holders_link_like_the_database_look_up() -> None:
    first, second, undated = stored(book("1", year="2012"), book("2", year="2015"), book("3", year=NO_YEAR))
    keys = {first.pk: list(match_keys(first.data))}
    holders = KeyHolders.of_run(keys, [first.pk])
    assert holders.holders([DATED]) == {undated.pk}
    assert connected({first.pk}, set(), keys, holders)[0] == {first.pk, second.pk, undated.pk}
    # the undated record in the run: the dated ones outside it are found by the key's prefix
    keys = {undated.pk: list(match_keys(undated.data)), first.pk: list(match_keys(first.data))}
    holders = KeyHolders.of_run(keys, [undated.pk, first.pk])
    assert holders.holders([UNDATED]) == {first.pk, second.pk, undated.pk}
    # two dated editions alone in a run are not linked
    keys = {first.pk: list(match_keys(first.data)), second.pk: list(match_keys(second.data))}
    MatchKey.objects.filter(record_id=undated.pk).delete()
    holders = KeyHolders.of_run(keys, [first.pk, second.pk])
    assert holders.holders([DATED]) == set()


def test_processes_join_dated_editions_only_where_a_record_without_a_year_is() -> None:
    dated = {
        1: [DATED, "fuzzy:book:hundarna|lindgren|2012"],
        2: [OTHER_YEAR, "fuzzy:book:hundarna|lindgren|2015"],
    }
    units = [({1}, {1: dated[1]}), ({2}, {2: dated[2]})]
    assert sorted(sorted(m) for m, _ in components(units, {})) == [[1], [2]]
    units.append(({3}, {3: [UNDATED]}))
    assert sorted(sorted(m) for m, _ in components(units, {})) == [[1, 2, 3]]
    # the same year's dated key links nothing by itself (their ordinary block key does)
    same_year = [({4}, {4: [DATED]}), ({5}, {5: [DATED]})]
    assert sorted(sorted(m) for m, _ in components(same_year, {})) == [[4], [5]]
