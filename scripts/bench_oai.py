"""Benchmark: a full OAI-PMH ListRecords harvest of a large catalogue, marcxml and oai_dc.

    .venv/bin/python scripts/bench_oai.py --titles 100000 [--titles 200000 ...] [--prefix marcxml]

Builds (or grows, or reuses) a catalogue of N merged titles in a PostgreSQL database of its own
(``samsok_bench_oai`` on the DATABASE_URL server; kept between runs, ``--drop`` removes it): ten
libraries, one source each, 1-3 member records a title (ISO 2709 made with pymarc, about 40 %
of titles held by several libraries), one holding per member record, datestamps spread over a
year so the (datestamp, id) walk is not the id order. Rows are written with binary COPY.

Then harvests /oai in-process through Django's test client (the view, the queries, the XML; no
network), following resumption tokens from the first page to the last, and prints for each
format: items, pages, seconds, items/s, µs per item, MB of XML, and the process's peak RSS.
With several --titles the catalogue is grown between measurements, so per-item costs at each
size can be compared (flat = linear extrapolation to 1,000,000 is fair). Prints `uptime`.
"""

import argparse
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = "samsok_bench_oai"
SIGELS = ["Sods", "Nyks", "Li", "G", "Kar", "Hn", "Bor", "Ovik", "Fa", "Vax"]
WORDS = [
    "sommar",
    "vinter",
    "natt",
    "dag",
    "hav",
    "skog",
    "stad",
    "hem",
    "resa",
    "dröm",
    "ljus",
    "mörker",
    "hjärta",
    "röst",
    "vind",
    "eld",
    "vatten",
    "sten",
    "fjäll",
    "ö",
    "bro",
    "väg",
    "flicka",
    "pojke",
    "mor",
    "far",
    "syster",
    "bror",
    "vän",
    "kung",
    "drottning",
    "häxa",
    "drake",
    "katt",
    "hund",
]
NAMES = [
    "Jansson",
    "Lindgren",
    "Lagerlöf",
    "Mankell",
    "Ekman",
    "Gardell",
    "Läckberg",
    "Nesser",
    "Sjöwall",
    "Andersson",
]
FORMATS = ["book"] * 8 + ["audiobook", "ebook"]


def ensure_database(drop: bool) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, autocommit=True) as conn:
        if drop:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def setup_django() -> None:
    os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + "/" + BENCH_DB
    os.environ.setdefault("SAMSOK_DATA_DIR", tempfile.mkdtemp(prefix="samsok-bench-oai-"))
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.pop("REDIS_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def marc(number: int, rng: random.Random, fmt: str) -> tuple[bytes, dict[str, object]]:
    """One member record as ISO 2709 and the normalized data a harvest would map from it."""
    import pymarc

    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))).capitalize()
    author = f"{rng.choice(NAMES)}, {rng.choice(WORDS).capitalize()}"
    year = rng.randint(1950, 2025)
    isbn = f"978917{number:07d}"[:13]
    leader6 = "i" if fmt == "audiobook" else "a"
    record = pymarc.Record(leader=f"00000n{leader6}m a2200000 a 4500", force_utf8=True)
    blank = pymarc.Indicators(" ", " ")
    record.add_field(pymarc.Field("001", data=f"b{number}"))
    record.add_field(pymarc.Field("008", data=f"170327s{year}    sw ||||j     |00| 0|swe d"))
    record.add_field(pymarc.Field("020", blank, [pymarc.Subfield("a", isbn)]))
    record.add_field(pymarc.Field("100", pymarc.Indicators("1", " "), [pymarc.Subfield("a", author)]))
    record.add_field(pymarc.Field("245", pymarc.Indicators("1", "0"), [pymarc.Subfield("a", title)]))
    imprint = [
        pymarc.Subfield("a", "Stockholm"),
        pymarc.Subfield("b", "Förlaget"),
        pymarc.Subfield("c", str(year)),
    ]
    record.add_field(pymarc.Field("264", pymarc.Indicators(" ", "1"), imprint))
    record.add_field(pymarc.Field("300", blank, [pymarc.Subfield("a", f"{rng.randint(20, 600)} sidor")]))
    for word in rng.sample(WORDS, 2):
        record.add_field(pymarc.Field("650", pymarc.Indicators(" ", "7"), [pymarc.Subfield("a", word)]))
    data = {
        "title": title,
        "authors": [{"name": author, "role": "author", "kind": "person"}],
        "year": year,
        "isbns": [isbn],
        "formats": [fmt],
        "languages": ["swe"],
        "publisher": "Förlaget",
        "subjects": [{"term": word, "thesaurus": "sao"} for word in WORDS[:2]],
    }
    return record.as_marc(), data


def grow(target: int, seed: int = 7) -> None:
    """Add titles until the catalogue has ``target`` clusters."""
    from django.db import connection

    from catalog.bulk_work import copy_binary, jsonb
    from catalog.models import Cluster, Library
    from harvest.models import Source

    have = Cluster.objects.count()
    if have >= target:
        return
    libraries = [
        Library.objects.get_or_create(code=s, defaults={"name": f"Bibliotek {s}"})[0] for s in SIGELS
    ]
    sources = [
        Source.objects.get_or_create(
            name=f"bench-{lib.code}",
            defaults={"protocol": "marc-file", "url": f"/tmp/{lib.code}.mrc", "library": lib},
        )[0]
        for lib in libraries
    ]
    rng = random.Random(seed + have)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM catalog_sourcerecord")
        record_id = cursor.fetchone()[0]
    start = datetime.now(UTC) - timedelta(days=366)
    began, batch = time.perf_counter(), 20_000
    for first in range(have + 1, target + 1, batch):
        clusters, records, holdings = [], [], []
        for cluster_id in range(first, min(first + batch, target + 1)):
            fmt = rng.choice(FORMATS)
            copies = 1 if rng.random() < 0.6 else rng.choice((2, 2, 3))
            display, data = None, {}
            for lib_index in rng.sample(range(len(SIGELS)), copies):
                record_id += 1
                raw, member_data = marc(record_id, rng, fmt)
                display, data = display or record_id, data or member_data
                now = start + timedelta(seconds=rng.randrange(365 * 86400))
                records.append(
                    (
                        record_id,
                        sources[lib_index].pk,
                        f"b{record_id}",
                        "bib",
                        "",
                        raw,
                        "iso2709",
                        "",
                        now,
                        False,
                        "",
                        jsonb([]),
                        jsonb(member_data),
                        cluster_id,
                        "same ISBN",
                        now,
                    )
                )
                holdings.append(
                    (
                        record_id,
                        libraries[lib_index].pk,
                        "",
                        "Vuxen",
                        f"Hc.{record_id % 97}",
                        "",
                        "",
                        1,
                        "available",
                    )
                )
            stamp = start + timedelta(seconds=rng.randrange(365 * 86400), microseconds=rng.randrange(10**6))
            data = {**data, "member_count": copies}
            clusters.append((cluster_id, jsonb(data), display, "", stamp, stamp))
        copy_binary(
            "catalog_cluster",
            ["id", "data", "display_record_id", "work_key", "created_at", "updated_at"],
            ["int8", "bytea", "int8", "text", "timestamptz", "timestamptz"],
            clusters,
        )
        copy_binary(
            "catalog_sourcerecord",
            [
                "id",
                "source_id",
                "local_id",
                "kind",
                "parent_local_id",
                "raw",
                "raw_format",
                "checksum",
                "datestamp",
                "deleted",
                "error",
                "repairs",
                "data",
                "cluster_id",
                "merge_reason",
                "harvested_at",
            ],
            [
                "int8",
                "int8",
                "text",
                "text",
                "text",
                "bytea",
                "text",
                "text",
                "timestamptz",
                "bool",
                "text",
                "bytea",
                "bytea",
                "int8",
                "text",
                "timestamptz",
            ],
            records,
        )
        copy_binary(
            "catalog_holding",
            [
                "record_id",
                "library_id",
                "branch",
                "shelf",
                "call_number",
                "item_id",
                "summary",
                "item_count",
                "status",
            ],
            ["int8", "int8", "text", "text", "text", "text", "text", "int4", "text"],
            holdings,
        )
        done = min(first + batch - 1, target)
        print(f"  built {done:,} titles ({time.perf_counter() - began:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        for table in ("catalog_cluster", "catalog_sourcerecord"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}")
        cursor.execute("ANALYZE catalog_cluster; ANALYZE catalog_sourcerecord; ANALYZE catalog_holding")


def harvest(prefix: str, limit: int = 0) -> dict[str, float]:
    """A full ListRecords harvest, token after token, as a harvester would run it (with
    ``limit``: only its first pages, up to that many items)."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    token_pattern = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    items = pages = size = 0
    began, cpu_began = time.perf_counter(), cpu()
    while True:
        response = client.get("/oai", params)
        assert response.status_code == 200, response.status_code
        body = response.content
        pages += 1
        size += len(body)
        items += body.count(b"<header")
        found = token_pattern.search(body)
        if not found or (limit and items >= limit):
            break
        params = {"verb": "ListRecords", "resumptionToken": found.group(1).decode()}
    seconds = time.perf_counter() - began
    return {"items": items, "pages": pages, "seconds": seconds, "cpu": cpu() - cpu_began, "mb": size / 1e6}


def cpu() -> float:
    """CPU seconds of this process (the view and the client): on a shared machine a steadier
    measure than wall time, which includes waiting for a core."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--titles", type=int, action="append", help="catalogue sizes to measure (repeatable)")
    parser.add_argument("--prefix", action="append", choices=["marcxml", "oai_dc"])
    parser.add_argument("--drop", action="store_true", help="start from an empty database")
    parser.add_argument(
        "--limit", type=int, default=0, help="stop each harvest after this many items (partial)"
    )
    args = parser.parse_args()
    ensure_database(args.drop)
    setup_django()
    for titles in sorted(args.titles or [100_000]):
        grow(titles)
        for prefix in args.prefix or ["marcxml", "oai_dc"]:
            result = harvest(prefix, args.limit)
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            per_item = result["seconds"] / max(result["items"], 1) * 1e6
            cpu_per_item = result["cpu"] / max(result["items"], 1) * 1e6
            print(
                f"{titles:>9,} titles  {prefix:<8} {result['items']:>9,.0f} items  "
                f"{result['pages']:>5,.0f} pages  "
                f"{result['seconds']:8.1f} s  {result['items'] / result['seconds']:7.0f} items/s  "
                f"{per_item:6.0f} µs/item  (CPU {cpu_per_item:5.0f} µs/item)  "
                f"{result['mb']:8.1f} MB XML  peak RSS {peak_mb:6.0f} MB",
                flush=True,
            )
            print(
                "   ", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(), flush=True
            )


if __name__ == "__main__":
    main()
