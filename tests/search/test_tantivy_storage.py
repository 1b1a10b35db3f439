"""tantivy storage rules: one writer at a time across instances, readers see commits at once,
rebuild swaps generations without readers noticing, an index from an older schema is replaced."""

import threading
from pathlib import Path

import pytest

from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy import TantivyBackend
from tests.search.corpus import CORPUS, doc

pytestmark = pytest.mark.sqlite


def test_reader_in_another_instance_sees_a_commit_at_once(tmp_path: Path) -> None:
    writer, reader = TantivyBackend(tmp_path), TantivyBackend(tmp_path)
    assert reader.search(SearchRequest(q="pippi")).total == 0
    writer.index(CORPUS)
    assert reader.search(SearchRequest(q="pippi")).total == 1
    writer.delete(["7"])
    assert reader.get("7") is None


def test_concurrent_writers_take_turns(tmp_path: Path) -> None:
    """Two instances (as two processes would) write at once: the flock serializes them."""
    first, second = TantivyBackend(tmp_path), TantivyBackend(tmp_path)
    errors: list[BaseException] = []

    def write(backend: TantivyBackend, start: int) -> None:
        try:
            for n in range(start, start + 3):
                backend.index([doc(n, f"Titel {n}")])
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(b, s)) for b, s in ((first, 100), (second, 200))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert TantivyBackend(tmp_path).count() == 6


def test_rebuild_swaps_generation_for_open_readers(tmp_path: Path) -> None:
    reader = TantivyBackend(tmp_path)
    TantivyBackend(tmp_path).rebuild(CORPUS[:5])
    assert reader.count() == 5
    TantivyBackend(tmp_path).rebuild(CORPUS)
    assert reader.count() == len(CORPUS)
    TantivyBackend(tmp_path).rebuild(CORPUS[:2])
    assert reader.count() == 2
    assert len(list(tmp_path.glob("gen-*"))) == 2  # the live one and the one before


def test_index_from_an_older_schema_is_replaced_by_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("gen-0-1")
    backend = TantivyBackend(tmp_path)
    assert backend.count() == 0 and backend.ping()
    backend.index(CORPUS[:1])
    assert backend.count() == 1


def test_ticking_one_library_after_another_counts_the_library_facet_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library facet under a library selection is counted without it: the same count for
    (Nyks) and (Nyks, Ty), so the second tick reuses it; a new commit counts again."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    counted: list[str] = []
    real = backend._own_count
    monkeypatch.setattr(backend, "_own_count", lambda *args: counted.append(args[-1]) or real(*args))
    first = backend.search(SearchRequest(filters={"library": ("Nyks",)}, facets=("library", "format")))
    second = backend.search(SearchRequest(filters={"library": ("Nyks", "Ty")}, facets=("library", "format")))
    assert counted == ["library"]
    assert first.facets["library"] == second.facets["library"]
    assert second.total > first.total  # the hits themselves are not cached
    backend.index([doc(999, "Ny bok", libraries=("Ty",))])
    backend.search(SearchRequest(filters={"library": ("Nyks", "Ty")}, facets=("library",)))
    assert counted == ["library", "library"]
