"""Merge rules, incrementality, display record and order independence, on the project's own data."""

import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.clustering import assign_clusters
from catalog.clustering.display import cluster_data, completeness
from catalog.clustering.keys import match_keys, normalize
from catalog.models import Cluster, MatchKey, SourceRecord
from harvest.models import Source
from tests.catalog.records import bib, cluster_of, partition_of, source
from tests.conftest import needs_postgres

pytestmark = pytest.mark.django_db
ISBN = "9789127108509"


def record_data(title: str = "Muminpappans memoarer", **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": title,
        "title_sort": title.lower(),
        "authors": [{"name": "Jansson, Tove", "role": "aut"}],
        "year": 1968,
        "formats": ["book"],
        "isbns": [],
        "eans": [],
        "libris_id": None,
    }
    data.update(values)
    return data


def test_normalization_keeps_swedish_letters_apart() -> None:
    assert normalize("Åsa-Nisse: på  Äventyr!") == "åsa nisse på äventyr"
    assert normalize("Café Noël") == "cafe noel"
    assert normalize("Mor") != normalize("Mör")
    assert normalize("Sma\u030agodis") == normalize("Sm\u00e5godis") == "sm\u00e5godis"  # NFD = NFC
    keys = match_keys(record_data("The Moomins", year=1968))
    assert "title:book:moomins|jansson tove|1968" in keys
    dated = record_data(authors=[{"name": "Jansson, Tove, 1914-2001", "role": "aut"}])
    assert match_keys(dated)[-1] == match_keys(record_data())[-1]


@pytest.mark.sqlite
def test_same_isbn_merges_and_says_why() -> None:
    a, b = source("Sods"), source("Nyks")
    one = bib(a, "1", record_data(isbns=["9789127108509"]))
    two = bib(b, "2", record_data("Muminpappans memoarer (ny utg.)", isbns=["9789127108509"]))
    assign_clusters([one.pk, two.pk])
    assert cluster_of(one) == cluster_of(two)
    two.refresh_from_db()
    assert two.merge_reason == "same ISBN 9789127108509"


@pytest.mark.sqlite
def test_data_the_caller_has_at_hand_is_not_read_back() -> None:
    """A harvest passes the data it has just stored: clustering reads only the light columns."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = source("Sods"), source("Nyks")
    one = bib(a, "1", record_data(isbns=[ISBN]))
    two = bib(b, "2", record_data("Muminpappans memoarer (ny utg.)", isbns=[ISBN]))
    with CaptureQueriesContext(connection) as queries:
        assign_clusters([one.pk, two.pk], known_data={one.pk: one.data, two.pk: two.data})
    assert cluster_of(one) == cluster_of(two)
    table = SourceRecord._meta.db_table
    sql = [query["sql"] for query in queries.captured_queries]
    reads = [text for text in sql if text.startswith("SELECT") and table in text]
    assert reads and not [sql for sql in reads if '"data"' in sql or ", data" in sql or "data," in sql]


def test_title_author_year_merge_but_not_across_formats() -> None:
    a, b, c = source("a"), source("b"), source("c")
    book = bib(a, "1", record_data(isbns=[ISBN]))
    no_isbn = bib(b, "2", record_data("MUMINPAPPANS MEMOARER!"))
    audio = bib(c, "4", record_data(formats=["audiobook"]))
    assign_clusters([book.pk, no_isbn.pk, audio.pk])
    assert partition_of([book, no_isbn, audio]) == {frozenset({"a/1", "b/2"}), frozenset({"c/4"})}
    no_isbn.refresh_from_db()
    assert no_isbn.merge_reason == "same title/author/year"
    assert cluster_of(audio).work_key == cluster_of(book).work_key


def test_conflicting_isbns_are_never_merged_and_make_the_title_ambiguous() -> None:
    a, b, c, d = source("a"), source("b"), source("c"), source("d")
    hardback = bib(a, "1", record_data(isbns=[ISBN]))
    paperback = bib(b, "2", record_data(isbns=["9789150222319"]))
    unknown = bib(c, "3", record_data())  # which printing? it cannot say: kept apart
    unknown_too = bib(d, "4", record_data())
    assign_clusters([hardback.pk, paperback.pk, unknown.pk, unknown_too.pk])
    assert partition_of([hardback, paperback, unknown, unknown_too]) == {
        frozenset({"a/1"}),
        frozenset({"b/2"}),
        frozenset({"c/3", "d/4"}),
    }


def test_display_record_prefers_libris_then_completeness() -> None:
    local, libris = source("local"), source("libris")
    rich = bib(local, "1", record_data(isbns=["9789127108509"], summary="Lång", notes=["x"], extent="200 s."))
    thin = bib(libris, "2", record_data(isbns=["9789127108509"], libris_id="123"))
    assign_clusters([rich.pk, thin.pk])
    cluster = cluster_of(rich)
    assert cluster.display_record_id == thin.pk
    assert cluster.data["libris_ids"] == ["123"] and cluster.data["member_count"] == 2


@pytest.mark.sqlite
def test_completeness_counts_every_filled_field_and_cluster_data_unions_without_repeats() -> None:
    # None, "", [] and {} are empty; 0 and False are values.
    filled = {"title": "T", "year": 0, "large_print": False, "isbns": ["1"], "notes": [], "host": "", "x": {}}
    assert completeness({**filled, "summary": None}) == 4
    alone = {"isbns": ["1", "1", "2"], "libris_id": "L1", "formats": ["book"], "title": "T"}
    data = cluster_data(alone, [])
    assert data["isbns"] == ["1", "2"] and data["libris_ids"] == ["L1"] and data["member_count"] == 1
    assert data["languages"] == [] and data["title"] == "T" and alone["isbns"] == ["1", "1", "2"]
    other = {"isbns": ["2", "3"], "languages": ["swe"], "libris_id": "L2"}
    data = cluster_data(alone, [other, {"isbns": None}])
    assert data["isbns"] == ["1", "2", "3"] and data["languages"] == ["swe"]
    assert data["libris_ids"] == ["L1", "L2"] and data["member_count"] == 3


def test_a_changed_record_moves_and_a_deleted_one_empties_its_cluster() -> None:
    a, b = source("a"), source("b")
    one = bib(a, "1", record_data(isbns=["9789127108509"]))
    two = bib(b, "2", record_data(isbns=["9789127108509"]))
    assign_clusters([one.pk, two.pk])
    shared = cluster_of(one).pk

    two.data = record_data("Trollvinter", isbns=["9789150222319"])
    two.save()
    affected = assign_clusters([two.pk])
    assert cluster_of(one).pk == shared and cluster_of(two).pk != shared
    assert shared in affected and cluster_of(two).pk in affected

    one.deleted = True
    one.save()
    assert shared in assign_clusters([one.pk])
    assert not Cluster.objects.filter(pk=shared).exists()
    assert not MatchKey.objects.filter(record=one).exists()


def test_a_record_that_could_not_be_read_gets_no_cluster() -> None:
    broken = SourceRecord.objects.create(source=source("a"), local_id="1", error="bad leader", data={})
    assert assign_clusters([broken.pk]) == set()
    broken.refresh_from_db()
    assert broken.cluster_id is None


# --- order independence ------------------------------------------------------------------

ISBNS = [ISBN, "9789150222319", "9789100563226"]


def specs_of(**choices: Any) -> Any:
    """Lists of record specs; ``choices``: other strategies for some of their fields."""
    fields = {
        "source": st.integers(0, 2),
        "local": st.integers(0, 5),
        "title": st.sampled_from(
            [
                "Trollvinter",
                "trollvinter!",
                "Trollvinter : roman",
                "Kometen kommer",
                "Kometen kömmer",
                "Kometn kommer",  # a typo in the first word: met in the last-word block
            ]
        ),
        # what the fuzzy stage compares: subtitle, author forms, publisher, extent
        "subtitle": st.sampled_from(["", "", "roman", "en berättelse"]),
        "author": st.sampled_from(["Jansson, Tove", "Tove Jansson", "Jansson, T.", "Jansson, Lars"]),
        "publisher": st.sampled_from(["Bonnier", "Bonniers förlag", "Norstedt", ""]),
        "extent": st.sampled_from(["159 s.", "162 s.", "320 s.", ""]),
        "year": st.sampled_from([1957, 1968, None]),  # none: met in the undated block
        "format": st.sampled_from(["book", "book", "audiobook"]),
        "isbns": st.lists(st.sampled_from(ISBNS), max_size=2, unique=True),
        "libris_id": st.sampled_from([None, None, "1", "2"]),
        "changed_from": st.none() | st.sampled_from(ISBNS),
        # stored first under another title (its blocking keys then lost, others gained)
        "was_titled": st.none() | st.sampled_from(["Trollvinter", "Kometen kommer", "Pappan och havet"]),
    }
    fields.update(choices)
    return st.lists(
        st.fixed_dictionaries(fields),
        min_size=1,
        max_size=10,
        unique_by=lambda spec: (spec["source"], spec["local"]),
    )


record_specs = specs_of()
# Forms of one title that the fuzzy stage joins, in one block that a limit of two or three crowds.
crowd_specs = specs_of(
    title=st.sampled_from(["Trollvinter", "Trollvinter : roman", "Trollvinter : en berättelse"]),
    author=st.just("Jansson, Tove"),
    subtitle=st.just(""),
    publisher=st.just("Bonnier"),
    extent=st.sampled_from(["159 s.", ""]),
    year=st.sampled_from([1957, 1957, None]),
    format=st.just("book"),
    isbns=st.lists(st.sampled_from(ISBNS), max_size=1),
    libris_id=st.none(),
)


def spec_data(spec: dict[str, Any], before: bool = False) -> dict[str, Any]:
    """The record as the spec says, or (``before``) as it was stored first."""
    return record_data(
        (before and spec["was_titled"]) or spec["title"],
        year=spec["year"],
        formats=[spec["format"]],
        isbns=[spec["changed_from"]] if before and spec["changed_from"] else spec["isbns"],
        libris_id=spec["libris_id"],
        subtitle=spec["subtitle"],
        authors=[{"name": spec["author"], "role": "aut"}],
        publisher=spec["publisher"],
        extent=spec["extent"],
    )


def clustered(
    specs: list[dict[str, Any]], rng: random.Random | None
) -> tuple[set[frozenset[str]], dict[str, str]]:
    """Store and cluster the specs; with rng: shuffled, in random batches, some changed later."""
    sources = [Source.objects.create(name=f"s{i}", protocol="marc-file", url="x") for i in range(3)]
    order = list(specs)
    if rng:
        rng.shuffle(order)
    records = []
    pending: list[int] = []
    for spec in order:
        before = bool(rng and (spec["changed_from"] or spec["was_titled"]))
        record = bib(sources[spec["source"]], str(spec["local"]), spec_data(spec, before))
        records.append((record, spec, before))
        pending.append(record.pk)
        if not rng or rng.random() < 0.4:
            assign_clusters(pending)
            pending = []
    assign_clusters(pending)
    changed = [(r, s) for r, s, was_changed in records if was_changed]
    for record, spec in changed:
        record.data = spec_data(spec)
        record.save()
    assign_clusters([r.pk for r, _ in changed])
    stored = [r for r, _, _ in records]
    reasons = {
        f"{r.source.name}/{r.local_id}": r.merge_reason
        for r in SourceRecord.objects.filter(pk__in=[s.pk for s in stored]).select_related("source")
    }
    return partition_of(stored), reasons


def clustered_apart(
    specs: list[dict[str, Any]], rng: random.Random | None
) -> tuple[set[frozenset[str]], dict[str, str]]:
    """``clustered`` in a transaction rolled back after it: every way starts from an empty catalogue."""
    with transaction.atomic():
        found = clustered(specs, rng)
        transaction.set_rollback(True)
    return found


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=record_specs, seed=st.integers(0, 2**16))
def test_clusters_do_not_depend_on_arrival_order(specs: list[dict[str, Any]], seed: int) -> None:
    expected = clustered_apart(specs, None)
    assert clustered_apart(specs, random.Random(seed)) == expected


@needs_postgres
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=record_specs, seed=st.integers(0, 2**16))
def test_a_bulk_run_follows_its_keys_in_memory_to_the_same_clusters(
    specs: list[dict[str, Any]], seed: int
) -> None:
    """A bulk run knows who holds its keys (``holders``); runs of every size must agree, also when
    more records than a run holds are cut into runs of whole connected sets."""
    from django.test import override_settings

    from catalog.clustering import assignment

    expected = clustered_apart(specs, None)
    with mock.patch.object(assignment, "BULK_RUN", 1):
        assert clustered_apart(specs, random.Random(seed)) == expected
        with override_settings(CLUSTERING_RUN_RECORDS=3):
            assert clustered_apart(specs, random.Random(seed)) == expected


@needs_postgres
@pytest.mark.parametrize("way", ["own keys", "key look-ups"])
def test_a_first_load_finds_the_connected_sets_its_own_keys_make(
    monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """Alone in the key table, a bulk run's sets are its keys' components, each decided as a
    unit of its own (dealt out to the processes apart, joined into transactions by size); the
    look-ups find the same sets grouped by the batch of their first record; a key held outside
    the run (a second load) sends it back to the look-ups."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.clustering import assignment, bulk

    monkeypatch.setattr(assignment, "BULK_RUN", 1)
    monkeypatch.setattr(bulk, "chunk_size", lambda: 2)
    monkeypatch.setattr(assignment, "chunk_size", lambda: 2)
    if way == "key look-ups":
        monkeypatch.setattr(assignment, "only_keys_stored", lambda count: False)
    a, b = source("Sods"), source("Nyks")
    records = [  # in batches of two: 1 2 | 3 4 | 5 6
        bib(a, "1", record_data(isbns=[ISBN])),
        bib(b, "2", record_data(isbns=[ISBN], year=1969)),
        bib(a, "3", record_data("Hundarna", year=2012)),
        bib(a, "4", record_data("Ensam")),
        bib(b, "5", record_data("Hundarna", year=2015)),
        bib(b, "6", record_data("Hundarna", year=None)),  # links 3 and 5
    ]
    units: list[list[set[int]]] = []
    real_in_processes = assignment.in_processes

    def in_processes(run_units: list[Any], *rest: Any) -> set[int]:
        units.append([members for members, _keys in run_units])
        return real_in_processes(run_units, *rest)

    monkeypatch.setattr(assignment, "in_processes", in_processes)
    with CaptureQueriesContext(connection) as queries:
        assign_clusters([r.pk for r in records])
    one, two, three, four, five, six = (r.pk for r in records)
    if way == "own keys":  # one unit for each connected set
        assert sorted(map(sorted, units[0])) == [sorted([one, two]), sorted([three, five, six]), [four]]
    else:  # one unit for each batch: the sets its records are in that no earlier batch's are
        assert units == [[{one, two}, {three, four, five, six}]]
    lookups = [
        q["sql"]
        for q in queries.captured_queries
        if "catalog_matchkey" in q["sql"] and re.search(r"\bkey (= ANY|IN) ?\(", q["sql"])
    ]
    assert bool(lookups) == (way == "key look-ups")
    assert cluster_of(records[0]) == cluster_of(records[1]) != cluster_of(records[3])
    assert cluster_of(records[2]) != cluster_of(records[4])  # editions of two years: connected, not one

    later = bib(b, "7", record_data(isbns=[ISBN]))
    assign_clusters([later.pk])
    assert units[-1] == [{one, two, later.pk}]
    assert cluster_of(later) == cluster_of(records[0])


@needs_postgres
def test_a_record_changed_after_its_keys_were_stored_for_the_runs_is_looked_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A run of ``_runs`` told it is alone takes its own keys' components, unless one of its
    records changed after the keys were stored: a key it gained may be another run's."""
    from catalog.clustering import assignment

    monkeypatch.setattr(assignment, "BULK_RUN", 1)
    earlier = bib(source("Sods"), "1", record_data(isbns=[ISBN]))
    changed = bib(source("Nyks"), "2", record_data("Sent i november"))
    assign_clusters([earlier.pk, changed.pk])
    SourceRecord.objects.filter(pk=changed.pk).update(cluster=None)
    changed.data = record_data("Sent i november", isbns=[ISBN])
    changed.save()
    assignment._assign([changed.pk], {}, None, alone=True)
    assert cluster_of(changed) == cluster_of(earlier)


@needs_postgres
def test_a_bulk_run_analyzes_before_looking_keys_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without statistics a freshly loaded key table is scanned whole for every lookup batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from catalog.clustering import assignment

    a, b = source("Sods"), source("Nyks")
    one, two = bib(a, "1", record_data(isbns=[ISBN])), bib(b, "2", record_data(isbns=[ISBN]))
    for bulk_run, analyzed in ((3, False), (2, True)):
        monkeypatch.setattr(assignment, "BULK_RUN", bulk_run)
        with CaptureQueriesContext(connection) as queries:
            assign_clusters([one.pk, two.pk])
        sql = [query["sql"] for query in queries.captured_queries]
        analyze = [i for i, text in enumerate(sql) if text.startswith("ANALYZE catalog_matchkey")]
        # by key, one by one or (a bulk run) all the run's keys' other holders at once
        lookups = [i for i, text in enumerate(sql) if re.search(r"\bkey (= ANY|IN) ?\(", text)]
        assert bool(analyze) == analyzed and lookups
        assert not analyze or analyze[0] < lookups[0]
        # the holdings the harvest wrote too: the clusters' search documents read them next
        assert not analyze or "catalog_holding" in sql[analyze[0]]
    assert cluster_of(one) == cluster_of(two)


# --- crowded blocking keys -----------------------------------------------------------------


@contextmanager
def block_limit(limit: int) -> Iterator[None]:
    """Blocks crowded from ``limit`` + 1 records: small enough for a test's few records."""
    from catalog.clustering import holders, partition

    with (
        mock.patch.object(partition, "BLOCK_LIMIT", limit),
        mock.patch.object(partition, "MAX_PAIRS", limit * (limit - 1) // 2),
        mock.patch.object(holders, "BLOCK_LIMIT", limit),
    ):
        yield


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=crowd_specs, seed=st.integers(0, 2**16), limit=st.integers(2, 3))
def test_a_crowded_blocking_key_links_no_records_and_the_clusters_stay_the_same(
    specs: list[dict[str, Any]], seed: int, limit: int
) -> None:
    """Records arriving and changing one by one, where a crowded key links no records, get the
    clusters one run gives them all, where every key links its holders; also in bulk runs."""
    from catalog.clustering import assignment

    with block_limit(limit):
        expected = clustered_apart(specs, None)
        assert clustered_apart(specs, random.Random(seed)) == expected
        with mock.patch.object(assignment, "BULK_RUN", 1):
            assert clustered_apart(specs, random.Random(seed)) == expected


def redecided(monkeypatch: pytest.MonkeyPatch) -> list[set[int]]:
    """The records of each connected set the clustering runs from now on hand to be decided."""
    from catalog.clustering import assignment

    handed: list[set[int]] = []
    in_processes = assignment.in_processes

    def counting(units: list[Any], *args: Any) -> set[int]:
        handed.extend(members for members, _ in units)
        return in_processes(units, *args)

    monkeypatch.setattr(assignment, "in_processes", counting)
    return handed


@pytest.mark.sqlite
def test_a_change_near_a_crowded_key_re_decides_its_neighbours_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five parts sharing blocking keys (first title words, author, year) but no other key: above
    the limit of three holders besides the changed record, a change to one re-decides it alone."""
    src = source("Sods")
    isbns = [*ISBNS, "9789129688313", "9789129697636"]
    kits = [
        bib(src, str(n), record_data(f"Pappan och havet del {n}", isbns=[isbn], extent="159 s."))
        for n, isbn in enumerate(isbns)
    ]
    with block_limit(3):
        assign_clusters([kit.pk for kit in kits])
        handed = redecided(monkeypatch)
        kits[0].data = record_data("Pappan och havet del 0", isbns=[ISBN], extent="160 s.")
        kits[0].save()
        assign_clusters([kits[0].pk])
    assert handed == [{kits[0].pk}]
    assert len({cluster_of(kit).pk for kit in kits}) == 5


@pytest.mark.sqlite
def test_a_key_that_becomes_crowded_or_no_longer_so_re_decides_all_its_holders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two forms of one title merge in their block (no identifier or title key in common); a third
    record joining the block crowds it (limit two), so the two fall apart although neither
    changed; once it is gone they merge again."""
    src = source("Sods")
    one = bib(src, "1", record_data("Pappan och havet", extent="159 s."))
    two = bib(src, "2", record_data("Pappan och havet : roman", authors=[{"name": "Tove Jansson"}]))
    with block_limit(2):
        assign_clusters([one.pk, two.pk])
        assert cluster_of(one) == cluster_of(two)
        handed = redecided(monkeypatch)
        third = bib(src, "3", record_data("Pappan och havet : en berättelse", isbns=[ISBN], extent="320 s."))
        assign_clusters([third.pk])
        assert handed == [{one.pk, two.pk, third.pk}]
        assert len({cluster_of(record).pk for record in (one, two, third)}) == 3
        third.deleted = True
        third.save()
        assign_clusters([third.pk])
        assert cluster_of(one) == cluster_of(two)
