"""A large clustering run in several processes decides exactly what one process does; a cluster
nothing changed in is left as it is."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pymarc
import pytest
from django.test import override_settings

from catalog.clustering import assign_clusters, assignment, bulk, processes, recluster
from catalog.clustering.keys import KEY_FIELDS, match_keys
from catalog.mapping import map_record
from catalog.models import Cluster, MatchKey, SourceRecord, Work
from sample.county import generate_county
from tests.catalog.records import bib, cluster_of, source
from tests.catalog.test_clustering_sample import read_county
from tests.catalog.test_clustering_signature import Reading
from tests.harvest.test_reader import count_calls

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def test_components_are_the_records_connected_by_shared_keys_or_an_earlier_cluster() -> None:
    keys = {1: ["isbn:book:1"], 2: ["isbn:book:1", "title:book:a"], 3: ["title:book:a"], 4: ["isbn:book:9"]}
    keys |= {5: [], 6: ["isbn:book:6"]}
    # 4 and 5 were one cluster before the run (5 lost the key they shared); 3 is in two units
    units = [({1, 2, 3}, {r: keys[r] for r in (1, 2, 3)}), ({3, 4, 5, 6}, {r: keys[r] for r in (3, 4, 5, 6)})]
    found = processes.components(units, {4: 40, 5: 40})
    assert sorted(sorted(members) for members, _ in found) == [[1, 2, 3], [4, 5], [6]]
    assert all(unit_keys == {rid: keys[rid] for rid in members} for members, unit_keys in found)


def test_shares_hold_about_as_many_records_each_and_small_units_are_joined() -> None:
    units = [(set(range(n * 100, n * 100 + size)), {}) for n, size in enumerate((50, 40, 30, 20, 10, 5))]
    # every record alone is a connected set: the cluster each was in joins them
    clusters = {rid: n for n, (members, _) in enumerate(units) for rid in members}
    dealt = processes.shares(units, 2, clusters)
    # largest first, each onto the share with fewer records: 50+20+10 and 40+30+5
    assert sorted(sum(len(m) for m, _ in share) for share in dealt) == [75, 80]
    # apart already (no record was in a cluster, none in two units): dealt as they are
    assert processes.shares(units, 2, {}) == [[units[0], units[3], units[4]], [units[1], units[2], units[5]]]
    assert [len(m) for m, _ in processes.regroup(units, 60)] == [90, 60, 5]


def stored_county(folder: Path, records: int, seed: int) -> list[int]:
    """The sample county's records mapped and stored, not clustered; their ids."""
    generate_county(folder, records, seed=seed)
    ids = []
    for code, marc_records in read_county(folder).items():
        src = source(code)
        ids += [
            SourceRecord.objects.create(source=src, local_id=r["001"].data, data=map_record(r)).pk
            for r in marc_records
        ]
    return ids


def unclustered() -> None:
    """Forget every cluster and match key, as before the records were first clustered."""
    MatchKey.objects.all().delete()
    SourceRecord.objects.update(cluster=None, merge_reason="")
    Cluster.objects.all().delete()


def _snapshot() -> set[frozenset[tuple[str, str, str]]]:
    """Clusters as sets of (source, local id, merge reason): independent of cluster ids."""
    found: dict[int | None, set[tuple[str, str, str]]] = {}
    for name, local_id, cluster_id, reason in SourceRecord.objects.values_list(
        "source__name", "local_id", "cluster_id", "merge_reason"
    ):
        found.setdefault(cluster_id, set()).add((name, local_id, reason))
    return {frozenset(members) for members in found.values()}


@pytest.mark.skipif(
    not POSTGRES, reason="forking needs PostgreSQL: each process writes over its own connection"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("batch", "children"),
    # one batch: the keys are stored here, the connected sets decided in two processes; several:
    # the batches' keys are stored in two processes too
    [(5000, 1), (300, 2)],
    ids=["one-batch", "several-batches"],
)
def test_two_processes_cluster_a_county_exactly_as_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int, children: int
) -> None:
    ids = stored_county(tmp_path, 900, seed=7)
    monkeypatch.setattr(processes, "PARALLEL_FROM", 100)
    monkeypatch.setattr(bulk, "chunk_size", lambda: batch)
    forks: list[int] = []
    real_forked = processes.forked

    @contextmanager
    def counted(function: Callable[[], Any]) -> Iterator[Callable[[], Any]]:
        forks.append(1)
        with real_forked(function) as result:
            yield result

    monkeypatch.setattr(processes, "forked", counted)

    with override_settings(CLUSTERING_PROCESSES=1):
        alone = assign_clusters(ids)
    one_process = _snapshot()
    assert not forks and set(alone) == set(Cluster.objects.values_list("id", flat=True))

    unclustered()
    Work.objects.all().delete()  # made again, by both processes at once
    with override_settings(CLUSTERING_PROCESSES=2):
        together = assign_clusters(ids)
    assert len(forks) == children  # one child at a time beside this process
    assert _snapshot() == one_process
    # a first load: both processes made their titles with their works, one work for each key
    made = list(Cluster.objects.exclude(work_key="").values_list("work_key", "work__key"))
    assert made and all(key == work for key, work in made)
    assert set(together) == set(Cluster.objects.values_list("id", flat=True))
    assert len(one_process) < len(ids)  # something was merged at all


@pytest.mark.skipif(not POSTGRES, reason="forking needs PostgreSQL: each process writes over its own session")
@pytest.mark.django_db(transaction=True)
def test_a_record_that_leaves_its_cluster_is_decided_with_the_members_it_leaves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once its ISBN is corrected, nothing links the record to its former cluster but that
    cluster: in separate processes both sides would keep the cluster's id."""
    src = source("a")
    data = {"title": "Hundarna", "authors": [{"name": "Ekman, Kerstin"}], "formats": ["book"], "year": 2012}
    first = bib(src, "1", {**data, "isbns": ["9789100000001"]})
    second = bib(src, "2", {**data, "isbns": ["9789100000001"], "publisher": "Bonnier"})
    assign_clusters([first.pk, second.pk])
    assert cluster_of(first) == cluster_of(second)
    first.data = {**data, "title": "Katterna", "isbns": ["9789100000002"], "year": 2019}
    first.save()
    monkeypatch.setattr(processes, "PARALLEL_FROM", 1)
    with override_settings(CLUSTERING_PROCESSES=2):
        assign_clusters([first.pk])
    assert cluster_of(first) != cluster_of(second)
    assert cluster_of(second).data["title"] == "Hundarna"


@pytest.mark.django_db
def test_a_change_rewrites_its_own_cluster_and_leaves_the_connected_ones_alone() -> None:
    src = source("a")
    book = {"title": "Hundarna", "authors": [{"name": "Ekman, Kerstin"}], "formats": ["book"]}
    first = bib(src, "1", {**book, "year": 2012, "isbns": ["9789100000001"], "publisher": "Bonnier"})
    copy = bib(src, "2", {**book, "year": 2012, "isbns": ["9789100000001"], "publisher": "Bonnier"})
    reprint = bib(src, "3", {**book, "year": 2015, "isbns": ["9789100000002"], "publisher": "Bonnier"})
    undated = bib(src, "4", {**book, "publisher": "Bonnier"})  # like both editions: joins neither
    recluster([first.pk, copy.pk, reprint.pk, undated.pk])
    kept = cluster_of(reprint)
    assert cluster_of(first) == cluster_of(copy) != kept
    alone = cluster_of(undated)
    assert alone not in (kept, cluster_of(first))
    # the undated record's blocking key connects all four: all are re-decided, one cluster changed
    assert MatchKey.objects.filter(key__contains=":@hundarna|ekman kerstin|").count() == 4

    first.data = {**first.data, "summary": "Om hundar."}
    first.save()
    affected = recluster([first.pk])
    assert affected == {cluster_of(first).pk}
    assert cluster_of(first).data["summary"] == "Om hundar."
    assert cluster_of(reprint).updated_at == kept.updated_at
    assert cluster_of(undated).updated_at == alone.updated_at


@pytest.mark.django_db(transaction=True)
def test_a_run_too_big_for_memory_is_clustered_in_runs_of_whole_connected_sets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CLUSTERING_RUN_RECORDS: the county's titles are spread over its libraries' records (in id
    order, most clusters would reach across runs and be decided again); the runs hold whole
    connected sets instead, so each record is decided once, with the clusters one run makes."""
    ids = stored_county(tmp_path, 600, seed=11)
    runs: list[list[int]] = []
    decided: list[int] = []
    units_handed: list[set[int]] = []
    real_assign, real_in_processes = assignment._assign, assignment.in_processes

    def one_run(part: list[int], *rest: Any, **named: Any) -> set[int]:
        runs.append(part)
        return real_assign(part, *rest, **named)

    def in_processes(units: list[processes.Unit], *rest: Any) -> set[int]:
        decided.extend(record_id for members, _keys in units for record_id in members)
        units_handed.extend(members for members, _keys in units)
        return real_in_processes(units, *rest)

    monkeypatch.setattr(assignment, "_assign", one_run)
    monkeypatch.setattr(assignment, "in_processes", in_processes)
    whole = assign_clusters(ids)
    in_one_run = _snapshot()
    assert runs == [ids] and sorted(decided) == ids

    unclustered()
    runs.clear()
    decided.clear()
    units_handed.clear()
    sets_of_runs: list[list[int]] = []
    real_runs = assignment._runs

    def cut(*args: Any) -> Any:
        found = real_runs(*args)
        sets_of_runs.extend(members for run_sets in found[4] for members in run_sets)
        return found

    monkeypatch.setattr(assignment, "_runs", cut)
    monkeypatch.setattr(assignment, "BULK_RUN", 100)  # each run a bulk run, as a county's are
    with override_settings(CLUSTERING_RUN_RECORDS=250):
        sliced = assign_clusters(ids)
    assert len(runs) == 3 and all(len(run) <= 250 for run in runs)
    assert sorted(decided) == sorted(record_id for run in runs for record_id in run) == ids
    # each set of the runs is a unit of its own: dealt out and written apart, not a third of a run
    assert sorted(map(sorted, units_handed)) == sorted(sets_of_runs) and len(sets_of_runs) > 3 * len(runs)
    assert _snapshot() == in_one_run
    assert set(Cluster.objects.values_list("id", flat=True)) <= sliced
    assert len(in_one_run) < len(ids) and whole
    # in id order the first run's sets would have reached into the later runs' records
    stored: dict[int, list[str]] = {record_id: [] for record_id in ids}
    for record_id, key in MatchKey.objects.values_list("record_id", "key"):
        stored[record_id].append(key)
    first = set(ids[:250])
    sets = processes.components([(set(ids), stored)], {})
    reached: set[int] = set().union(*(members for members, _keys in sets if members & first))
    assert len(reached - first) > 50


@pytest.mark.skipif(not POSTGRES, reason="a record's row version (xmin) is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_runs_derive_a_record_s_keys_once_unless_a_harvest_wrote_it_in_between(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_runs`` stores every record's keys; a run takes them back as stored, and derives them
    from the record's data again only if it was written since (here a harvest, between the key
    pass and the runs, gives a record of the last run the data of the first run's first record).
    Only that record's run stores its keys again (the others read theirs back as stored), and
    only a run that rewrote keys analyzes the tables again: ``_runs`` did once it had stored
    them."""
    ids = stored_county(tmp_path, 600, seed=11)
    derived: list[int] = []
    real_match_keys, real_runs = assignment.match_keys, assignment._runs

    def match_keys(data: dict[str, Any]) -> list[str]:
        derived.append(1)
        return real_match_keys(data)

    moved: list[int] = []

    def runs_then_a_harvest(*args: Any) -> Any:
        found = real_runs(*args)
        runs = found[0]
        first, last = runs[0][0], runs[-1][-1]
        moved.append(last)
        SourceRecord.objects.filter(pk=last).update(data=SourceRecord.objects.get(pk=first).data)
        return found

    stored_again: list[list[int]] = []
    real_store_and_decide = assignment._store_and_decide

    def store_and_decide(run: Any, ids: list[int], *rest: Any) -> set[int]:
        stored_again.append(ids)
        return real_store_and_decide(run, ids, *rest)

    monkeypatch.setattr(assignment, "match_keys", match_keys)
    monkeypatch.setattr(assignment, "_store_and_decide", store_and_decide)
    monkeypatch.setattr(assignment, "_runs", runs_then_a_harvest)
    analyzed = count_calls(monkeypatch, assignment, "refresh_statistics")
    monkeypatch.setattr(assignment, "BULK_RUN", 100)  # runs big enough to analyze first
    with override_settings(CLUSTERING_RUN_RECORDS=250):
        assign_clusters(ids)
    sliced = _snapshot()
    clusterable = SourceRecord.objects.filter(kind="bib", deleted=False).exclude(data={}).count()
    assert len(derived) == clusterable + 1  # each once in the key pass, the moved one again
    assert analyzed.value == 2  # after the key pass, and in the moved record's run
    # only the moved record's run stores keys again; the others read theirs back as stored
    assert len(stored_again) == 1 and moved[0] in stored_again[0]

    for record in SourceRecord.objects.filter(pk__in=ids):  # as stored, as the data has them
        stored = set(MatchKey.objects.filter(record=record).values_list("key", flat=True))
        assert stored == set(real_match_keys(record.data) if record.data else [])
    unclustered()
    monkeypatch.setattr(assignment, "_runs", real_runs)
    assign_clusters(ids)
    assert _snapshot() == sliced
    (record,) = SourceRecord.objects.filter(pk=moved[0])
    assert record.cluster_id is not None
    assert cluster_of(record).members.count() > 1


@pytest.mark.skipif(not POSTGRES, reason="forking and row versions (xmin) are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("descriptions_only", [False, True], ids=["corrections", "a harvest"])
def test_in_runs_each_record_s_data_is_read_once_for_its_keys_and_once_to_decide_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, descriptions_only: bool
) -> None:
    """A county larger than a run (two processes): ``_runs`` reads every record's data to store
    its keys (on PostgreSQL only what they are made of); a run whose records are still as that
    pass read them stores none again: it reads their keys back as stored, and their data once,
    whole, when it decides them. Each run
    takes its connected sets from ``_runs`` instead of finding them again. The clusters are
    those of one run. So too for a harvest's first load (``descriptions_only``): no record was
    clustered, so none has a signature the runs would compare."""
    import multiprocessing

    ids = stored_county(tmp_path, 600, seed=11)
    with override_settings(CLUSTERING_PROCESSES=1):
        assign_clusters(ids)
    in_one_run = _snapshot()
    unclustered()

    monkeypatch.setattr(processes, "PARALLEL_FROM", 100)
    monkeypatch.setattr(bulk, "chunk_size", lambda: 100)
    read = multiprocessing.get_context("fork").Value("i", 0)
    read_for_keys = multiprocessing.get_context("fork").Value("i", 0)
    real_record_rows = assignment.record_rows

    def record_rows(batch: list[int], fields: Any) -> list[tuple[Any, ...]]:
        found = real_record_rows(batch, fields)
        for counter, field in ((read, "data"), (read_for_keys, assignment._KEY_DATA)):
            if field in fields:
                with counter.get_lock():
                    counter.value += len(found)
        return found

    monkeypatch.setattr(assignment, "record_rows", record_rows)
    monkeypatch.setattr(assignment, "BULK_RUN", 100)  # runs big enough to follow keys in memory
    forks = count_calls(monkeypatch, processes, "forked")
    found_again = count_calls(monkeypatch, assignment, "components")
    with override_settings(CLUSTERING_RUN_RECORDS=250, CLUSTERING_PROCESSES=2):
        assign_clusters(ids, descriptions_only=descriptions_only)
    assert forks.value >= 3  # each run's passes in two processes, not only the key pass
    assert (read.value, read_for_keys.value) == ((len(ids), len(ids)) if POSTGRES else (2 * len(ids), 0))
    assert found_again.value == 0
    assert _snapshot() == in_one_run


@pytest.mark.skipif(not POSTGRES, reason="an index-only scan and VACUUM are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_run_reads_the_members_of_the_clusters_it_touches_from_their_index_alone(tmp_path: Path) -> None:
    """``_connected_sets`` asks for the bibliographic records of the clusters its records were in;
    once vacuumed, ``record_cluster_idx`` answers without a visit to the records' rows (at five
    million records nearly every one a read from disk)."""
    from django.db import connection, transaction

    ids = stored_county(tmp_path, 300, seed=3)
    assign_clusters(ids)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) catalog_sourcerecord")
    clusters = set(SourceRecord.objects.filter(pk__in=ids[:100]).values_list("cluster_id", flat=True))
    members = SourceRecord.objects.filter(cluster_id__in=clusters, kind=assignment.BIB).values_list("id")
    with transaction.atomic(), connection.cursor() as cursor:
        # a few hundred records: a scan of them all would be cheaper
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = members.explain(analyze=True)
    assert "Index Only Scan using record_cluster_idx" in plan and "Heap Fetches: 0" in plan
    assert len(members) >= 100


def _key_index() -> str | None:
    """The key column's index as PostgreSQL would create it again; None if there is none."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [bulk._KEY_INDEX.name])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.skipif(not POSTGRES, reason="the key index is built after a first load on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_first_load_stores_its_keys_without_the_key_index_and_builds_it_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``key_index_built_after``: a first load's key pass (here two processes, batches of 100)
    writes into the empty key table without the key column's index, which is built once every
    key is stored, as the migrations made it; the clusters are those of a load with the index.
    A later pass keeps it; one after a run killed without it builds it first."""
    import multiprocessing

    ids = stored_county(tmp_path, 600, seed=5)
    assign_clusters(ids)  # too few records to drop it
    with_index = _snapshot()
    made = _key_index()
    assert made is not None and "(key)" in made
    unclustered()

    monkeypatch.setattr(assignment, "BULK_RUN", 100)
    monkeypatch.setattr(processes, "PARALLEL_FROM", 100)
    monkeypatch.setattr(bulk, "chunk_size", lambda: 100)
    indexed, batches = (multiprocessing.get_context("fork").Value("i", 0) for _ in range(2))
    real_refresh = assignment.refresh_keys

    def refresh_keys(*args: Any) -> Any:
        with batches.get_lock():
            batches.value += 1
        if _key_index() is not None:
            with indexed.get_lock():
                indexed.value += 1
        return real_refresh(*args)

    monkeypatch.setattr(assignment, "refresh_keys", refresh_keys)
    forks = count_calls(monkeypatch, processes, "forked")
    assign_clusters(ids)
    assert batches.value == 6 and indexed.value == 0 and forks.value >= 1
    assert _key_index() == made
    assert _snapshot() == with_index

    assign_clusters(ids[:150])  # keys stored already: the index stays
    assert batches.value == 8 and indexed.value == 2

    from django.db import connection

    with connection.schema_editor() as editor:  # as a run killed before it built the index
        editor.remove_index(MatchKey, bulk._KEY_INDEX)
    assign_clusters(ids[:150])
    assert batches.value == 10 and indexed.value == 4
    assert _key_index() == made


@pytest.mark.skipif(not POSTGRES, reason="the key index is built after a first load on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_first_load_in_runs_builds_the_key_index_once_after_every_run_s_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first load larger than a run: ``_runs`` stores every run's keys without the key index
    and builds it once, after the last run's; the runs store none again (nothing wrote their
    records since: ``_Run.as_stored``)."""
    import multiprocessing

    ids = stored_county(tmp_path, 600, seed=5)
    made = _key_index()
    monkeypatch.setattr(assignment, "BULK_RUN", 100)
    monkeypatch.setattr(processes, "PARALLEL_FROM", 100)
    monkeypatch.setattr(bulk, "chunk_size", lambda: 100)
    stored = multiprocessing.get_context("fork").Array("i", 2)  # batches without, with the index
    real_refresh = assignment.refresh_keys

    def refresh_keys(*args: Any) -> Any:
        with stored.get_lock():
            stored[_key_index() is not None] += 1
        return real_refresh(*args)

    monkeypatch.setattr(assignment, "refresh_keys", refresh_keys)
    built = count_calls(monkeypatch, bulk, "_build_key_index")
    with override_settings(CLUSTERING_RUN_RECORDS=250):
        assign_clusters(ids)
    assert built.value == 1 and _key_index() == made
    assert stored[0] == 7  # the key pass: batches of 100, 100 and 50 of each 250 records, then 100
    assert stored[1] == 0


@pytest.mark.skipif(not POSTGRES, reason="the key index is built after a first load on PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_a_first_load_that_fails_while_storing_keys_leaves_the_key_index_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = stored_county(tmp_path, 300, seed=5)
    made = _key_index()
    monkeypatch.setattr(assignment, "BULK_RUN", 100)
    monkeypatch.setattr(bulk, "chunk_size", lambda: 100)
    real_refresh, calls = assignment.refresh_keys, []

    def refresh_keys(*args: Any) -> Any:
        calls.append(_key_index())
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_refresh(*args)

    monkeypatch.setattr(assignment, "refresh_keys", refresh_keys)
    with pytest.raises(RuntimeError, match="went away"):
        assign_clusters(ids)
    assert calls == [None, None]
    assert _key_index() == made and MatchKey.objects.exists()


def _real_descriptions(folder: Path, shared_testdata: Path) -> list[dict[str, Any]]:
    """The sample county's descriptions (every format it makes, music and film with publisher
    numbers among them) and LIBRIS's records, and, as neither has a component part or a part of
    a set, one of them made each (a host item; a part with its own ISBN and the set's)."""
    generate_county(folder, 400, seed=5)
    marc = [record for records in read_county(folder).values() for record in records]
    for path in sorted((shared_testdata / "swedish-marc" / "librisxl").rglob("*.iso2709")):
        marc += [record for record in pymarc.MARCReader(path.read_bytes(), to_unicode=True) if record]
    descriptions = [map_record(record) for record in marc]
    assert len(descriptions) >= 400
    book = next(data for data in descriptions if data["isbns"] and data["authors"] and data["year"])
    own, of_set = book["isbns"][0], "9789100000000"
    descriptions.append({**book, "host": "Svensk bokhandel 2012:3"})
    descriptions.append(
        {**book, "parts": ["1"], "isbns": [own, of_set], "part_isbns": {own: "1"}, "set_isbns": [of_set]}
    )
    return descriptions


def test_match_keys_read_no_field_of_a_description_but_those_key_fields_names(
    tmp_path: Path, shared_testdata: Path
) -> None:
    """A pass that derives only keys reads only ``KEY_FIELDS`` of each description: a field
    ``match_keys`` came to read without being named there would make other keys in it."""
    read: set[str] = set()
    for data in _real_descriptions(tmp_path, shared_testdata):
        match_keys(Reading(data, read))
    assert read == set(KEY_FIELDS)


@pytest.mark.skipif(not POSTGRES, reason="the descriptions' key fields are picked out by PostgreSQL")
@pytest.mark.django_db
def test_descriptions_read_for_their_keys_make_the_keys_of_whole_ones_in_a_fraction_of_the_bytes(
    tmp_path: Path, shared_testdata: Path
) -> None:
    descriptions = [*_real_descriptions(tmp_path, shared_testdata), {}]
    feed = source()
    records = SourceRecord.objects.bulk_create(
        SourceRecord(source=feed, local_id=str(n), data=data) for n, data in enumerate(descriptions)
    )
    whole = assignment.load_rows([r.pk for r in records])
    for_keys = assignment.load_rows([r.pk for r in records], keys_only=True)
    for record, data in zip(records, descriptions, strict=True):
        row = for_keys[record.pk]
        assert row.clusterable == bool(data) and row.version == whole[record.pk].version
        assert assignment.keys_of([row], False) == assignment.keys_of([whole[record.pk]], False)
    assert for_keys[records[-1].pk].data == {}
    assert sum(len(match_keys(data)) for data in descriptions) > 2 * len(descriptions)
    whole_bytes = sum(len(orjson.dumps(row.data)) for row in whole.values())
    assert sum(len(orjson.dumps(row.data)) for row in for_keys.values()) < 0.5 * whole_bytes
