"""Merging without a shared identifier, and the wrong merges other catalogues' data showed.

Records are built with pymarc and mapped like a harvest maps them (``store_marc``).
"""

from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from pymarc import Field, Record

from catalog.clustering import assign_clusters
from catalog.clustering.overrides import split_record
from catalog.clustering.reasons import explain
from catalog.mapping import is_holdings_record, map_record
from catalog.models import SourceRecord
from tests.catalog.marc_builders import book_008, datafield, marc
from tests.catalog.records import partition_of, source, store_marc

pytestmark = pytest.mark.django_db
BOOK = "00000cam a2200000 a 4500"


def book(local_id: str, *more: Field, title: tuple[str, ...] = ("a", "Hundarna"), **kw: Any) -> Record:
    """A book without ISBN by Astrid Lindgren, 2012, Bonnier, 159 pages, unless told otherwise."""
    leader = kw.get("leader", BOOK)
    fields = [
        Field(tag="001", data=local_id),
        datafield("100", "a", kw.get("author", "Lindgren, Astrid"), ind="1 "),
        datafield("245", *title, ind="10"),
        datafield("260", "a", "Stockholm", "b", kw.get("publisher", "Bonnier"), "c", kw.get("year", "2012")),
        datafield("300", "a", kw.get("extent", "159 s.")),
        *more,
    ]
    return marc(leader, book_008(kw.get("year", "2012")), *fields)


def stored(*records: Record) -> list[SourceRecord]:
    """Each record from a library of its own, clustered together."""
    found = [store_marc(source(f"lib{i}"), record) for i, record in enumerate(records)]
    assign_clusters([r.pk for r in found])
    return found


def test_subtitle_typed_into_a_gmd_and_author_forms_merge_with_a_readable_reason() -> None:
    records = stored(
        book("1", title=("a", "Hundarna : roman")),
        book("2", title=("a", "Hundarna", "b", "roman")),
        book("3", title=("a", "Hundarna [Text]"), author="Astrid Lindgren"),
        book("4", author="Lindgren, A.", extent="160 s."),
        book("5", author="Lindgren, Barbro"),  # another Lindgren: apart
    )
    assert partition_of(records) == {
        frozenset({"lib0/1", "lib1/2", "lib2/3", "lib3/4"}),
        frozenset({"lib4/5"}),
    }
    second = SourceRecord.objects.get(pk=records[1].pk)
    assert second.merge_reason == "similar title and author (1.00), year 2012, 159 p."
    with translation.override("sv"):
        assert explain(second.merge_reason) == "titel och författare lika (1,00), år 2012, 159 s."
    answer = Client().get(f"/api/v1/records/{second.cluster_id}", HTTP_ACCEPT_LANGUAGE="sv").json()
    member = next(m for m in answer["members"] if m["local_id"] == "2")
    assert member["merge_reason"] == second.merge_reason
    assert member["merge_reason_text"].startswith("titel och författare lika")


def test_vetoes_win_over_a_similar_description() -> None:
    base = book("1")
    records = stored(
        base,
        book("2", publisher="Norstedts"),  # another publisher, no identifier
        book("3", datafield("250", "a", "2. uppl.")),  # another edition
        book("4", year="2013"),  # a reprint with a new year
        book("5", extent="320 s."),  # twice as thick
        book("6", title=("a", "Hundarna", "n", "2")),  # a volume
    )
    assert partition_of(records) == {frozenset({f"lib{i}/{i + 1}"}) for i in range(6)}


def test_volumes_typed_as_other_title_information_stay_apart() -> None:
    """ "Hundarna : del 1" and "Hundarna : del 2" (no $n) are two volumes, not one title with two
    subtitles; "del 2" typed into $a or given in $b is the same volume."""
    records = stored(
        book("1", title=("a", "Hundarna : del 1")),
        book("2", title=("a", "Hundarna : del 2")),
        book("3", title=("a", "Hundarna", "b", "del 2")),
    )
    assert partition_of(records) == {frozenset({"lib0/1"}), frozenset({"lib1/2", "lib2/3"})}


def test_same_title_author_year_but_another_publisher_stays_apart_even_on_the_exact_key() -> None:
    records = stored(book("1"), book("2"), book("3", publisher="Rabén & Sjögren"))
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"}), frozenset({"lib2/3"})}


def test_an_isbn_qualified_for_one_part_identifies_that_part_not_the_set() -> None:
    whole = book(
        "1",
        datafield("020", "a", "9789127108509", "q", "osa 1"),
        datafield("020", "a", "9789150222319", "q", "osa 2"),
        title=("a", "Sagor"),
    )
    part_one = book("2", datafield("020", "a", "9789127108509"), title=("a", "Sagor", "n", "1"))
    part_one_too = book(
        "3", datafield("020", "a", "9789127108509 (osa 1)"), title=("a", "Sagor", "n", "Del 1")
    )
    records = stored(whole, part_one, part_one_too)
    assert map_record(whole)["part_isbns"] == {"9789127108509": "1", "9789150222319": "2"}
    assert partition_of(records) == {frozenset({"lib0/1"}), frozenset({"lib1/2", "lib2/3"})}


def test_a_series_isbn_in_each_volume_does_not_merge_the_volumes() -> None:
    def volume(local_id: str, number: str, own: str) -> Record:
        return book(
            local_id,
            datafield("020", "a", own),
            datafield("020", "a", "9789100563226", "q", "hela verket"),
            title=("a", "Sagor", "n", number),
            year=str(2010 + int(number)),
        )

    records = stored(volume("1", "1", "9789127108509"), volume("2", "2", "9789150222319"))
    assert map_record(volume("9", "1", "9789127108509"))["set_isbns"] == ["9789100563226"]
    assert partition_of(records) == {frozenset({"lib0/1"}), frozenset({"lib1/2"})}


def test_component_parts_of_different_hosts_never_merge_on_title_and_year() -> None:
    def track(local_id: str, host: str, position: str) -> Record:
        return marc(
            "00000cjm a2200000 a 4500",
            book_008("2001"),
            Field(tag="001", data=local_id),
            datafield("100", "a", "Taube, Evert", ind="1 "),
            datafield("245", "a", "Calle Schewens vals", ind="10"),
            datafield("260", "b", "EMI", "c", "2001"),
            datafield("773", "w", host, "g", position),
        )

    records = stored(
        track("1", "(SE-LIBR)111", "Spår 3"),
        track("2", "(SE-LIBR)222", "Spår 7"),
        track("3", "(SE-LIBR)111", "Spår 3"),
    )
    assert map_record(track("9", "(SE-LIBR)111", "Spår 3"))["host"] == "(se-libr)111|spår 3"
    assert partition_of(records) == {frozenset({"lib0/1", "lib2/3"}), frozenset({"lib1/2"})}


def _media(leader: str, local_id: str, *more: Field, title: str = "Vargen") -> Record:
    return marc(
        leader,
        book_008("2015"),
        Field(tag="001", data=local_id),
        datafield("245", "a", title, ind="00"),
        datafield("260", "b", "Nordisk film", "c", "2015"),
        *more,
    )


@pytest.mark.parametrize(
    ("leader", "one", "other", "carriers"),
    [
        (
            "00000cgm a2200000 a 4500",
            [datafield("300", "a", "1 DVD-skiva")],
            [datafield("300", "a", "1 Blu-ray-skiva")],
            ("dvd/", "bluray/"),
        ),
        (
            "00000cgm a2200000 a 4500",
            [Field(tag="007", data="vd cvaizq")],
            [Field(tag="007", data="vd csaizq")],
            ("dvd/", "bluray/"),
        ),
        (
            "00000cjm a2200000 a 4500",
            [datafield("300", "a", "1 LP-skiva")],
            [datafield("300", "a", "1 CD-skiva")],
            ("lp/", "cd/cdda"),
        ),
        (
            "00000cjm a2200000 a 4500",
            [datafield("300", "a", "1 ljudkassett")],
            [Field(tag="007", data="sd fsngnnmmned")],
            ("cassette/", "cd/cdda"),
        ),
        (
            "00000cim a2200000 a 4500",
            [datafield("300", "a", "1 CD-skiva (DAISY)")],
            [datafield("300", "a", "1 CD-skiva")],
            ("cd/daisy", "cd/cdda"),
        ),
        (
            "00000cam a2200000 a 4500",
            [datafield("347", "b", "PDF"), datafield("300", "a", "1 onlineresurs")],
            [datafield("347", "b", "EPUB"), datafield("300", "a", "1 onlineresurs")],
            ("online/pdf", "online/epub"),
        ),
        (
            "00000cmm a2200000 a 4500",
            [datafield("338", "b", "cr")],
            [datafield("338", "b", "cd")],
            ("online/", "direct/"),
        ),
    ],
)
def test_carriers_the_format_vocabulary_does_not_separate_stay_apart(
    leader: str, one: list[Field], other: list[Field], carriers: tuple[str, str]
) -> None:
    first, second, first_again = (
        _media(leader, "1", *one),
        _media(leader, "2", *other),
        _media(leader, "3", *one),
    )
    assert (map_record(first)["carrier"], map_record(second)["carrier"]) == carriers
    records = stored(first, second, first_again)
    assert partition_of(records) == {frozenset({"lib0/1", "lib2/3"}), frozenset({"lib1/2"})}


def test_a_shared_ean_does_not_merge_a_dvd_with_a_blu_ray() -> None:
    ean = datafield("024", "a", "7330031000016", ind="3 ")
    dvd = _media("00000cgm a2200000 a 4500", "1", ean, datafield("300", "a", "1 DVD-skiva"))
    bluray = _media("00000cgm a2200000 a 4500", "2", ean, datafield("300", "a", "1 Blu-ray-skiva"))
    assert partition_of(stored(dvd, bluray)) == {frozenset({"lib0/1"}), frozenset({"lib1/2"})}


def test_music_and_film_without_ean_merge_by_publisher_number() -> None:
    def album(local_id: str, number: str, title: str) -> Record:
        return _media(
            "00000cjm a2200000 a 4500", local_id, datafield("028", "a", number, "b", "Sonet"), title=title
        )

    records = stored(
        album("1", "SLP 2511", "Visor"),
        album("2", "SLP-2511", "Visor [Ljudupptagning]"),
        album("3", "SLP 2600", "Visor"),
    )
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2"}), frozenset({"lib2/3"})}
    assert SourceRecord.objects.get(pk=records[1].pk).merge_reason == "same publisher number SLP2511"


def test_a_title_only_in_k_or_in_uniform_and_added_titles_is_shown_and_matched() -> None:
    only_k = book("1", title=("k", "Brev"))
    uniform = marc(
        BOOK,
        book_008("2012"),
        Field(tag="001", data="2"),
        datafield("100", "a", "Lindgren, Astrid", ind="1 "),
        datafield("240", "a", "Brev", ind="10"),
        datafield("260", "b", "Bonnier", "c", "2012"),
        datafield("300", "a", "159 s."),
    )
    added = marc(
        BOOK,
        book_008("2012"),
        Field(tag="001", data="3"),
        datafield("100", "a", "Lindgren, Astrid", ind="1 "),
        datafield("245", "c", "Astrid Lindgren", ind="10"),
        datafield("740", "a", "Brev", ind="02"),
        datafield("260", "b", "Bonnier", "c", "2012"),
    )
    assert [map_record(r)["title"] for r in (only_k, uniform, added)] == ["Brev", "Brev", "Brev"]
    records = stored(only_k, uniform, added)
    assert partition_of(records) == {frozenset({"lib0/1", "lib1/2", "lib2/3"})}


def test_a_full_description_under_a_holdings_leader_is_kept_as_a_bibliographic_record() -> None:
    mislabelled = book("1", leader="00000cx  a2200000 a 4500")
    real_holdings = marc(
        "00000cx  a2200000 a 4500", "", Field(tag="004", data="1"), datafield("852", "b", "Sods")
    )
    assert not is_holdings_record(mislabelled) and is_holdings_record(real_holdings)
    record = store_marc(source("lib0"), mislabelled)
    assign_clusters([record.pk])
    record.refresh_from_db()
    assert record.kind == SourceRecord.Kind.BIB and record.data["title"] == "Hundarna" and record.cluster_id


def test_a_librarians_split_of_a_fuzzy_merge_survives_re_merging() -> None:
    one, two = stored(book("1", title=("a", "Hundarna : roman")), book("2"))
    assert partition_of([one, two]) == {frozenset({"lib0/1", "lib1/2"})}
    split_record(SourceRecord.objects.get(pk=two.pk))
    assign_clusters([one.pk, two.pk])
    assert partition_of([one, two]) == {frozenset({"lib0/1"}), frozenset({"lib1/2"})}
    assert SourceRecord.objects.get(pk=two.pk).merge_reason == "split out by a librarian"


def test_an_unidentified_record_like_two_differently_identified_printings_joins_neither() -> None:
    hardback = book("1", datafield("020", "a", "9789127108509"))
    pocket = book("2", datafield("020", "a", "9789150222319"), title=("a", "Hundarna", "b", "roman"))
    unknown = book("3", title=("a", "Hundarna : roman"))
    records = stored(hardback, pocket, unknown)
    assert frozenset({"lib2/3"}) in partition_of(records)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Katt & hund", "Katt och hund"),
        ("Tre vänner", "3 vänner"),
        ("Hundarna = The dogs", "Hundarna"),
        ("Den stora boken", "Stora boken"),
        ("Hundarna [Ljudupptagning]", "Hundarna"),
        ("Hundarna : en roman", "Hundarna"),
        ("Hundarna [Talbok] : en roman", "Hundarna"),
    ],
)
def test_title_forms_that_are_the_same_title(one: str, other: str) -> None:
    from catalog.clustering.similarity import Profile, similar

    def profile(title: str) -> Profile:
        return Profile({"title": title, "authors": [{"name": "Lindgren, Astrid"}], "year": 2012})

    assert similar(profile(one), profile(other)) == 1.0
    assert similar(profile(one), profile("Hundarnas hemlighet")) is None
