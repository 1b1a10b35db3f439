"""Accessible versions stay manifestations of their own when merging, and join their work.

The records (tests.catalog.accessible_records) are the project's own, mapped and clustered by the
real ``recluster``: the ordinary edition, its large-print, easy-to-read, braille, DAISY talking
book and audiobook-on-CD versions.
"""

import pytest
from pymarc import Field, Record

from catalog.clustering import recluster
from catalog.models import SourceRecord
from tests.catalog import accessible_records as made
from tests.catalog.marc_builders import datafield
from tests.catalog.records import cluster_of, partition_of, source, store_marc

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def harvest(*records: Record) -> list[SourceRecord]:
    stored = [store_marc(source(f"lib{n}"), record) for n, record in enumerate(records)]
    recluster([r.pk for r in stored])
    return stored


def local(record: Record) -> Record:
    """As a library's own catalogue has it: no 003 SE-LIBR, so 001 is no LIBRIS id (two LIBRIS
    ids never merge)."""
    for field in record.get_fields("003"):
        record.remove_field(field)
    return record


def described_alike(record: Record) -> Record:
    """The record without its ISBN (the title and fuzzy stages join only records without
    identifiers) and with the ordinary edition's year and publisher: only the description can
    tell them apart."""
    for field in local(record).get_fields("020", "264"):
        record.remove_field(field)
    record.add_field(datafield("264", "a", "Stockholm :", "b", "Piratförlaget,", "c", "2009", ind=" 1"))
    f008 = record["008"]
    assert isinstance(f008, Field) and f008.data is not None
    f008.data = f008.data[:7] + "2009" + f008.data[11:]
    return record


def test_each_accessible_version_is_a_cluster_of_its_own_in_the_one_work() -> None:
    records = harvest(
        made.ordinary(),
        made.large_print(),
        made.easy_to_read(),
        made.talking_book(),
        made.braille(),
        made.audiobook_cd(),
    )
    clusters = [cluster_of(r) for r in records]
    assert len({c.pk for c in clusters}) == 6
    assert len({c.work_id for c in clusters}) == 1 and clusters[0].work_id is not None
    assert [c.data["accessibility"] for c in clusters] == [
        [],
        ["large_print"],
        ["easy_to_read"],
        ["talking_book"],
        ["braille"],
        ["audiobook"],
    ]


def test_braille_and_easy_to_read_described_like_the_ordinary_edition_are_not_merged_with_it() -> None:
    """Without an identifier the title stage and the fuzzy stage would join them (same title,
    author, year and publisher): braille is a version of its own (the accessible version veto);
    the easy-to-read adaptation is a text of its own (its extent and subtitle differ)."""
    records = harvest(
        described_alike(made.ordinary("o1")),
        described_alike(made.ordinary("o2")),
        described_alike(made.braille("b1")),
        described_alike(made.easy_to_read("l1")),
    )
    assert partition_of(records) == {
        frozenset({"lib0/o1", "lib1/o2"}),  # two copies of the ordinary edition do merge
        frozenset({"lib2/b1"}),
        frozenset({"lib3/l1"}),
    }


def test_a_daisy_talking_book_is_not_merged_with_the_audiobook_cd_even_described_alike() -> None:
    daisy, cd = local(made.talking_book("t1")), local(made.audiobook_cd("c1"))
    for field in cd.get_fields("020", "028", "264"):
        cd.remove_field(field)
    cd.add_field(datafield("264", "a", "Malmö :", "b", "MTM,", "c", "2010", ind=" 1"))
    records = harvest(daisy, cd, local(made.talking_book("t2")))
    assert partition_of(records) == {frozenset({"lib0/t1", "lib2/t2"}), frozenset({"lib1/c1"})}


def test_a_large_print_copy_does_not_join_the_ordinary_edition_through_the_title_stage() -> None:
    large = described_alike(made.large_print("s1"))
    records = harvest(described_alike(made.ordinary("o1")), large)
    assert partition_of(records) == {frozenset({"lib0/o1"}), frozenset({"lib1/s1"})}


def test_copies_differing_only_in_a_library_s_easy_to_read_genre_term_merge() -> None:
    """Easy-to-read is a property some libraries add as a genre term and others leave out: it
    never keeps two copies of one edition apart (the sample county's libraries do exactly this)."""
    plain = described_alike(made.ordinary("o1"))
    tagged = described_alike(made.ordinary("o2"))
    tagged.add_field(datafield("655", "a", "Lättlästa böcker", "2", "saogf", ind=" 7"))
    records = harvest(plain, tagged)
    assert partition_of(records) == {frozenset({"lib0/o1", "lib1/o2"})}
    assert cluster_of(records[0]).data["accessibility"] == ["easy_to_read"]
