"""tantivy readers in other processes: a long-lived process that kept results must not answer
from the version before another process's commit."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.search.backends.tantivy import TantivyBackend
from tests.search.corpus import CORPUS

pytestmark = pytest.mark.sqlite

# A reader process like a gunicorn worker: one backend for its whole life, one search per line
# read, answering with the ids it found.
READER = """
import sys
from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy import TantivyBackend

backend = TantivyBackend(sys.argv[1])
for line in sys.stdin:
    result = backend.search(SearchRequest(q=line.strip()))
    print(result.total, ",".join(sorted(hit["id"] for hit in result.hits)), flush=True)
"""


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        [sys.executable, "-c", READER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait(timeout=30)


def ask(process: subprocess.Popen[str], q: str) -> tuple[int, list[str]]:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(q + "\n")
    process.stdin.flush()
    total, ids = process.stdout.readline().split(" ")
    return int(total), [found for found in ids.strip().split(",") if found]


def test_a_title_deleted_in_another_process_is_gone_from_the_next_search(
    tmp_path: Path, reader: subprocess.Popen[str]
) -> None:
    writer = TantivyBackend(tmp_path)
    writer.index(CORPUS)
    assert ask(reader, "pippi") == (1, ["7"])
    assert ask(reader, "pippi") == (1, ["7"])  # kept by the reader under the version it reads
    writer.delete(["7"])
    assert ask(reader, "pippi") == (0, [])
    writer.index([doc for doc in CORPUS if doc["id"] == "7"])
    assert ask(reader, "pippi") == (1, ["7"])
