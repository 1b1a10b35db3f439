"""Benchmark: harvest a generated 100,000-record MARCXML feed over OAI-PMH into PostgreSQL.

Generates N bibliographic records with pymarc (ISBN, author, title, edition, imprint, extent,
subjects, one or two 852 holdings at sample sigels), serves them from the local OAI-PMH provider
(sample.local_oai, 500 records per page) on 127.0.0.1 and harvests them into a fresh PostgreSQL
database with the real pipeline: HTTP, XML, encoding checks, mapping, checksums, batched writes,
holdings, clustering (catalog.clustering when present) and the indexing hand-off. Then:

  * pymarc's bare parse of the same bytes (one MARCXML collection, pymarc.parse_xml_to_array)
  * an incremental re-run (nothing changed; but OAI-PMH's `from` is inclusive and datestamps have
    whole seconds, so records stamped in the second the first run began are listed again, as
    unchanged) and a --full re-run (all unchanged)

Stage times are printed for the first harvest. Fetching, parsing and mapping run in the page
reader's process (harvest.reader), a page or two ahead of the writer: the writer's stages are
timed; CPU time is reported per process (writer, reader, PostgreSQL, provider), and the WAL
PostgreSQL wrote per record. BENCH_IN_PROCESS=1 reads and prepares pages in this
process instead (a thread fetches one page ahead), with every stage timed.
Target: the whole pipeline at no less than half of pymarc's bare parse rate.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python scripts/bench_harvest.py [N]
(creates and drops a database named samsok_bench_harvest on that server; prints `uptime`).
"""

import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "samsok_bench_harvest"
SIGELS = ["Sods", "Nyks", "Li", "G", "Kar", "Hn", "Bor", "Ovik"]


def database_url(name: str, base_url: str = BASE_URL) -> str:
    """The URL of database ``name`` on the server of ``base_url``."""
    return base_url.rsplit("/", 1)[0] + "/" + name


def recreate_database(name: str = BENCH_DB, base_url: str = BASE_URL) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")


def drop_database(name: str = BENCH_DB, base_url: str = BASE_URL) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def use_bench_environment() -> None:
    """This benchmark's database, data folder and settings; before Django is set up (importing
    this module changes nothing, so other benchmarks can use its functions)."""
    os.environ["DATABASE_URL"] = database_url(BENCH_DB)
    os.environ.setdefault("SAMSOK_DATA_DIR", tempfile.mkdtemp(prefix="samsok-bench-harvest-"))
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.setdefault("HARVEST_ALLOW_PRIVATE_URLS", "1")  # the provider runs on 127.0.0.1
    os.environ.pop("REDIS_URL", None)  # no broker: indexing would run in-process, see below
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"


def generate(count: int) -> list[bytes]:
    """MARCXML <record> elements (namespaced), made with pymarc."""
    from pymarc import Field, Indicators, Leader, Record, Subfield
    from pymarc.marcxml import record_to_xml

    records = []
    for n in range(count):
        record = Record(force_utf8=True, leader=Leader("00000nam a2200000 a 4500"))
        isbn = f"978917{n:06d}"
        record.add_field(Field(tag="001", data=f"bench{n}"))
        record.add_field(Field(tag="008", data=f"240101s{1950 + n % 75}    sw |||| |    |00| 0|swe d"))
        subs = [Subfield("a", isbn + "0"), Subfield("q", "inbunden")]
        record.add_field(Field(tag="020", indicators=Indicators(" ", " "), subfields=subs))
        author = [Subfield("a", f"Åkesson, Märta {n % 9000}"), Subfield("4", "aut")]
        record.add_field(Field(tag="100", indicators=Indicators("1", " "), subfields=author))
        title = [
            Subfield("a", f"Skärgårdsliv och öar {n} :"),
            Subfield("b", "en berättelse /"),
            Subfield("c", "Märta Åkesson"),
        ]
        record.add_field(Field(tag="245", indicators=Indicators("1", "0"), subfields=title))
        imprint = [Subfield("a", "Stockholm :"), Subfield("b", "Bonnier,"), Subfield("c", str(1950 + n % 75))]
        record.add_field(Field(tag="264", indicators=Indicators(" ", "1"), subfields=imprint))
        record.add_field(
            Field(tag="300", indicators=Indicators(" ", " "), subfields=[Subfield("a", "320 sidor")])
        )
        for term in ("Skärgården", "Familjen"):
            subject = [Subfield("a", term), Subfield("2", "sao")]
            record.add_field(Field(tag="650", indicators=Indicators(" ", "7"), subfields=subject))
        for sigel in {SIGELS[n % len(SIGELS)], SIGELS[(n * 7) % len(SIGELS)]}:
            holding = [Subfield("b", sigel), Subfield("c", "Vuxen"), Subfield("h", "Hc")]
            record.add_field(Field(tag="852", indicators=Indicators(" ", " "), subfields=holding))
        records.append(record_to_xml(record, namespace=True))
    return records


class StageTimer:
    """Wraps functions to add their wall time to named stages (nested stages are subtracted)."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.local = threading.local()

    def wrap(self, owner: object, name: str, stage: str) -> None:
        original = getattr(owner, name)

        def timed(*args: object, **kwargs: object) -> object:
            stack = self.local.__dict__.setdefault("stack", [])
            stack.append(0.0)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - started
                inner = stack.pop()
                self.totals[stage] = self.totals.get(stage, 0.0) + elapsed - inner
                if stack:
                    stack[-1] += elapsed

        setattr(owner, name, timed)


def instrument() -> tuple[StageTimer, list[int]]:
    """Time each stage; collect cluster ids instead of indexing in-process (a Celery worker's job)."""
    import catalog.clustering
    import catalog.mapping
    from harvest.ingest import RecordWriter
    from harvest.protocols import oai_pmh
    from harvest.protocols.oai_http import OaiHttpClient

    timer = StageTimer()
    timer.wrap(OaiHttpClient, "get", "HTTP (server + client)")
    timer.wrap(oai_pmh, "parse_list_records", "XML + MARC parse, encoding check")
    timer.wrap(catalog.mapping, "map_record", "catalog.mapping.map_record")
    timer.wrap(catalog.mapping, "extract_holdings", "catalog.mapping.extract_holdings")
    timer.wrap(RecordWriter, "write", "ingest: checksums, DB writes, holdings")
    timer.wrap(catalog.clustering, "assign", "catalog.clustering: assign clusters")
    queued: list[int] = []
    catalog.clustering.queue_reindex = lambda ids: queued.extend(ids)  # type: ignore[assignment]
    return timer, queued


def serve(repository: object, urls: "multiprocessing.Queue[str]") -> None:
    from sample.local_oai import LocalOaiServer

    with LocalOaiServer(repository) as server:  # type: ignore[arg-type]
        urls.put(server.url)
        server.thread.join()


def _processes(pids: "list[int] | None" = None) -> "list[tuple[int, str, list[str]]]":
    """(pid, command name, the fields of /proc/PID/stat after the name) of the processes running
    now (of ``pids`` only, if given)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or (pids is not None and int(entry) not in pids):
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:  # it ended meanwhile
            continue
        found.append(
            (int(entry), stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split())
        )
    return found


def cpu_seconds(pids: "list[int] | None" = None, command: str = "") -> float:
    """CPU time used so far by processes (by pid, or all whose command name is ``command``)."""
    tick = os.sysconf("SC_CLK_TCK")
    return sum(
        (int(rest[11]) + int(rest[12])) / tick
        for _pid, name, rest in _processes(pids)
        if not command or name == command
    )


def server_cpu_seconds() -> float:
    """CPU seconds of this machine's PostgreSQL server so far, its ended processes included (a
    clustering's forked processes' connections end with them): what every ``postgres`` process
    used, plus what the postmaster's reaped children did (the postmaster: the one whose parent is
    not a ``postgres`` process). The whole server's, other databases' work included; 0 when no
    postmaster runs here (a server elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    server = [(pid, rest) for pid, name, rest in _processes() if name == "postgres"]
    pids = {pid for pid, _rest in server}
    reaped = sum(int(rest[13]) + int(rest[14]) for _pid, rest in server if int(rest[1]) not in pids)
    return (sum(int(rest[11]) + int(rest[12]) for _pid, rest in server) + reaped) / tick


def cpu_now(provider_pid: int) -> tuple[float, float, float, float]:
    """(this process, its ended children: the page reader, PostgreSQL, the OAI provider) CPU seconds."""
    times = os.times()
    return (
        cpu_seconds([os.getpid()]),
        times.children_user + times.children_system,
        cpu_seconds(command="postgres"),
        cpu_seconds([provider_pid]),
    )


def wal_position() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return str(cursor.fetchone()[0])


def wal_since(position: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [position])
        return int(cursor.fetchone()[0])


def bare_parse_rate(records: list[bytes]) -> float:
    import pymarc

    collection = (
        b'<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim">'
        + b"".join(records)
        + b"</collection>"
    )
    started = time.perf_counter()
    parsed = pymarc.parse_xml_to_array(io.BytesIO(collection))
    elapsed = time.perf_counter() - started
    assert len(parsed) == len(records)
    return len(records) / elapsed


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    use_bench_environment()
    recreate_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from catalog.models import Holding, Library, SourceRecord
    from harvest.models import Source
    from harvest.services import harvest_source
    from sample.local_oai import Repository

    call_command("migrate", verbosity=0)
    for sigel in SIGELS:
        Library.objects.create(code=sigel, name=f"Bibliotek {sigel}")
    started = time.perf_counter()
    records = generate(count)
    megabytes = sum(map(len, records)) / 1e6
    print(f"generated {count} records ({megabytes:.1f} MB MARCXML) in {time.perf_counter() - started:.1f}s")
    bare_before = bare_parse_rate(records)
    print(f"pymarc bare parse (parse_xml_to_array): {bare_before:,.0f} records/s")
    sample = records[:20_000]  # re-measured after the harvest, under the load of that moment
    repository = Repository(page_size=500)
    for n, xml in enumerate(records):
        repository.put(f"oai:bench:{n}", xml)
    del records
    if os.environ.get("BENCH_IN_PROCESS"):
        from django.conf import settings

        settings.HARVEST_READER_PROCESS = False
    timer, queued = instrument()
    # The provider runs in its own (forked) process, as a real one would: not competing for our GIL.
    urls: multiprocessing.Queue[str] = multiprocessing.get_context("fork").Queue()
    provider = multiprocessing.get_context("fork").Process(target=serve, args=(repository, urls), daemon=True)

    connections.close_all()  # the child must not share our database socket
    provider.start()
    url = urls.get(timeout=60)
    try:
        source = Source.objects.create(protocol="oai-pmh", url=url, metadata_prefix="marcxml")
        for label, full in (
            ("first harvest", False),
            ("incremental, nothing new", False),
            ("--full, all unchanged", True),
        ):
            started, cpu_before, wal_before = time.perf_counter(), cpu_now(provider.pid or 0), wal_position()
            if os.environ.get("BENCH_PROFILE") and label == "first harvest":
                import cProfile

                profiler = cProfile.Profile()
                run = profiler.runcall(harvest_source, source.pk, full=full)
                profiler.dump_stats(os.environ["BENCH_PROFILE"])
            else:
                run = harvest_source(source.pk, full=full)
            elapsed = time.perf_counter() - started
            seen = run.added + run.updated + run.unchanged + run.failed
            rate = seen / elapsed if seen else 0
            print(
                f"{label}: {run.status} in {elapsed:.1f}s, {seen} records ({run.added} added, "
                f"{run.unchanged} unchanged, {run.failed} failed) = {rate:,.0f} records/s"
            )
            if label == "first harvest":
                pipeline, first_elapsed = rate, elapsed
                cpu = [
                    after - before
                    for after, before in zip(cpu_now(provider.pid or 0), cpu_before, strict=True)
                ]
                print(
                    f"    CPU: writer {cpu[0]:.1f}s, page reader {cpu[1]:.1f}s, PostgreSQL {cpu[2]:.1f}s, "
                    f"OAI provider {cpu[3]:.1f}s (wall {elapsed:.1f}s, 2 cores); "
                    f"WAL {wal_since(wal_before) / max(seen, 1):,.0f} bytes/record"
                )
                for stage, seconds in sorted(timer.totals.items(), key=lambda item: -item[1]):
                    print(f"    {stage:<42} {seconds:7.1f}s  {1000 * seconds / max(seen, 1):.2f} ms/record")
                other = elapsed - sum(timer.totals.values())
                print(f"    {'rest (run loop, saved state; minus overlap)':<42} {other:7.1f}s")
                from catalog.search.indexing import index_clusters

                started = time.perf_counter()
                if os.environ.get("BENCH_PROFILE_INDEX"):
                    import cProfile

                    profiler = cProfile.Profile()
                    profiler.runcall(index_clusters, sorted(set(queued)))
                    profiler.dump_stats(os.environ["BENCH_PROFILE_INDEX"])
                else:
                    index_clusters(sorted(set(queued)))
                indexing = time.perf_counter() - started
                clusters = len(set(queued))
                print(f"    indexing {clusters} clusters (the Celery index queue's job): {indexing:.1f}s")
    finally:
        provider.terminate()
    print(
        f"stored: {SourceRecord.objects.count()} records, {Holding.objects.count()} holdings, "
        f"{SourceRecord.objects.exclude(cluster=None).count()} clustered"
    )
    bare_after = bare_parse_rate(sample)
    bare = (bare_before + bare_after) / 2
    print(f"pymarc bare parse again (20,000 records): {bare_after:,.0f} records/s; mean {bare:,.0f}")
    print(f"pipeline / bare parse = {pipeline / bare:.2f} (target >= 0.50)")
    with_index = count / (first_elapsed + indexing)
    print(
        f"including in-process indexing: {with_index:,.0f} records/s = {with_index / bare:.2f} of bare parse"
    )
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    connections.close_all()
    drop_database()  # as the top says: a run leaves no database behind


if __name__ == "__main__":
    main()
