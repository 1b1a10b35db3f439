"""The fuzzy stage's second blocking pass (a typo in the first title words, a missing year), and
title/author keys folded across scripts as search folds them.

Records are built with pymarc and mapped like a harvest maps them (``store_marc``).
"""

import pytest
from pymarc import Field

from catalog.clustering.keys import block_keys, match_keys, normalize, title_words
from catalog.clustering.partition import BLOCK_LIMIT, MAX_PAIRS, Candidate, partition
from catalog.models import SourceRecord
from tests.catalog.marc_builders import datafield
from tests.catalog.records import partition_of
from tests.catalog.test_clustering_fuzzy import book, stored

pytestmark = pytest.mark.django_db
NO_YEAR = "    "  # 008 date1 blank and no date in 260 $c


def isbn(value: str) -> Field:
    return datafield("020", "a", value)


def test_a_typo_in_the_first_title_word_is_met_by_the_last_word() -> None:
    records = stored(
        book("1", title=("a", "Hundarna i skogen")),
        book("2", title=("a", "Hundarn i skogen")),  # the first block differs: "hundarn i"
    )
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"})}
    second = SourceRecord.objects.get(pk=records[1].pk)
    assert second.merge_reason.startswith("similar title and author")


def test_a_record_without_a_year_meets_the_dated_copies() -> None:
    records = stored(book("1"), book("2", year=NO_YEAR))
    assert records[1].data["year"] is None
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"})}


def test_a_record_without_a_year_like_two_dated_editions_joins_neither() -> None:
    records = stored(
        book("1", isbn("9789129688313")),
        book("2", isbn("9789150222319"), year="2015"),
        book("3", year=NO_YEAR),
    )
    assert partition_of(records) == {frozenset({"lib0/1"}), frozenset({"lib1/2"}), frozenset({"lib2/3"})}


def test_a_reprint_with_a_new_year_stays_apart_also_in_the_undated_block() -> None:
    """Both are in one undated block, which compares no pair of two dated records; another year
    is a veto anyway."""
    records = stored(book("1"), book("2", year="2013"))
    assert partition_of(records) == {frozenset({"lib0/1"}), frozenset({"lib1/2"})}


def test_a_libris_id_alone_like_two_printings_known_by_isbns_joins_neither() -> None:
    """Two printings, same description, told apart by their ISBNs only; a third copy knows only
    its LIBRIS id and could be either."""
    records = stored(
        book("1", isbn("9789129688313")),
        book("2", isbn("9789150222319")),
        book("LIBRIS-3", datafield("035", "a", "(LIBRIS)1234567")),
    )
    assert records[2].data["libris_id"] == "1234567"
    assert len(partition_of(records)) == 3


def test_blocking_keys_of_one_record() -> None:
    data = {
        "title": "Hundarna i skogen",
        "authors": [{"name": "Lindgren, Astrid"}],
        "year": 2012,
        "formats": ["book"],
    }
    assert block_keys(data, "book") == [
        "fuzzy:book:hundarna i|lindgren|2012",
        "fuzzy:book:~skogen|lindgren astrid|2012",
        "fuzzy:book:@hundarna i|lindgren astrid|2012",
    ]
    assert block_keys({**data, "year": None}, "book") == ["fuzzy:book:@hundarna i|lindgren astrid|"]
    # "Astrid Lindgren" is in the same blocks; "Lindgren, A." only in the first
    assert block_keys({**data, "authors": [{"name": "Astrid Lindgren"}]}, "book") == block_keys(data, "book")
    initial = block_keys({**data, "authors": [{"name": "Lindgren, A."}]}, "book")
    assert initial[0] == "fuzzy:book:hundarna i|lindgren|2012"
    assert initial[1:] == ["fuzzy:book:~skogen|lindgren a|2012", "fuzzy:book:@hundarna i|lindgren a|2012"]
    # without an author, neither the last word nor the title alone is narrow enough
    assert block_keys({**data, "authors": []}, "book") == ["fuzzy:book:hundarna i skogen||2012"]


def test_a_surname_is_its_last_word_in_either_order_and_particles_are_neither_name() -> None:
    """With the particle as the surname every "al-" author shared one block: at a million
    records a connected set of thousands, re-decided on each change of one of them."""
    data = {"title": "Awdat al-ruh", "year": 1933, "formats": ["book"]}
    forms = ("al-Hakim, Tawfiq", "Tawfiq al-Hakim", "Hakim, Tawfiq al-")
    keys = [block_keys({**data, "authors": [{"name": name}]}, "book") for name in forms]
    assert (
        keys[0]
        == keys[1]
        == keys[2]
        == [
            "fuzzy:book:awdat al|hakim|1933",
            "fuzzy:book:~ruh|hakim tawfiq|1933",
            "fuzzy:book:@awdat al|hakim tawfiq|1933",
        ]
    )
    assert block_keys({**data, "authors": [{"name": "al-Sayyid, Tawfiq"}]}, "book")[0].endswith(
        "|sayyid|1933"
    )
    # Arabic script writes the inverted form with its own comma
    inverted, direct = ({**data, "authors": [{"name": name}]} for name in ("محفوظ، نجيب", "نجيب محفوظ"))
    assert block_keys(inverted, "book") == block_keys(direct, "book")
    # the romanized Arabic article is a leading article, like "el" and "the"
    assert title_words({"title": "Al-Bahr wa-al-layl"}) == "bahr wa al layl"
    assert block_keys({**data, "authors": [{"name": "Lars von Trier"}]}, "book")[1] == (
        "fuzzy:book:~ruh|trier lars|1933"
    )


def test_a_block_too_large_to_compare_is_left_as_the_exact_stage_left_it() -> None:
    def candidate(n: int, year: int | None) -> Candidate:
        data = {
            "title": "Dikter" if n else "Diktr",
            "authors": [{"name": "Boye, Karin"}],
            "year": year,
            "formats": ["book"],
        }
        return Candidate(n, (1, f"{n:03}"), match_keys(data), False, data)

    # one undated record against BLOCK_LIMIT dated ones is within MAX_PAIRS: compared, joined
    small = [candidate(n, 1940) for n in range(1, BLOCK_LIMIT)] + [candidate(999, None)]
    assert len(partition(small)) == 1
    # undated records whose pairs with the block exceed MAX_PAIRS: nothing is compared
    undated = [candidate(1000 + n, None) for n in range(MAX_PAIRS // BLOCK_LIMIT + 1)]
    large = [candidate(n, 1940) for n in range(1, BLOCK_LIMIT)] + undated
    assert len(partition(large)) > 1


def test_a_block_counts_split_records_and_a_crowded_key_is_not_compared() -> None:
    """A block's size is its holders', split ones too (as a crowded key's count in the catalogue
    is): at BLOCK_LIMIT records and one split, nothing is compared. A key the caller says is
    crowded is not compared in a set that holds only two of its holders."""

    def candidate(n: int, split: bool = False) -> Candidate:
        title = "Dikter i urval" if n else "Diktr i urval"  # met in the last word's block only
        data = {"title": title, "authors": [{"name": "Boye, Karin"}], "year": 1940}
        data["formats"] = ["book"]
        return Candidate(n, (1, f"{n:03}"), match_keys(data), split, data)

    block = [candidate(n) for n in range(BLOCK_LIMIT)]
    assert len(partition(block)) == 1  # "Diktr" (0) joins the others: compared
    assert len(partition([*block, candidate(999, split=True)])) == 3  # not compared: it stays apart
    pair = block[:2]
    assert len(partition(pair)) == 1
    crowded = {key for key in pair[0].keys if key.startswith("fuzzy:")}
    assert len(partition(pair, crowded)) == 2


def test_title_and_author_keys_fold_scripts_as_search_does() -> None:
    assert normalize("كِتَابُ الْمُوسِيقَى") == normalize("كتاب الموسيقي")
    assert normalize("کتاب") == normalize("كتاب")  # Persian keheh and yeh, Arabic kaf
    assert normalize("Ёлка") == normalize("елка")


def test_arabic_records_one_with_harakat_merge_without_an_isbn() -> None:
    """Same author, year and publisher, no ISBN: one library typed the harakat and the alef
    maqsura, the other wrote neither (and a yeh for the maqsura, as Egyptian print often does)."""
    records = stored(
        book("1", title=("a", "كِتَابُ الْمُوسِيقَى"), author="محفوظ، نجيب", publisher="دار الشروق"),
        book("2", title=("a", "كتاب الموسيقي"), author="محفوظ، نجيب", publisher="دار الشروق"),
    )
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"})}


def test_titles_that_differ_by_a_number_stay_apart_in_the_last_word_block() -> None:
    """ "Titel 2, rättad" and "Titel 9, rättad" share their last word, author and year: the
    second blocking pass compares them, and their numbers keep them apart (found by the OAI walk
    test after the merge)."""
    records = stored(
        book("1", title=("a", "Bamse 12, rättad")),
        book("2", title=("a", "Bamse 13, rättad")),
        book("3", title=("a", "Bamse 12, rättad")),
    )
    assert partition_of(records) == {frozenset({"lib0/1", "lib2/3"}), frozenset({"lib1/2"})}
