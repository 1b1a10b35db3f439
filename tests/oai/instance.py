"""Instance A: a second Samsök of its own (SQLite in its own data folder, its own process),
filled by its own harvests and serving /oai over HTTP on 127.0.0.1."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE_SIZE = 5  # A's /oai pages are small, so every harvest of it follows resumption tokens
# Django's development server in a process of its own, /oai's page size set small.
SERVE = (
    "import sys, django; django.setup(); import oai.verbs; oai.verbs.PAGE_SIZE = int(sys.argv[2]); "
    "from django.core.management import call_command; "
    "call_command('runserver', sys.argv[1], use_reloader=False, use_threading=True)"
)

Holdings = frozenset[tuple[str, str, str]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    def __init__(self, data_dir: Path, files: Path) -> None:
        self.data_dir = data_dir
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST"}
        }
        self.env.update(
            SAMSOK_DATA_DIR=str(data_dir), DEBUG="1", HARVEST_FILE_ROOT=str(files), LOG_LEVEL="WARNING"
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self) -> None:
        command = [sys.executable, "-c", SERVE, f"127.0.0.1:{self.port}", str(PAGE_SIZE)]
        self.server = subprocess.Popen(command, cwd=REPO, env=self.env, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{self.url}/oai?verb=Identify", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("instance A did not start")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
            self.server = None

    def get(self, query: str) -> bytes:
        with urllib.request.urlopen(f"{self.url}/oai?{query}", timeout=30) as answer:
            return answer.read()  # type: ignore[no-any-return]

    def titles(self) -> Counter[tuple[str, Holdings]]:
        """Every title A holds, with where it stands: read from A's own database file."""
        with sqlite3.connect(self.data_dir / "samsok.sqlite3") as db:
            clusters = dict(db.execute("SELECT id, json_extract(data, '$.title') FROM catalog_cluster"))
            rows = db.execute(
                "SELECT r.cluster_id, l.code, h.shelf, h.call_number FROM catalog_holding h "
                "JOIN catalog_sourcerecord r ON r.id = h.record_id "
                "JOIN catalog_library l ON l.id = h.library_id "
                "WHERE r.deleted = 0 AND r.cluster_id IS NOT NULL"
            )
            held: dict[int, set[tuple[str, str, str]]] = {pk: set() for pk in clusters}
            for cluster_id, code, shelf, call_number in rows:
                held[cluster_id].add((code, shelf, call_number))
        return Counter((clusters[pk], frozenset(places)) for pk, places in held.items())

    def headings(self) -> dict[int, str]:
        """Each title's heading (title : subtitle), by id."""
        query = (
            "SELECT id, json_extract(data, '$.title'), json_extract(data, '$.subtitle') FROM catalog_cluster"
        )
        with sqlite3.connect(self.data_dir / "samsok.sqlite3") as db:
            return {pk: " : ".join(part for part in parts if part) for pk, *parts in db.execute(query)}
