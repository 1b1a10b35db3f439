"""Page weight and server time of the patron pages on the demo county, against its targets.

Run after `make demo-data` (or against any data dir with an index):
    DEBUG=1 .venv/bin/python scripts/bench_pages.py [--rounds 30] [--data-dir var]

Requests go through Django's full handler stack in-process (middleware, views, templates,
database, search index), so "server time" excludes only the network. Prints per page the bytes
sent (HTML only: the results page target is < 100 KB, excluding covers) and p50/p95/max time
(target p95 < 100 ms), plus `uptime` load so the figures can be read against machine load.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ["SAMSOK_DATA_DIR"] = data_dir
    import django

    django.setup()


def pages() -> dict[str, str]:
    from catalog.models import Cluster, Library

    clusters = list(Cluster.objects.order_by("pk").values_list("pk", flat=True)[:2000:200])
    library = Library.objects.order_by("pk").first()
    if not clusters or library is None:
        sys.exit("no clusters: run `make demo-data` first (or pass --data-dir)")
    urls = {
        "start": "/",
        "results: all titles": "/sok/",
        "results: 'sverige'": "/sok/?q=sverige",
        "results: 'sjön' page 3": "/sok/?q=sj%C3%B6n&page=3",
        "results: facets format+language": "/sok/?format=book&language=swe&sort=year_desc",
        f"results: library {library.code} available": f"/sok/?library={library.code}&available=1",
        "results: no hits": "/sok/?q=qwxzvbnmkj",
        f"library page {library.code}": f"/bibliotek/{library.code}/",
        "statement": "/tillganglighet/",
    }
    urls.update({f"record {pk}": f"/post/{pk}/" for pk in clusters[:5]})
    return urls


def measure(url: str, rounds: int, home: str | None) -> tuple[int, list[float], int]:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if home:
        client.cookies["samsok_bibliotek"] = home
    client.get(url)  # warm caches and the index reader
    times = []
    response = None
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    assert response is not None
    return len(response.content), times, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--data-dir", default=os.environ.get("SAMSOK_DATA_DIR", str(ROOT / "var")))
    args = parser.parse_args()
    setup(args.data_dir)
    from catalog.models import Cluster, Library

    home = Library.objects.order_by("pk").values_list("code", flat=True).first()
    print(f"clusters: {Cluster.objects.count()}, rounds: {args.rounds}, my library cookie: {home}")
    print(f"{'page':45} {'status':>6} {'KB':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, url in pages().items():
        size, times, status = measure(url, args.rounds, home)
        p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 2 else times[0]
        print(
            f"{name[:45]:45} {status:>6} {size / 1024:7.1f} {statistics.median(times):8.1f} "
            f"{p95:8.1f} {max(times):8.1f}"
        )
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip())


if __name__ == "__main__":
    main()
