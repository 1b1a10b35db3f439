"""Benchmark the largest county on PostgreSQL: how every cost grows from size to size (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python scripts/bench_scale.py --sizes 100000,1000000,5000000 [--seconds 20]
        [--dir /tmp/samsok-bench-scale] [--rebuild-memory-mb MB] [--workers 2] [--keep]
    ... --sizes 5000000 --again 2    # two more nightlies on what --keep kept (see the end)
    ... --sizes 1000000 --recluster 2    # the first load's clustering alone, twice, on it

For each size (source records), in a database of its own (``samsok_bench_scale`` on the server
of DATABASE_URL, created and dropped here) and a data folder under --dir:

1. County: the generator's sample county (``sample.generate_county``, as bench_generate times
   it) for 26 libraries (``scale_county``: the ten sample libraries and 16 more), with its
   overlap, plus 1/300 more records: the last of each library's file, held back from the first
   harvest as the nightly run's new acquisitions.
2. Full harvest: each library's file a ``marc-file`` source (registered as ``demo_county`` does)
   harvested with ``harvest_sources`` (what ``manage.py harvest --all`` runs: page reader process,
   mapping, storing, holdings, and one clustering run after the last source) — except that the
   re-index jobs are collected, not run, as in bench_harvest (that is the index queue's work; the
   index is built in 4).
   Beside it pymarc's bare parse of the same files (MARCReader for ISO 2709, map_xml for MARCXML):
   of at most BARE_SAMPLE records, the first of each file in the same share.
   Peak RSS of the writer (this process: overall, and before its clustering began); private
   memory and CPU of the forked page readers (until the clustering begins: its forked processes
   are the writer's children too, counted apart); the CPU of this machine's PostgreSQL server (the
   whole server's, as the WAL figures); the kernel's part of the writer's CPU (system calls, and
   page faults: after the clustering forks, the writer shares its memory copy-on-write), and the
   writer's page faults a record.
3. Clustering: the harvest's time in ``catalog.clustering`` (assign, works, the rest of
   ``recluster``), per record, and how many records it re-read and re-decided per record harvested
   (each page's records with all that share a match key with them).
4. Index: ``manage.py rebuild_index`` in a process of its own (SEARCH_REBUILD_MEMORY_MB from
   --rebuild-memory-mb, else the default): rate, peak RSS (VmHWM), segments.
5. Database size (its biggest tables, their dead rows), index size on disk, and the most records
   sharing one match key (the fuzzy stage compares within such blocks).
6. Search over the county's own titles (words and names of stored titles, filters on its
   libraries): the bare engine and /api/v1/search through gunicorn, 1 client and 16 clients
   (bench_search's phases and request mix), and the peak RSS of each web worker after the
   16-client phase (VmHWM).
7. Settling: ``VACUUM (ANALYZE)`` of the tables a harvest writes, timed: what autovacuum does on
   a production server in the hours after a load (this machine's server runs without it), and
   what lets the nightly's page readers read a source's checksums from an index alone.
8. Nightly: 1 % of the records changed (a 500 note), deleted or added (a third each) across all
   sources, the files replaced, then ``manage.py harvest --all`` (every source, complete files:
   each is read whole and converged); it re-indexes each run's changes in-process (one job a
   run) before it returns, so it is timed from its start until every change is searchable. A
   sample of the touched titles is then compared with what a fresh reader of the index finds.

``--again N`` (one size, after a run with ``--keep``): only step 8, N times on the kept database
and files, each time with a new delta of the files as they are (``scale_county.next_nightly``:
1 % deleted, changed or added as a copy under a new 001, a third each unless ``--mix`` says other
shares), settled (7) first. Two versions of the code are compared by running it from each in
turn, in the same hour.

``--recluster N`` (one size, after a run with ``--keep``): only the first load's clustering (the
last step of 2), N times on the kept database, emptied of its clusters, keys and works first.
Run from two versions of the code in turn (ABBA), it compares their clustering in minutes; set
``CLUSTERING_RUN_RECORDS`` below the size to time the path in runs a larger county takes.

``BENCH_PROFILE=FILE`` profiles the nightly's writer (``cProfile``, into FILE; its times are
then slower than unprofiled ones), ``BENCH_PROFILE_LOAD=FILE`` the first load's (2), clustering
included.

Each size runs in a process of its own (this script again, with one size): in one process a size
would begin with the memory of the sizes before it. Prints each phase as it goes, a table per
size, and at the end how each per-record cost grows from size to size (flagged when more than
20 % higher), with the load average throughout.
The WAL figures are the whole server's (other databases' work included).
"""

import argparse
import contextlib
import cProfile
import io
import itertools
import json
import math
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench_harvest import (  # noqa: E402
    BASE_URL,
    StageTimer,
    cpu_seconds,
    database_url,
    drop_database,
    recreate_database,
    server_cpu_seconds,
    wal_position,
    wal_since,
)
from bench_search import (  # noqa: E402
    REQUESTS,
    bare,
    children,
    client,
    gunicorn,
    requests,
    run_clients,
    show,
    status,
)

BENCH_DB = os.environ.get("BENCH_SCALE_DATABASE", "samsok_bench_scale")  # a second run beside: its own
CHANGE_SHARE = 0.01  # of the county's records, changed, deleted or added (a third each) nightly
SLOWER = 1.20  # a per-record cost this much higher at the next size is flagged
BARE_SAMPLE = 500_000  # records of a county pymarc's bare parse reads (the first of each file)
CHECKED = 300  # touched titles compared with the index after the nightly run, per kind


@dataclass
class Figure:
    value: float
    unit: str
    cost: bool = False  # a cost per record/title/search: the summary compares it between sizes
    digits: int = 0


Figures = dict[str, Figure]


def load() -> str:
    return "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())


def phase(name: str) -> None:
    print(f"-- {name} ({load()})", flush=True)


def private_memory(pid: int) -> float:
    """MB only this process has (a forked child shares the rest with its parent), from smaps_rollup."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    return sum(int(line.split()[1]) for line in lines if line.startswith("Private_")) / 1024


@contextmanager
def peak_of_children(every: float = 0.5) -> Iterator[list[float]]:
    """The most memory of its own (private, MB) a child of this process has meanwhile (the forked
    page readers, the clustering's forked processes: their RSS counts what they share with this
    process)."""
    peak, stop = [0.0], threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            peak[0] = max([peak[0], *(private_memory(child) for child in children(os.getpid()))])

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()


def reset_peak() -> None:
    """Let VmHWM start again from the present RSS (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def setup_environment(data_dir: Path, rebuild_mb: int | None) -> None:
    os.environ.update(
        DATABASE_URL=database_url(BENCH_DB),
        SAMSOK_DATA_DIR=str(data_dir),
        SEARCH_INDEX_DIR=str(data_dir / "index"),
        SEARCH_BACKEND="tantivy",
        DEBUG="0",  # no query log in this process or the server
        SECRET_KEY="bench-only-not-secret-" + "x" * 40,
        SITE_URL="http://127.0.0.1",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="portal.settings",
        STATIC_ROOT=str(data_dir / "static"),  # none needed by the API; an empty folder quietens WhiteNoise
    )
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ.pop("REDIS_URL", None)  # the embedded default's background work: in this process
    if rebuild_mb:
        os.environ["SEARCH_REBUILD_MEMORY_MB"] = str(rebuild_mb)


# --- 1. the county ------------------------------------------------------------------------------
@dataclass
class County:
    first: Path  # the files of the first harvest (the sources' paths)
    nightly: Path  # the files of the nightly run
    records: int
    counts: dict[str, int]  # each first file's records, by library code (the file's stem)
    delta: Any  # scale_county.Delta
    generated_seconds: float
    megabytes: float


def make_county(size: int, files: Path, seed: int, workers: int) -> County:
    from scale_county import county_libraries, split_files

    from sample import generate_county

    phase(f"generating the county: {size:,} records + {round(size * CHANGE_SHARE / 3):,} for the nightly")
    shutil.rmtree(files, ignore_errors=True)
    generated, first, nightly = files / "generated", files / "county", files / "nightly"
    first.mkdir(parents=True)
    nightly.mkdir()
    started = time.perf_counter()
    total = size + round(size * CHANGE_SHARE / 3)
    summary = generate_county(generated, total, seed, libraries=county_libraries(), workers=workers)
    generated_seconds = time.perf_counter() - started
    shutil.copy(generated / "libraries.json", first)
    started = time.perf_counter()
    delta, counts = split_files(generated, first, nightly, size, CHANGE_SHARE * 2 / 3, seed)
    shutil.rmtree(generated)
    megabytes = sum(f.stat().st_size for f in first.iterdir()) / 1e6
    print(
        f"generated {summary.records:,} records ({summary.manifestations:,} titles, "
        f"{summary.multi_held_share:.0%} held by several libraries) in {generated_seconds:.0f} s; "
        f"first files {sum(counts.values()):,} records, {megabytes:,.0f} MB; nightly: "
        f"{len(delta.added):,} added, {len(delta.deleted):,} deleted, {len(delta.changed):,} changed "
        f"(split in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    return County(first, nightly, sum(counts.values()), counts, delta, generated_seconds, megabytes)


class _Enough(Exception):
    """Raised from map_xml's callback: the file's sample is parsed."""


def bare_parse(
    paths: list[Path], counts: dict[str, int], share: float
) -> tuple[int, float, dict[str, float]]:
    """pymarc's bare parse of these files, or of the first ``share`` of each file's records (a rate
    per record does not change along a file, and a whole 5M county would take 25 minutes to parse
    again): (records, seconds, records/s per format). ``counts``: each file's records by its stem."""
    import pymarc

    rates: dict[str, list[float]] = {"ISO 2709": [0, 0.0], "MARCXML": [0, 0.0]}
    for path in paths:
        wanted = max(1, math.ceil(counts[path.stem] * share))
        started = time.perf_counter()
        if path.suffix == ".xml":
            parsed: list[int] = []

            def seen(_record: Any, parsed: list[int] = parsed, wanted: int = wanted) -> None:
                parsed.append(1)
                if len(parsed) >= wanted:
                    raise _Enough

            with contextlib.suppress(_Enough):
                pymarc.map_xml(seen, str(path))
            count, kind = len(parsed), "MARCXML"
        else:
            with path.open("rb") as stream:
                reader = pymarc.MARCReader(stream, to_unicode=True, force_utf8=True)
                count = sum(1 for _ in itertools.islice(reader, wanted))
            kind = "ISO 2709"
        rates[kind][0] += count
        rates[kind][1] += time.perf_counter() - started
    records = int(sum(r[0] for r in rates.values()))
    seconds = sum(r[1] for r in rates.values())
    return records, seconds, {kind: n / s for kind, (n, s) in rates.items() if s}


# --- 2-3. the full harvest ----------------------------------------------------------------------
def instrument() -> tuple[StageTimer, dict[str, Any]]:
    """Time the writer's stages (bench_harvest's StageTimer); count index writes and the records
    each clustering decision takes in (its connected set)."""
    import catalog.clustering
    import catalog.clustering.pending
    import harvest.services
    from catalog.clustering import assignment
    from catalog.search.backends.tantivy import TantivyBackend
    from harvest.ingest import RecordWriter

    timer = StageTimer()
    timer.wrap(RecordWriter, "write", "ingest (checksums, rows, holdings)")
    timer.wrap(harvest.services, "recluster", "clustering: rest (datestamps, queue)")
    timer.wrap(catalog.clustering.pending, "recluster", "clustering: rest (datestamps, queue)")
    timer.wrap(catalog.clustering, "assign", "clustering: assign")
    timer.wrap(catalog.clustering, "assign_works", "clustering: works")
    timer.wrap(TantivyBackend, "apply", "index: apply (one commit each)")
    counted = {"applies": 0, "documents": 0, "queue_reindex": catalog.clustering.queue_reindex}
    counted.update(sets=0, set_records=0, largest_set=0, restyled=0, peak_before_clustering=0)
    apply, in_processes, restyle = TantivyBackend.apply, assignment.in_processes, assignment._Run.restyle

    def deciding(units: Any, *args: Any, **kwargs: Any) -> Any:
        """How many records the clustering decisions re-read and re-decide: each batch's connected
        sets, however they were found (followed key by key, or a first load's own components)."""
        for members, _keys in units:
            counted["sets"] += 1
            counted["set_records"] += len(members)
            counted["largest_set"] = max(counted["largest_set"], len(members))
        return in_processes(units, *args, **kwargs)

    assignment.in_processes = deciding  # type: ignore[assignment]
    assign = catalog.clustering.assign

    def assigning(*args: Any, **kwargs: Any) -> Any:
        """When its first clustering run begins: the writer's peak (what storing the records took),
        and what its children (the page readers, all ended by then) used; the clustering's own
        forked processes are children too, from here on."""
        if not counted["peak_before_clustering"]:
            counted["peak_before_clustering"] = status("self", "VmHWM")
            counted["readers"] = (cpu_now()[1], counted["children_peak"][0])
        return assign(*args, **kwargs)

    catalog.clustering.assign = assigning  # type: ignore[assignment]

    def restyling(self: Any, cluster_ids: set[int]) -> set[int]:
        """Titles made again without a decision: their changed records changed in nothing compared."""
        counted["restyled"] += len(cluster_ids)
        return restyle(self, cluster_ids)

    assignment._Run.restyle = restyling  # type: ignore[method-assign]

    def counting(self: Any, documents: Any, delete_ids: Any) -> int:
        written = apply(self, documents, delete_ids)
        counted["applies"] += 1
        counted["documents"] += written
        return written

    TantivyBackend.apply = counting  # type: ignore[method-assign]
    return timer, counted


def cpu_now() -> tuple[float, float, float, float, float]:
    """CPU seconds so far: this process, its ended children (the page readers, the clustering's
    forked processes), this machine's PostgreSQL server (the whole server's, as the WAL), and the
    kernel's part of this process's (system calls; page faults once a fork shares its memory);
    then this process's page faults (minor: served from memory, copy-on-write copies among them)."""
    times = os.times()
    children = times.children_user + times.children_system
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    return cpu_seconds([os.getpid()]), children, server_cpu_seconds(), times.system, faults


def full_harvest(county: County, timer: StageTimer, counted: dict[str, Any], figures: Figures) -> None:
    import catalog.clustering
    from harvest.models import HarvestRun
    from harvest.services import harvest_sources
    from sample import demo

    sources = [demo.register_library(e, county.first, False) for e in demo.load_libraries(county.first)]
    share = min(1.0, BARE_SAMPLE / county.records)
    phase(f"pymarc's bare parse of the same {county.megabytes:,.0f} MB ({share:.0%} of each file's records)")
    records, seconds, per_kind = bare_parse(
        sorted(county.first.glob("*.mrc")) + sorted(county.first.glob("*.xml")), county.counts, share
    )
    bare_rate = records / seconds
    kinds = ", ".join(f"{kind} {rate:,.0f}/s" for kind, rate in per_kind.items())
    print(f"bare parse: {records:,} records in {seconds:.1f} s = {bare_rate:,.0f} records/s ({kinds})")
    phase(f"full harvest of {len(sources)} marc-file sources")
    queued: set[int] = set()
    catalog.clustering.queue_reindex = lambda ids: queued.update(ids)  # type: ignore[assignment]
    timer.totals.clear()
    counted.update(sets=0, set_records=0, largest_set=0, peak_before_clustering=0)
    reset_peak()
    writer_start = status("self", "VmRSS")
    cpu_before, wal_before, pressure = cpu_now(), wal_position(), wal_pressure()
    started = time.perf_counter()
    with peak_of_children() as counted["children_peak"], profiled("BENCH_PROFILE_LOAD"):
        outcomes = harvest_sources([source.pk for source in sources])
        elapsed = time.perf_counter() - started  # without writing the profile
    runs = [run for run in outcomes.values() if isinstance(run, HarvestRun)]
    catalog.clustering.queue_reindex = counted["queue_reindex"]
    cpu = [after - before for after, before in zip(cpu_now(), cpu_before, strict=True)]
    readers_cpu, readers = counted.get("readers", (cpu_now()[1], counted["children_peak"][0]))
    readers_cpu -= cpu_before[1]
    seen = sum(run.added + run.updated + run.unchanged + run.failed for run in runs)
    failed = [f"{run.source}: {run.status}" for run in runs if run.status != HarvestRun.Status.COMPLETE]
    rate = seen / elapsed
    print(
        f"harvested {seen:,} records ({sum(r.failed for r in runs)} failed) in {elapsed:.1f} s = "
        f"{rate:,.0f} records/s = {rate / bare_rate:.2f} of the bare parse; {len(queued):,} titles queued"
        + (f"; NOT COMPLETE: {failed}" if failed else "")
    )
    print(
        f"    CPU: writer {cpu[0]:.0f} s ({cpu[3]:.0f} s of it the kernel's; {cpu[4] / seen:.2f} page "
        f"faults a record), page readers "
        f"{readers_cpu:.0f} s, the clustering's forked processes {cpu[1] - readers_cpu:.0f} s, "
        f"PostgreSQL (the whole server's) {cpu[2]:.0f} s; "
        f"WAL (the whole server's) {wal_since(wal_before) / max(seen, 1):,.0f} bytes/record: "
        f"{pressure_since(pressure)}"
    )
    for stage, stage_seconds in sorted(timer.totals.items(), key=lambda item: -item[1]):
        print(f"    {stage:<44} {stage_seconds:8.1f} s  {1e6 * stage_seconds / max(seen, 1):8.0f} µs/record")
        figures[f"harvest: {stage}"] = Figure(1e6 * stage_seconds / seen, "µs/record", cost=True)
    clustering = sum(s for stage, s in timer.totals.items() if stage.startswith("clustering"))
    print(
        f"    clustering took in {counted['set_records']:,} records in {counted['sets']:,} batches (the most "
        f"{counted['largest_set']:,}: a batch's records and all those sharing a key with them): "
        f"{counted['set_records'] / seen:.2f} records re-decided per record harvested"
    )
    figures["clustering: records re-decided per record"] = Figure(counted["set_records"] / seen, "", True, 2)
    figures["clustering: most records re-decided for one batch"] = Figure(counted["largest_set"], "")
    writer_peak, forks = status("self", "VmHWM"), counted["children_peak"][0]
    print(
        f"    peak RSS: writer {writer_peak:,.0f} MB ({writer_start:,.0f} MB before the harvest, "
        f"{counted['peak_before_clustering']:,.0f} MB at most before its clustering); "
        f"page reader {readers:,.0f} MB of its own, any child with the clustering's {forks:,.0f} MB"
    )
    figures["harvest"] = Figure(rate, "records/s")
    figures["harvest per record"] = Figure(1e6 / rate, "µs", cost=True)
    figures["bare pymarc parse per record"] = Figure(1e6 / bare_rate, "µs", cost=True)
    figures["harvest / bare parse"] = Figure(rate / bare_rate, "", digits=2)
    figures["harvest writer CPU per record"] = Figure(1e6 * cpu[0] / seen, "µs", cost=True)
    figures["harvest writer kernel CPU per record"] = Figure(1e6 * cpu[3] / seen, "µs", cost=True)
    figures["harvest writer page faults per record"] = Figure(cpu[4] / seen, "", cost=True, digits=2)
    figures["page reader CPU per record"] = Figure(1e6 * readers_cpu / seen, "µs", cost=True)
    figures["PostgreSQL CPU per record (harvest)"] = Figure(1e6 * cpu[2] / seen, "µs", cost=True)
    figures["clustering"] = Figure(seen / clustering, "records/s")
    figures["clustering per record"] = Figure(1e6 * clustering / seen, "µs", cost=True)
    figures["writer peak RSS"] = Figure(writer_peak, "MB")
    figures["writer peak RSS before clustering"] = Figure(counted["peak_before_clustering"], "MB")
    figures["writer memory growth per record"] = Figure(
        (writer_peak - writer_start) * 1e6 / seen, "bytes", True
    )
    figures["page reader peak private memory"] = Figure(readers, "MB")


# --- 4-5. the index and the sizes ---------------------------------------------------------------
# The peak is VmHWM: getrusage's ru_maxrss of an exec'd child counts the parent's memory it forked
# from. Its VmHWM once Django is set up, before the rebuild, is what any command holds anyway.
REBUILD = (
    "import json, time, django\n"
    "from pathlib import Path\n"
    "def peak():\n"
    "    lines = Path('/proc/self/status').read_text().splitlines()\n"
    "    return next(int(line.split()[1]) for line in lines if line.startswith('VmHWM'))\n"
    "django.setup()\n"
    "from django.core.management import call_command\n"
    "from catalog.models import Cluster\n"
    "Cluster.objects.exists()\n"
    "base, started = peak(), time.perf_counter()\n"
    "call_command('rebuild_index')\n"
    "seconds = time.perf_counter() - started\n"
    "print(json.dumps({'seconds': seconds, 'peak_kb': peak(), 'base_kb': base}))\n"
)


def index_generation(index_dir: Path) -> Path:
    return index_dir / (index_dir / "CURRENT").read_text().strip()


def build_index(index_dir: Path, figures: Figures) -> int:
    from catalog.models import Cluster

    titles = Cluster.objects.count()
    phase(f"rebuild_index of {titles:,} titles (a process of its own)")
    done = subprocess.run(
        [sys.executable, "-c", REBUILD], cwd=ROOT, env=os.environ, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    generation = index_generation(index_dir)
    segments = json.loads((generation / "meta.json").read_text())["segments"]
    sizes = sorted((segment["max_doc"] for segment in segments), reverse=True)
    peak, base = result["peak_kb"] / 1024, result["base_kb"] / 1024
    rate = titles / result["seconds"]
    print(
        f"{done.stdout.strip().splitlines()[0]}\n    peak RSS {peak:,.0f} MB ({base:,.0f} MB before the "
        f"rebuild began), {len(sizes)} segment(s) {sizes[:8]}"
    )
    figures["index build"] = Figure(rate, "titles/s")
    figures["index build per title"] = Figure(1e6 / rate, "µs", cost=True)
    figures["index build peak RSS"] = Figure(peak, "MB")
    figures["index build memory per title (peak less start)"] = Figure(
        (peak - base) * 1e6 / titles, "bytes", True
    )
    figures["index segments"] = Figure(len(sizes), "")
    return titles


def disk_sizes(index_dir: Path, records: int, titles: int, figures: Figures) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        database = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 2 DESC LIMIT 5"
        )
        tables = cursor.fetchall()
        cursor.execute(
            "SELECT relname, n_dead_tup, n_live_tup FROM pg_stat_user_tables "
            "WHERE relname IN ('catalog_cluster', 'catalog_sourcerecord', 'catalog_matchkey')"
        )
        dead = cursor.fetchall()
        cursor.execute(
            "SELECT split_part(key, ':', 1), max(n), avg(n) FROM (SELECT key, count(*) AS n "
            "FROM catalog_matchkey GROUP BY key) AS k GROUP BY 1 ORDER BY 2 DESC"
        )
        blocks = cursor.fetchall()
    print(
        "match keys, most (mean) records holding one: "
        + ", ".join(f"{kind} {most:,} ({mean:.1f})" for kind, most, mean in blocks)
    )
    fuzzy = [most for kind, most, _ in blocks if kind == "fuzzy"]
    figures["most records holding one fuzzy-stage key"] = Figure(fuzzy[0] if fuzzy else 0, "", cost=True)
    index = sum(f.stat().st_size for f in index_generation(index_dir).iterdir())
    print(
        f"database {database / 1e6:,.0f} MB ("
        + ", ".join(f"{name} {size / 1e6:,.0f} MB" for name, size in tables)
        + f"); index {index / 1e6:,.0f} MB; dead rows (not yet vacuumed): "
        + ", ".join(f"{name} {gone:,} of {gone + live:,}" for name, gone, live in dead)
    )
    figures["database"] = Figure(database / 1e6, "MB")
    figures["database per record"] = Figure(database / records, "bytes", cost=True)
    figures["index on disk"] = Figure(index / 1e6, "MB")
    figures["index per title"] = Figure(index / titles, "bytes", cost=True)


# --- 6. search ----------------------------------------------------------------------------------
def county_vocabulary(sample: int, seed: int) -> tuple[tuple[list[str], list[str]], list[str]]:
    """(title words, author names) of a random sample of stored titles; the library codes."""
    from django.db.models import Max

    from catalog.models import Cluster, Library

    top = Cluster.objects.aggregate(top=Max("id"))["top"] or 0
    ids = Random(seed).sample(range(1, top + 1), min(top, sample * 2))
    words: set[str] = set()
    names: set[str] = set()
    for data in Cluster.objects.filter(pk__in=ids).values_list("data", flat=True)[:sample]:
        words.update(
            w for w in re.findall(r"\w+", str(data.get("title") or "")) if len(w) > 2 and not w.isdigit()
        )
        names.update(
            str(a.get("name")) for a in data.get("authors") or [] if isinstance(a, dict) and a.get("name")
        )
    return (sorted(words), sorted(names)), sorted(Library.objects.values_list("code", flat=True))


def search(index_dir: Path, seconds: float, port: int, seed: int, figures: Figures) -> None:
    vocab, codes = county_vocabulary(5000, seed)
    phase(f"search: the bare engine ({len(vocab[0]):,} title words, {len(vocab[1]):,} names)")
    bare_single, bare_multi = bare(index_dir, requests(REQUESTS, 2, vocab, codes), seconds)
    phase("search: /api/v1/search through gunicorn")
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    get = client(port)
    api_reqs = requests(REQUESTS, 3, vocab, codes)
    half = len(api_reqs) // 2

    def call(request: dict[str, Any]) -> bool:
        return get("/api/v1/search?" + urlencode(request, doseq=True))

    with gunicorn(env, port):
        single = run_clients(call, api_reqs[:half], 1, seconds)
        show("API /api/v1/search, 1 client", single)
    with gunicorn(env, port) as server:
        multi = run_clients(call, api_reqs[half:], 16, seconds)
        show("API /api/v1/search, 16 clients", multi)
        pids = children(server.pid)
        workers = {pid: status(pid, "VmHWM") for pid in pids}
        now = [(status(pid, "RssAnon"), status(pid, "RssFile")) for pid in pids]
    print(
        "    web workers' peak RSS: "
        + ", ".join(f"{mb:,.0f} MB" for mb in workers.values())
        + "; at the end "
        + ", ".join(f"{anon:,.0f} MB own + {mapped:,.0f} MB mapped files (the index)" for anon, mapped in now)
    )
    figures["web worker own memory (RssAnon) at the end"] = Figure(
        max(a for a, _ in now) if now else 0.0, "MB"
    )
    figures["bare engine p95, 1 client"] = Figure(bare_single["p95_ms"], "ms", cost=True, digits=2)
    figures["bare engine, 16 threads"] = Figure(bare_multi["per_s"], "searches/s")
    figures["API median, 1 client"] = Figure(single["median_ms"], "ms", digits=2)
    figures["API p95, 1 client"] = Figure(single["p95_ms"], "ms", cost=True, digits=2)
    figures["API, 16 clients"] = Figure(multi["per_s"], "searches/s")
    figures["API time per search, 16 clients"] = Figure(1000 / multi["per_s"], "ms", cost=True, digits=2)
    figures["API errors, 16 clients"] = Figure(multi["errors"], "")
    figures["API / bare engine (median, 1 client)"] = Figure(
        single["median_ms"] / bare_single["median_ms"], "x", digits=2
    )
    figures["web worker peak RSS"] = Figure(max(workers.values(), default=0.0), "MB", cost=True)


# --- 7. the nightly run -------------------------------------------------------------------------
def rows_written() -> tuple[int, int, int]:
    """This database's rows inserted, updated and deleted so far; updates of source records, and
    how many of those were HOT (no index entry written). From PostgreSQL's statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # ours; the readers' flushed as they ended
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tup_inserted + tup_updated + tup_deleted, t.n_tup_upd, t.n_tup_hot_upd "
            "FROM pg_stat_database d, pg_stat_user_tables t "
            "WHERE d.datname = current_database() AND t.relname = 'catalog_sourcerecord'"
        )
        rows, updated, hot = cursor.fetchone()
    return int(rows), int(updated), int(hot)


def wal_pressure() -> tuple[int, int]:
    """The whole server's checkpoints and WAL full-page images so far. A checkpoint is forced
    after about ``max_wal_size / (1 + checkpoint_completion_target)`` of WAL (half a gigabyte by
    default), and the first change of each page after a checkpoint writes the whole page into the
    WAL: many checkpoints in a load mean WAL of mostly whole pages."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # this process's own WAL counts
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT checkpoints_timed + checkpoints_req, (SELECT wal_fpi FROM pg_stat_wal) "
            "FROM pg_stat_bgwriter"
        )
        checkpoints, images = cursor.fetchone()
    return int(checkpoints), int(images)


def pressure_since(before: tuple[int, int]) -> str:
    from django.db import connection

    checkpoints, images = (after - start for after, start in zip(wal_pressure(), before, strict=True))
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_wal_size")
        limit = cursor.fetchone()[0]
    return f"{images:,} full-page images, {checkpoints:,} checkpoints (max_wal_size {limit})"


def clusters_of(names: list[tuple[str, str]]) -> dict[tuple[str, str], int | None]:
    from catalog.models import SourceRecord

    found: dict[tuple[str, str], int | None] = {}
    by_code: dict[str, list[str]] = {}
    for code, local_id in names:
        by_code.setdefault(code, []).append(local_id)
    for code, local_ids in by_code.items():
        rows = SourceRecord.objects.filter(source__library__code=code, local_id__in=local_ids)
        found.update({(code, local): cid for local, cid in rows.values_list("local_id", "cluster_id")})
    return found


def searchable(cluster_ids: set[int], index_dir: Path) -> list[int]:
    """Titles whose document in the index (as a fresh reader finds it) differs from what the
    database says now, or that the index has though they are gone (or lacks though they live)."""
    from catalog.fields import HIT_FIELDS
    from catalog.search.backends.tantivy import TantivyBackend
    from catalog.search.documents import build_documents

    reader = TantivyBackend(index_dir)
    expected = {int(document["id"]): document for document in build_documents(cluster_ids)}
    wrong = []
    for cluster_id in sorted(cluster_ids):
        found, wanted = reader.get(str(cluster_id)), expected.get(cluster_id)
        if (found is None) != (wanted is None) or (
            found and wanted and any(found.get(key) != wanted.get(key) for key in HIT_FIELDS)
        ):
            wrong.append(cluster_id)
    return wrong


@contextlib.contextmanager
def profiled(variable: str) -> Iterator[None]:
    """Profile the block (``cProfile``) into the file this environment variable names, if any."""
    path = os.environ.get(variable)
    if not path:
        yield
        return
    with cProfile.Profile() as profile:
        yield
    profile.dump_stats(path)
    print(f"    the writer's profile (slowed by profiling) is in {path}")


def settle(figures: Figures) -> None:
    from django.db import connection

    from catalog.models import Cluster, Holding, MatchKey, PendingRecord, SourceRecord

    phase("VACUUM (ANALYZE), autovacuum's work after a load")
    # The pending marks too: the first load wrote and cleared one for every record.
    models = (SourceRecord, Holding, MatchKey, Cluster, PendingRecord)
    tables = ", ".join(model._meta.db_table for model in models)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")
    seconds = time.perf_counter() - started
    print(f"{tables}: {seconds:.1f} s")
    figures["vacuum after the load (autovacuum's work)"] = Figure(seconds, "s", digits=1)


def nightly(
    county: County, index_dir: Path, timer: StageTimer, counted: dict[str, Any], seed: int, figures: Figures
) -> None:
    from django.core.management import CommandError, call_command

    from harvest.models import HarvestRun

    delta = county.delta
    rng = Random(f"{seed}:checked")
    deleted = rng.sample(delta.deleted, min(CHECKED, len(delta.deleted)))
    before = {cid for cid in clusters_of(deleted).values() if cid}
    for path in county.nightly.iterdir():
        os.replace(path, county.first / path.name)
    phase(f"nightly: manage.py harvest --all ({delta.total:,} changes in {county.records:,} records)")
    timer.totals.clear()
    counted.update(applies=0, documents=0, sets=0, set_records=0, largest_set=0, restyled=0)
    last_run = HarvestRun.objects.order_by("-id").values_list("id", flat=True).first() or 0
    cpu_before, wal_before, rows_before = cpu_now(), wal_position(), rows_written()
    pressure = wal_pressure()
    started = time.perf_counter()
    output = io.StringIO()
    with profiled("BENCH_PROFILE"):
        try:
            call_command("harvest", "--all", stdout=output, stderr=output)
        except CommandError as error:  # some source did not complete: said, and measured all the same
            output.write(f"NOT COMPLETE: {error}\n")
        elapsed = time.perf_counter() - started  # without writing the profile
    cpu = [after - before for after, before in zip(cpu_now(), cpu_before, strict=True)]
    wal = wal_since(wal_before)
    time.sleep(1)  # the page readers' statistics reach the server as they end
    rows = [after - before for after, before in zip(rows_written(), rows_before, strict=True)]
    written = pressure_since(pressure)
    runs = HarvestRun.objects.filter(id__gt=last_run)
    totals = {
        key: sum(getattr(run, key) for run in runs) for key in ("added", "updated", "deleted", "unchanged")
    }
    print(f"{output.getvalue().strip().splitlines()[-1]}\n    in {elapsed:.1f} s (until searchable)")
    for stage, stage_seconds in sorted(timer.totals.items(), key=lambda item: -item[1]):
        print(f"    {stage:<44} {stage_seconds:8.1f} s")
        figures[f"nightly: {stage}"] = Figure(1e6 * stage_seconds / county.records, "µs/county record", True)
    print(f"    index: {counted['applies']:,} commits, {counted['documents']:,} documents written")
    print(
        f"    CPU: writer {cpu[0]:.0f} s, its children (page readers, the clustering's forks) "
        f"{cpu[1]:.0f} s, PostgreSQL {cpu[2]:.0f} s; WAL (the whole server's) {wal / 1e6:,.0f} MB = "
        f"{wal / county.records:,.0f} bytes per county record ({written}); "
        f"clustering re-decided {counted['set_records']:,} records in {counted['sets']:,} batches and "
        f"remade {counted['restyled']:,} titles without a decision"
    )
    print(
        f"    rows written in the database: {rows[0]:,} ({rows[0] / county.records:.2f} per county record); "
        f"source records updated {rows[1]:,}, of them HOT {rows[2]:,}"
    )
    touched = rng.sample(delta.changed, min(CHECKED, len(delta.changed)))
    touched += rng.sample(delta.added, min(CHECKED, len(delta.added)))
    now = {cid for cid in clusters_of(touched).values() if cid}
    wrong = searchable(now | before, index_dir)
    print(f"    searchable as stored: {len(now | before) - len(wrong)} of {len(now | before)} titles checked")
    changes = totals["added"] + totals["updated"] + totals["deleted"]
    figures["nightly, until searchable"] = Figure(elapsed, "s", digits=1)
    figures["nightly per county record"] = Figure(1e6 * elapsed / county.records, "µs", cost=True)
    figures["nightly per change"] = Figure(1000 * elapsed / max(changes, 1), "ms", cost=True, digits=1)
    figures["nightly changes (added, updated, deleted)"] = Figure(changes, "")
    figures["nightly index commits"] = Figure(counted["applies"], "")
    figures["nightly rows written per county record"] = Figure(rows[0] / county.records, "", True, 2)
    figures["nightly records re-decided per change"] = Figure(
        counted["set_records"] / max(changes, 1), "", cost=True, digits=1
    )
    figures["nightly titles remade without a decision"] = Figure(counted["restyled"], "")
    figures["nightly titles not searchable as stored"] = Figure(len(wrong), "")


# --- a size, and the summary --------------------------------------------------------------------
def nightly_again(
    size: int, args: argparse.Namespace, instruments: tuple[StageTimer, dict[str, Any]]
) -> None:
    """Another nightly run on the database and files ``--keep`` left (``--again``): a new delta
    (``scale_county.next_nightly``) of the files as they are, settled first as the first was."""
    from scale_county import next_nightly

    from harvest.models import HarvestRun

    files = Path(os.environ["SAMSOK_DATA_DIR"]) / "files"
    index_dir = Path(os.environ["SEARCH_INDEX_DIR"])
    first, later = files / "county", files / "nightly"
    if not (first / "libraries.json").exists() or not index_dir.exists():
        sys.exit(f"--again: no county kept in {files} (run once with --keep first)")
    print(f"\n=== another nightly of the kept {size:,}-record county ({load()}) ===", flush=True)
    figures: Figures = {"load average at start": Figure(os.getloadavg()[0], "", digits=2)}
    rng = Random(f"{args.seed}:again:{HarvestRun.objects.count()}")  # new records each time
    phase("the next nightly's files")
    started = time.perf_counter()
    parts = [float(part) for part in args.mix.split(":")]
    if len(parts) != 3 or min(parts) < 0 or not sum(parts):
        sys.exit("--mix: three shares, deleted:changed:added, e.g. 1:1:1")
    delta, records = next_nightly(first, later, CHANGE_SHARE, rng, (parts[0], parts[1], parts[2]))
    print(
        f"{len(delta.added):,} added, {len(delta.deleted):,} deleted, {len(delta.changed):,} changed "
        f"of {records:,} records ({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    county = County(first, later, records, {}, delta, 0.0, 0.0)
    settle(figures)
    nightly(county, index_dir, *instruments, args.seed, figures)
    figures["load average at end"] = Figure(os.getloadavg()[0], "", digits=2)
    print_table(f"another nightly of {size:,} source records", figures)


def recluster_again(size: int, instruments: tuple[StageTimer, dict[str, Any]]) -> None:
    """The first load's clustering alone, again (``--recluster``), on the database ``--keep`` left:
    every record's cluster, key, title, work, redirect and tombstone emptied and the tables
    settled, then ``recluster`` of every record as the first load's last step runs it
    (``pending.cluster_pending``). Steadier than comparing whole runs, in a tenth of the time: no
    county, harvest or index before it. The records' table is not as a first load leaves it
    (emptying the clusters wrote every row again, so its pages have room the load's had not), and
    the kept index names the titles of before (``--again`` after it wants a new ``--keep``)."""
    from django.db import connection

    import catalog.clustering
    import catalog.clustering.pending
    from catalog.models import Cluster, SourceRecord

    timer, counted = instruments
    ids = sorted(SourceRecord.objects.values_list("id", flat=True))
    if not ids:
        sys.exit("--recluster: no records kept (run once with --keep first)")
    print(f"\n=== the clustering of the kept {size:,}-record county again ({load()}) ===", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_sourcerecord SET cluster_id = NULL, clustered_as = NULL, merge_reason = '' "
            "WHERE cluster_id IS NOT NULL OR clustered_as IS NOT NULL OR merge_reason <> ''"
        )
        cursor.execute("TRUNCATE catalog_matchkey, catalog_clusterredirect, catalog_clustertombstone")
        cursor.execute("DELETE FROM catalog_cluster")  # an ILL request's title refers to it
        cursor.execute("DELETE FROM catalog_work")
        cursor.execute(
            "VACUUM (ANALYZE) catalog_sourcerecord, catalog_matchkey, catalog_cluster, catalog_work"
        )
    queued: set[int] = set()
    catalog.clustering.queue_reindex = lambda ids: queued.update(ids)  # type: ignore[assignment]
    timer.totals.clear()
    # The writer's peak before its clustering, what the harvest's first clustering run notes.
    counted.update(sets=0, set_records=0, largest_set=0, peak_before_clustering=status("self", "VmHWM"))
    cpu_before = cpu_now()
    started = time.perf_counter()
    with profiled("BENCH_PROFILE_LOAD"):
        catalog.clustering.pending.recluster(ids, descriptions_only=True)
        elapsed = time.perf_counter() - started
    cpu = [after - before for after, before in zip(cpu_now(), cpu_before, strict=True)]
    catalog.clustering.queue_reindex = counted["queue_reindex"]
    print(
        f"{len(ids):,} records into {Cluster.objects.count():,} titles in {elapsed:.1f} s = "
        f"{1e6 * elapsed / len(ids):.0f} µs a record = {len(ids) / elapsed:,.0f} records/s; "
        f"CPU: writer {cpu[0]:.1f} s, its forked processes {cpu[1]:.1f} s, PostgreSQL {cpu[2]:.1f} s; "
        f"{counted['set_records']:,} records decided in {counted['sets']:,} sets ({load()})"
    )
    for stage, stage_seconds in sorted(timer.totals.items(), key=lambda item: -item[1]):
        print(f"    {stage:<44} {stage_seconds:8.1f} s  {1e6 * stage_seconds / len(ids):8.0f} µs/record")


def run_size(size: int, args: argparse.Namespace, instruments: tuple[StageTimer, dict[str, Any]]) -> Figures:
    from django.core.management import call_command
    from django.db import connections

    from catalog.models import Cluster
    from catalog.search import reset_backend

    print(f"\n=== {size:,} source records, 26 libraries ({load()}) ===", flush=True)
    data_dir = Path(os.environ["SAMSOK_DATA_DIR"])
    index_dir = Path(os.environ["SEARCH_INDEX_DIR"])
    figures: Figures = {"load average at start": Figure(os.getloadavg()[0], "", digits=2)}
    connections.close_all()
    recreate_database(BENCH_DB, BASE_URL)
    shutil.rmtree(index_dir, ignore_errors=True)
    reset_backend()
    call_command("migrate", verbosity=0)
    county = make_county(size, data_dir / "files", args.seed, args.workers)
    try:
        full_harvest(county, *instruments, figures)
        titles = build_index(index_dir, figures)
        records = county.records
        figures["titles"] = Figure(titles, "")
        figures["records per title"] = Figure(records / titles, "", digits=2)
        disk_sizes(index_dir, records, titles, figures)
        search(index_dir, args.seconds, args.port, args.seed, figures)
        settle(figures)
        nightly(county, index_dir, *instruments, args.seed, figures)
        figures["titles after the nightly"] = Figure(Cluster.objects.count(), "")
    finally:
        figures["load average at end"] = Figure(os.getloadavg()[0], "", digits=2)
        reset_backend()
        connections.close_all()
        if not args.keep:
            drop_database(BENCH_DB, BASE_URL)
            shutil.rmtree(data_dir / "files", ignore_errors=True)
            shutil.rmtree(index_dir, ignore_errors=True)
    print_table(f"{size:,} source records", figures)
    return figures


def number(figure: Figure) -> str:
    return f"{figure.value:,.{figure.digits}f}"


def print_table(title: str, figures: Figures) -> None:
    print(f"\n{title}")
    for name, figure in figures.items():
        print(f"  {name:<56} {number(figure):>14} {figure.unit}")


def print_growth(results: dict[int, Figures]) -> None:
    """Each cost at each size, and its change from one size to the next (flagged above SLOWER)."""
    sizes = sorted(results)
    steps = list(itertools.pairwise(sizes))
    print("\nHow each cost grows (!! = more than 20 % higher than at the size before)")
    print(
        f"  {'':<62}"
        + "".join(f"{size:>14,}" for size in sizes)
        + "".join(f"{'→ ' + f'{b:,}':>14}" for _, b in steps)
    )
    flagged = []
    for name, figure in results[sizes[0]].items():
        if not figure.cost:
            continue
        values = {size: results[size][name].value for size in sizes if name in results[size]}
        cells = "".join(
            f"{f'{values[size]:,.{figure.digits}f}' if size in values else '':>14}" for size in sizes
        )
        changes = ""
        for a, b in steps:
            if not (values.get(a) and values.get(b)):
                changes += f"{'':>14}"
                continue
            ratio = values[b] / values[a]
            changes += f"{f'{ratio - 1:+.0%}' + (' !!' if ratio > SLOWER else ''):>14}"
            if ratio > SLOWER:
                flagged.append(
                    f"{name} {values[a]:,.{figure.digits}f} → {values[b]:,.{figure.digits}f} {figure.unit}"
                )
        print(f"  {name + (f' ({figure.unit})' if figure.unit else ''):<62}{cells}{changes}")
    print(
        "\nMore than 20 % higher from one size to the next: " + ("; ".join(flagged) if flagged else "nothing")
    )


def size_apart(size: int, args: argparse.Namespace) -> Figures:
    """One size run by this script in a process of its own, its figures read back: in one process a
    later size would begin with the earlier ones' memory, which the writer's forks (page readers,
    the clustering's children) share with it copy-on-write, and its figures would grow with it."""
    figures_to = args.dir / f"figures-{size}.json"
    figures_to.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--sizes", str(size), "--figures-to", str(figures_to)]
    command += ["--seconds", str(args.seconds), "--dir", str(args.dir), "--workers", str(args.workers)]
    command += ["--seed", str(args.seed), "--port", str(args.port)] + (["--keep"] if args.keep else [])
    if args.rebuild_memory_mb:
        command += ["--rebuild-memory-mb", str(args.rebuild_memory_mb)]
    if subprocess.run(command, check=False).returncode or not figures_to.exists():
        sys.exit(f"bench_scale: the run of {size:,} records failed (its output is above)")
    return {name: Figure(**figure) for name, figure in json.loads(figures_to.read_text()).items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000,5000000", help="source records, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="per search phase")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/samsok-bench-scale"))
    parser.add_argument("--rebuild-memory-mb", type=int, help="SEARCH_REBUILD_MEMORY_MB of the rebuild")
    parser.add_argument("--workers", type=int, default=2, help="processes generating the county")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the last size's database and files")
    parser.add_argument(
        "--again", type=int, default=0, help="only N more nightly runs on what --keep kept (one size)"
    )
    parser.add_argument(
        "--recluster", type=int, default=0, help="only the first load's clustering, N times (after --keep)"
    )
    parser.add_argument(
        "--mix",
        default="1:1:1",
        help="--again's changes, deleted:changed:added (8:90:2 for a night of mostly new notes)",
    )
    parser.add_argument("--figures-to", type=Path, help=argparse.SUPPRESS)  # one size's, for size_apart
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if (args.again or args.recluster) and len(sizes) != 1:
        sys.exit("--again, --recluster: give the one size that was kept (--sizes)")
    if len(sizes) > 1:
        print(f"bench_scale: sizes {sizes}, each in a process of its own ({load()})", flush=True)
        args.dir.mkdir(parents=True, exist_ok=True)
        print_growth({size: size_apart(size, args) for size in sizes})
    else:
        setup_environment(args.dir / "data", args.rebuild_memory_mb)
        import django

        print(f"bench_scale: {sizes[0]:,} records, database {BENCH_DB}, in {args.dir} ({load()})", flush=True)
        django.setup()
        instruments = instrument()
        if args.recluster:
            for _ in range(args.recluster):
                recluster_again(sizes[0], instruments)
        elif args.again:
            for _ in range(args.again):
                nightly_again(sizes[0], args, instruments)
        else:
            figures = run_size(sizes[0], args, instruments)
            if args.figures_to:
                args.figures_to.write_text(json.dumps({name: vars(f) for name, f in figures.items()}))
    print(f"\n{load()}; uptime: " + subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
