"""Search benchmark on generated cluster documents (tantivy, the embedded default).

    .venv/bin/python scripts/bench_search.py [--docs 1000000] [--seconds 20] [--rounds 1] [--dir DIR]

1. generates N cluster documents directly (Swedish-ish titles from sample.vocabulary),
   builds the index with `rebuild` and reports docs/s;
2. bare engine: SearchRequest with 5 facets + one filter, single client and 16 threads;
3. the API: starts gunicorn on 127.0.0.1 (own data dir, SQLite, this index), calls
   /api/v1/search with the same requests, single client and 16 concurrent clients;
4. /api/v1/suggest latency. Prints median / p95 / throughput / errors and `uptime`.
Every phase starts empty (a new backend, or a freshly started server) and has requests of its
own: the facet counts and result pages it finds kept in memory come from its own repeats only.
The server runs `gunicorn -w 2 -k gthread --threads 8` (BENCH_GUNICORN sets other worker options).
Targets (2 cores): build >= 10,000 docs/s; API p95 <= 50 ms single client; >= 300 searches/s at
16 clients with 0 errors; API overhead <= 2x bare engine; suggest p95 < 30 ms.
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("SITE_URL", "http://127.0.0.1")  # required when DEBUG is off

LIBRARIES = [
    (f"L{n:02d}", f"Bibliotek {n}", f"Kommun {n // 2}") for n in range(1, 27)
]  # a county: 26 libraries in 13 municipalities
FORMATS = ["book"] * 12 + ["ebook"] * 3 + ["audiobook"] * 2 + ["talking_book", "large_print", "music", "film"]
LANGUAGES = ["swe"] * 14 + ["eng"] * 4 + ["ara", "fin", "per", "som", "ger", "fre"]
AUDIENCES = ["adult"] * 5 + ["juvenile"] * 3 + ["young_adult"]
FACETS5 = ("library", "format", "language", "year", "subject")
REQUESTS = 100_000  # per request set; each phase uses half of one, more than it gets through


def vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Title words, author names, subjects; from the sample generator when it is there."""
    try:
        from sample import vocabulary as v

        nouns = [w for w in v.SWEDISH_NOUNS if isinstance(w, str)]
        compounds = [p + n.lower() for p in v.SWEDISH_PREFIXES for n in nouns[:80]]
        words = nouns + list(v.ENGLISH_NOUNS) + compounds
        names = [
            f"{last}, {first}" for last in v.SWEDISH_LAST + v.ENGLISH_LAST for first in v.SWEDISH_FIRST[:30]
        ]
        subjects = [t for t in v.NONFICTION_TOPICS if isinstance(t, str)] + nouns[:60]
    except (ImportError, AttributeError):
        base = [
            "hund",
            "katt",
            "sjö",
            "skog",
            "natt",
            "dag",
            "hav",
            "ö",
            "stad",
            "by",
            "barn",
            "kärlek",
            "krig",
            "fred",
            "mord",
            "död",
            "liv",
        ]
        words = base + [f"{a}{b}" for a in base for b in base]
        names = [f"Efternamn{n}, Förnamn{n % 50}" for n in range(3000)]
        subjects = base
    # Make the term dictionary realistically large (names, places, rare words).
    words += [f"{w}{suffix}" for w in words[:400] for suffix in ("en", "arna", "ens", "ar", "et", "or")]
    return words, names, subjects


def generate(n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    from catalog.search.documents import HoldingSummary, cluster_document

    rng = random.Random(seed)
    words, names, subjects = vocabulary()
    codes = [code for code, _, _ in LIBRARIES]
    municipality = {code: m for code, _, m in LIBRARIES}
    for pk in range(1, n + 1):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5))).capitalize()
        held = rng.sample(codes, min(len(codes), int(rng.paretovariate(1.2))))
        data = {
            "title": title,
            "subtitle": " ".join(rng.choice(words) for _ in range(rng.randint(0, 3))),
            "authors": [{"name": rng.choice(names), "role": "author"} for _ in range(rng.randint(1, 2))],
            "year": rng.randint(1900, 2026) if rng.random() > 0.03 else None,
            "formats": [rng.choice(FORMATS)],
            "languages": [rng.choice(LANGUAGES)],
            "isbns": [f"978{rng.randint(0, 10**10 - 1):010d}"],
            "subjects": [{"term": rng.choice(subjects)} for _ in range(rng.randint(0, 3))],
            "audience": [rng.choice(AUDIENCES)],
            "summary": " ".join(rng.choice(words) for _ in range(rng.randint(0, 25))),
            "publisher": rng.choice(
                ["Bonnier", "Norstedts", "Rabén & Sjögren", "Natur & Kultur", "Ordfront"]
            ),
        }
        summary = HoldingSummary(
            libraries=set(held),
            municipalities={municipality[c] for c in held},
            available_at={c for c in held if rng.random() < 0.6},
            copies=len(held),
        )
        # Most titles have a work, shared by two clusters (no draw from rng: the corpus stays as it was).
        yield cluster_document(pk, data, summary, (pk + 1) // 2 if pk % 7 else None)


def requests(
    n: int,
    seed: int = 2,
    vocab: tuple[list[str], list[str]] | None = None,
    library_codes: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Realistic request mix: 1-2 words (some prefixes, some empty), 5 facets, one filter.
    ``vocab``: (title words, "Surname, Forename" names), by default the generated corpus's;
    ``library_codes``: the libraries a filter may name (the corpus's 26 by default)."""
    rng = random.Random(seed)
    words, names = vocab or vocabulary()[:2]
    codes = library_codes or [code for code, _, _ in LIBRARIES]
    out = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.55:
            q = " ".join(rng.choice(words) for _ in range(rng.randint(1, 2)))
        elif kind < 0.75:
            q = rng.choice(names).split(",")[0]
        elif kind < 0.9:
            q = rng.choice(words)[:4]  # typing, prefix
        else:
            q = ""
        flt = rng.choice([("format", "book"), ("language", "swe"), ("library", rng.choice(codes))])
        out.append({"q": q, "facet": list(FACETS5), flt[0]: flt[1]})
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_clients(
    call: Callable[[dict[str, Any]], bool], reqs: list[dict[str, Any]], clients: int, seconds: float
) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> None:
        i = offset
        local: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                ok = call(reqs[i % len(reqs)])
            except Exception:  # counted, the benchmark goes on
                ok = False
            local.append(time.perf_counter() - started)
            bad += 0 if ok else 1
            i += clients
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {
        "n": len(latencies),
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 95) * 1000,
        "per_s": len(latencies) / elapsed,
        "errors": errors[0],
        "repeated": max(0, len(latencies) - len(reqs)),  # requests that came round a second time
    }


def show(label: str, stats: dict[str, float]) -> None:
    print(
        f"{label:<34} n={stats['n']:>6.0f}  median {stats['median_ms']:7.2f} ms"
        f"  p95 {stats['p95_ms']:7.2f} ms"
        f"  {stats['per_s']:7.1f}/s  errors {stats['errors']:.0f}",
        flush=True,
    )
    if stats["repeated"]:  # their counts and pages were kept: the figures flatter the engine
        print(f"    WARNING: {stats['repeated']:.0f} requests came round a second time", flush=True)


def build(index_dir: Path, docs: int) -> None:
    from catalog.search.backends.tantivy import TantivyBackend

    backend = TantivyBackend(index_dir)
    generating = [0.0]

    def timed(source: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        while True:
            started = time.perf_counter()
            document = next(source, None)
            generating[0] += time.perf_counter() - started
            if document is None:
                return
            yield document

    started = time.perf_counter()
    written = backend.rebuild(timed(generate(docs)))
    seconds = time.perf_counter() - started
    indexing = seconds - generating[0]
    print(
        f"build: {written} docs in {seconds:.1f} s = {written / seconds:,.0f} docs/s with generation; "
        f"indexing alone {indexing:.1f} s = {written / indexing:,.0f} docs/s; "
        f"{backend._searcher().num_segments} segment(s)",
        flush=True,
    )


def bare(
    index_dir: Path, reqs: list[dict[str, Any]], seconds: float
) -> tuple[dict[str, float], dict[str, float]]:
    """The engine without the web: one client, then 16 threads; their figures."""
    from django.http import QueryDict

    from catalog.search.backends.tantivy import TantivyBackend
    from catalog.search.query import parse_search_params

    parsed = []
    for r in reqs:
        qd = QueryDict(mutable=True)
        for key, value in r.items():
            qd.setlist(key, value if isinstance(value, list) else [value])
        parsed.append(parse_search_params(qd))
    by_id = {id(r): p for r, p in zip(reqs, parsed, strict=True)}

    def phase(label: str, part: list[dict[str, Any]], clients: int) -> dict[str, float]:
        """A fresh backend per phase: nothing counted or kept in one phase serves the next; the
        share of result pages and facet counts found in memory is the phase's own repeats."""
        backend = TantivyBackend(index_dir)
        cpu = time.process_time()
        stats = run_clients(lambda r: backend.search(by_id[id(r)]) is not None, part, clients, seconds)
        stats["cpu_ms"] = (time.process_time() - cpu) / stats["n"] * 1000
        show(label, stats)
        kept = [
            (name, c.found / max(1, c.found + c.missed))
            for name, c in (("pages", backend._pages), ("facet groups", backend._counts))
        ]
        print("    found in memory: " + ", ".join(f"{name} {share:.0%}" for name, share in kept), flush=True)
        return stats

    half = len(reqs) // 2  # each phase its own requests
    single = phase("bare engine, 1 client", reqs[:half], 1)
    # CPU time per search does not depend on how busy the machine is: 2 idle cores could serve
    # about 2000 / cpu_ms searches per second.
    cpu_ms = single["cpu_ms"]
    print(f"    CPU per search: {cpu_ms:.2f} ms (≈ {2000 / cpu_ms:.0f}/s on 2 idle cores)", flush=True)
    multi = phase("bare engine, 16 threads", reqs[half:], 16)
    return single, multi


@contextmanager
def serving(data_dir: Path, index_dir: Path, port: int) -> Iterator[None]:
    """gunicorn on 127.0.0.1:port, started fresh (nothing counted or kept yet) and stopped after."""
    env = {
        **os.environ,
        "SAMSOK_DATA_DIR": str(data_dir),
        "SEARCH_INDEX_DIR": str(index_dir),
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    setup = (
        "import django; django.setup()\n"
        "from catalog.models import Library\n"
        f"for code, name, m in {LIBRARIES!r}:\n"
        "    Library.objects.get_or_create(code=code, defaults={'name': name, 'municipality': m})\n"
    )
    subprocess.run([python, "-c", setup], cwd=ROOT, env=env, check=True)
    with gunicorn(env, port):
        yield


@contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`gunicorn portal.wsgi` on 127.0.0.1:port with this environment, once it answers; stopped
    after. Workers as BENCH_GUNICORN says (default `-w 2 -k gthread --threads 8`)."""
    python = sys.executable
    binary = Path(python).parent / "gunicorn"
    workers = os.environ.get("BENCH_GUNICORN", "-w 2 -k gthread --threads 8").split()
    cmd = [str(binary), "portal.wsgi", "-b", f"127.0.0.1:{port}", *workers]
    server = subprocess.Popen([*cmd, "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/v1/libraries")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer")
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def status(pid: int | str, field: str) -> float:
    """A /proc/<pid>/status figure in MB (VmRSS, VmHWM, RssAnon …); 0 if the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(entry))
    return found


def client(port: int) -> Callable[[str], bool]:
    """GET a path over one keep-alive connection per thread; True for a 200."""
    local = threading.local()

    def get(path: str) -> bool:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            local.conn = None
            conn.close()
            return False
        return response.status == 200

    return get


def api(
    data_dir: Path, index_dir: Path, port: int, reqs: list[dict[str, Any]], seconds: float, rounds: int
) -> dict[str, float]:
    """Each phase against a freshly started server: no phase finds counts another one made.
    The 16-client phase runs `rounds` times (the machine's speed drifts; the minimum is what
    the target must survive)."""
    get = client(port)

    def search(r: dict[str, Any]) -> bool:
        return get("/api/v1/search?" + urlencode(r, doseq=True))

    half = len(reqs) // 2
    with serving(data_dir, index_dir, port):
        single = run_clients(search, reqs[:half], 1, seconds)
        show("API /api/v1/search, 1 client", single)
    rates = []
    for n in range(1, rounds + 1):
        with serving(data_dir, index_dir, port):
            stats = run_clients(search, reqs[half:], 16, seconds)
            show("API /api/v1/search, 16 clients" + (f" #{n}" if rounds > 1 else ""), stats)
            rates.append(stats["per_s"])
            workers = [pid for server in children(os.getpid()) for pid in children(server)]
            print(
                "    web workers: "
                + "; ".join(
                    f"peak RSS {status(pid, 'VmHWM'):,.0f} MB, now {status(pid, 'RssAnon'):,.0f} MB own "
                    f"+ {status(pid, 'RssFile'):,.0f} MB mapped files (the index)"
                    for pid in workers
                ),
                flush=True,
            )
    if rounds > 1:
        print(
            f"    16 clients over {rounds} rounds: min {min(rates):.1f}/s, median "
            f"{statistics.median(rates):.1f}/s, max {max(rates):.1f}/s",
            flush=True,
        )
    with serving(data_dir, index_dir, port):
        prefixes = [{"q": r["q"][:3]} for r in reqs if len(r["q"]) >= 3]
        suggest = run_clients(lambda r: get("/api/v1/suggest?" + urlencode(r)), prefixes, 1, seconds / 2)
        show("API /api/v1/suggest, 1 client", suggest)
    return single


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/samsok-bench"))
    parser.add_argument("--skip-build", action="store_true", help="reuse the index already in --dir")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=1, help="times to run the 16-client API phase")
    args = parser.parse_args()

    import django

    django.setup()
    index_dir = args.dir / "index"
    if not args.skip_build:
        shutil.rmtree(args.dir, ignore_errors=True)
        args.dir.mkdir(parents=True)
        build(index_dir, args.docs)
    # Separate request sets for the bare engine and the API (seeded, so runs are comparable), each
    # longer than a phase gets through: no request comes round a second time to find its counts
    # kept (only the mix's own repeats, such as browsing a facet without words, may).
    bare_single, _ = bare(index_dir, requests(REQUESTS, seed=2), args.seconds)
    api_reqs = requests(REQUESTS, seed=3)
    api_single = api(args.dir / "data", index_dir, args.port, api_reqs, args.seconds, args.rounds)
    ratio = api_single["median_ms"] / bare_single["median_ms"]
    print(f"API overhead (median, 1 client): {ratio:.2f}x the bare engine")
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
