"""Benchmark: the record page of a title held by 25 libraries, all live, 5 of them slow (3 s).

Starts 25 DAIA servers on 127.0.0.1 (20 answer at once, 5 after 3 s), a fresh instance on
SQLite in a temporary folder, and the portal on a real threaded WSGI server. Measures

  * record page (/post/<id>/): time to first byte and total, harvested status rendered at once
  * live status complete: GET /api/v1/records/<id>/availability with an empty cache
  * the same once the breaker has opened for the 5 slow libraries, and from the cache
  * a result page's batch summary (/api/v1/availability?ids=...) for 20 titles

Targets: first byte < 100 ms; live complete within AVAILABILITY_TIMEOUT + 200 ms.
Run: .venv/bin/python scripts/bench_availability.py   (prints the figures and `uptime`)
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SAMSOK_DATA_DIR", tempfile.mkdtemp(prefix="samsok-bench-availability-"))
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("LOG_LEVEL", "ERROR")  # the slow libraries' timeouts are expected here
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

from tests.availability.servers import ReplayHttpServer  # noqa: E402

LIBRARIES, SLOW, SLOW_SECONDS, RUNS = 25, 5, 3.0, 20


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def daia_answer(query: dict[str, list[str]], available: bool) -> tuple[int, str, bytes]:
    """A DAIA document per requested id (ids joined by '|'), every copy in or every copy out."""
    service = "available" if available else "unavailable"
    ids = query.get("id", [""])[0].split("|")
    documents = [{"id": doc_id, "item": [{service: [{"service": "loan"}]}]} for doc_id in ids]
    return 200, "application/json", json.dumps({"document": documents}).encode()


def build_title(servers: list[ReplayHttpServer]) -> list[int]:
    from catalog.models import Cluster, Holding, Library, SourceRecord
    from harvest.models import Source

    clusters = [
        Cluster.objects.create(data={"title": f"Bench title {n}", "formats": ["book"]}) for n in range(20)
    ]
    for number, server in enumerate(servers):
        library = Library.objects.create(
            code=f"B{number:02d}",
            name=f"Bibliotek {number:02d}",
            availability_provider="daia",
            availability_url=server.url,
        )
        source = Source.objects.create(library=library, protocol="oai-pmh", url="http://example.invalid/")
        for cluster in clusters:
            record = SourceRecord.objects.create(source=source, local_id=f"r{cluster.pk}", cluster=cluster)
            Holding.objects.create(record=record, library=library, status="on_loan", call_number="Hc")
    return [cluster.pk for cluster in clusters]


def timed_get(port: int, path: str) -> tuple[float, float, int, bytes]:
    """(first byte ms, total ms, status, body) of one GET."""
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    first = time.perf_counter()
    body = response.read()
    done = time.perf_counter()
    connection.close()
    return (first - started) * 1000, (done - started) * 1000, response.status, body


def reset_live_state() -> None:
    cache.clear()  # local memory cache of this process only (no REDIS_URL here)


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   max {max(values):7.1f} ms"


def main() -> None:
    call_command("migrate", verbosity=0)
    servers = [
        ReplayHttpServer(
            lambda p, q, n=n: daia_answer(q, available=n % 2 == 0), delay=SLOW_SECONDS if n < SLOW else 0.0
        ).__enter__()
        for n in range(LIBRARIES)
    ]
    ids = build_title(servers)
    pk = ids[0]
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(get_wsgi_application())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    timeout_ms = settings.AVAILABILITY_TIMEOUT * 1000
    print(
        f"{LIBRARIES} libraries (DAIA on 127.0.0.1), {SLOW} answer after {SLOW_SECONDS:.0f} s; "
        f"timeout {timeout_ms:.0f} ms; {RUNS} runs each"
    )

    timed_get(port, f"/post/{pk}/")  # warm up templates and URL resolver
    firsts, totals = [], []
    for _ in range(RUNS):
        reset_live_state()
        first, total, status, body = timed_get(port, f"/post/{pk}/")
        assert status == 200 and b"data-holding-id=" in body, status
        firsts.append(first)
        totals.append(total)
    print(f"record page, first byte      {summary(firsts)}   (target < 100 ms)")
    print(f"record page, complete        {summary(totals)}")

    live = []
    for _ in range(5):
        reset_live_state()
        _first, total, status, body = timed_get(port, f"/api/v1/records/{pk}/availability")
        holdings = json.loads(body)["holdings"]
        live.append(total)
    sources = [h["source"] for h in holdings]
    print(
        f"live complete (JSON, cold)   {summary(live)}   (target < {timeout_ms + 200:.0f} ms); "
        f"{sources.count('live')} live, {sources.count('harvested')} harvested (slow ones)"
    )

    cache.clear()
    settings.AVAILABILITY_BREAKER_FAILURES = 1
    settings.AVAILABILITY_CACHE_SECONDS = 0  # every call asks the fast libraries again
    timed_get(port, f"/api/v1/records/{pk}/availability")  # the slow five fail once: breaker opens
    open_runs = [timed_get(port, f"/api/v1/records/{pk}/availability")[1] for _ in range(RUNS)]
    print(f"live, breaker open for 5     {summary(open_runs)}   (20 fast asked each time, slow 5 skipped)")
    settings.AVAILABILITY_CACHE_SECONDS = 120
    timed_get(port, f"/api/v1/records/{pk}/availability")
    cached = [timed_get(port, f"/api/v1/records/{pk}/availability")[1] for _ in range(RUNS)]
    print(f"live, from the cache         {summary(cached)}")
    firsts = [timed_get(port, f"/post/{pk}/")[0] for _ in range(RUNS)]
    print(f"record page with cached live status, first byte {summary(firsts)}")

    reset_live_state()
    settings.AVAILABILITY_BREAKER_FAILURES = 3
    before = len(servers[-1].requests)
    _f, batch_ms, status, body = timed_get(port, "/api/v1/availability?ids=" + ",".join(map(str, ids)))
    records = json.loads(body)["records"]
    print(
        f"result page batch, 20 titles x 25 libraries, cold: {batch_ms:7.1f} ms (status {status}, "
        f"{len(records)} summaries); calls to each library: {len(servers[-1].requests) - before}"
    )

    httpd.shutdown()
    for server in servers:
        server.__exit__()
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
