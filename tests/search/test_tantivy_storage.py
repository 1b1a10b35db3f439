"""tantivy storage rules: one writer at a time across instances, readers see commits at once,
rebuild swaps generations without readers noticing, an index from an older schema is replaced."""

import gc
import threading
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy import TantivyBackend
from catalog.search.backends.tantivy_schema import BOOST_GRID, popularity_weight
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


class CountingSearcher:
    """A tantivy searcher that counts its aggregation passes."""

    def __init__(self, searcher: Any, passes: list[dict[str, Any]]) -> None:
        self.searcher, self.passes = searcher, passes

    def aggregate(self, query: Any, aggregations: dict[str, Any]) -> Any:
        self.passes.append(aggregations)
        return self.searcher.aggregate(query, aggregations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.searcher, name)


def test_every_facet_is_counted_in_one_pass_and_cached_until_a_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Selections in two facets: each is counted without its own selection, the rest under both,
    all in one aggregation over the words' matches; the next page reuses the counts."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    passes: list[dict[str, Any]] = []
    real = backend._searcher
    monkeypatch.setattr(backend, "_searcher", lambda: CountingSearcher(real(), passes))
    request = SearchRequest(
        filters={"library": ("Nyks",), "format": ("book",)}, facets=("library", "format", "language", "year")
    )
    result = backend.search(request)
    assert len(passes) == 1
    assert len(passes[0]) == 3  # without the library, without the format, under both
    books = [d for d in CORPUS if "book" in d["formats"]]
    at_nyks = [d for d in CORPUS if "Nyks" in d["libraries"]]
    assert _counts(result, "library") == Counter(code for d in books for code in d["libraries"])
    assert _counts(result, "format") == Counter(f for d in at_nyks for f in d["formats"])
    assert result.total == len([d for d in books if d in at_nyks]) > 0
    assert sum(_counts(result, "language").values()) == result.total
    backend.search(SearchRequest(**{**request.__dict__, "page": 2, "page_size": 5}))
    assert len(passes) == 1
    backend.index([doc(999, "Ny bok")])
    assert backend.search(request).total == result.total + 1
    assert len(passes) == 2


def _counts(result: Any, name: str) -> Counter[str]:
    return Counter({value.value: value.count for value in result.facets[name]})


@pytest.mark.parametrize("value", ['Barn "små" och stora', "C:\\mapp\\", "(a OR b) AND -c", "*"])
def test_any_facet_value_filters_as_itself(tmp_path: Path, value: str) -> None:
    """Filter values travel inside a tantivy query string: quotes, backslashes and query syntax
    in a value are only ever text."""
    backend = TantivyBackend(tmp_path)
    backend.index([doc(1, "Med", subjects=(value,)), doc(2, "Utan", subjects=("Annat",))])
    result = backend.search(SearchRequest(filters={"subject": (value,)}, facets=("subject", "format")))
    assert [hit["id"] for hit in result.hits] == ["1"]
    assert _counts(result, "subject") == {value: 1, "Annat": 1}
    assert _counts(result, "format") == {"book": 1}


def test_counts_in_use_stay_cached_while_one_off_searches_come_and_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Least recently used goes first: a facet page browsed again and again keeps its counts
    while a stream of other searches passes through a full cache."""
    monkeypatch.setattr("catalog.search.backends.tantivy.FACET_CACHE_SIZE", 3)
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    passes: list[dict[str, Any]] = []
    real = backend._searcher
    monkeypatch.setattr(backend, "_searcher", lambda: CountingSearcher(real(), passes))
    browse = SearchRequest(filters={"format": ("book",)}, facets=("library",))
    for word in ["pippi", "sjön", "hund", "katt", "björk", "zorro"]:
        backend.search(browse)
        backend.search(SearchRequest(q=word, facets=("library",)))
    assert len(passes) == 1 + 6  # the browse page counted once, each word once
    backend.search(SearchRequest(q="pippi", facets=("library",)))
    assert len(passes) == 8  # pushed out by the later words


def test_a_facet_group_counted_once_serves_every_search_that_shares_its_filters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Browsing by one library after another: the library facet (counted without the library
    selection) is the same every time and counted once; the rest follows each selection."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    passes: list[dict[str, Any]] = []
    real = backend._searcher
    monkeypatch.setattr(backend, "_searcher", lambda: CountingSearcher(real(), passes))
    libraries = sorted({code for d in CORPUS for code in d["libraries"]})
    results = {}
    for code in libraries:
        request = SearchRequest(filters={"library": (code,)}, facets=("library", "format"))
        results[code] = backend.search(request)
    # The library facet, at the top of a pass (its own selection is the only filter) or under one.
    library_groups = [
        p for p in passes if "library" in p or any("library" in agg.get("aggs", {}) for agg in p.values())
    ]
    assert len(library_groups) == 1 and len(passes) == len(libraries)  # one pass per library
    everywhere = Counter(code for d in CORPUS for code in d["libraries"])
    for code, result in results.items():
        assert _counts(result, "library") == everywhere
        held = [d for d in CORPUS if code in d["libraries"]]
        assert _counts(result, "format") == Counter(f for d in held for f in d["formats"])
        assert result.total == len(held)


def test_kept_counts_are_out_of_the_garbage_collectors_sight(tmp_path: Path) -> None:
    """Thousands of kept counts must not lengthen every full collection (which holds the
    interpreter lock): they are kept as plain tuples, which the collector stops tracking, and
    come back as the same facet values."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    request = SearchRequest(q="lindgren", filters={"library": ("Nyks",)}, facets=("library", "format"))
    first = backend.search(request)
    for _ in range(5):  # a collection stops tracking one more level of the nested tuples
        gc.collect()
    kept = list(backend._counts._entries.values())
    assert kept and not any(gc.is_tracked(entry) for entry in kept)
    assert backend.search(request).facets == first.facets and first.facets["library"]


def test_a_page_of_hits_is_kept_until_the_index_changes(tmp_path: Path) -> None:
    """Back to the result list: the same page comes from memory, not from a second search; a
    commit makes every kept page stale at once."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    request = SearchRequest(q="lindgren", page_size=2)
    first = backend.search(request)
    searches: list[Any] = []
    real = backend._page
    backend._page = lambda *args: searches.append(args) or real(*args)  # type: ignore[method-assign]
    again = backend.search(request)
    assert again.hits == first.hits and again.total == first.total and searches == []
    assert backend.search(SearchRequest(q="  lindgren", page_size=2)).hits == first.hits  # same query
    assert searches == []
    assert backend.search(SearchRequest(q="lindgren", page_size=2, page=2)).hits != first.hits
    assert len(searches) == 1
    backend.index([doc(998, "Lindgren", ("Lindgren, Astrid",), libraries=("Nyks", "Ty", "Na"))])
    after = backend.search(request)
    assert len(searches) == 2 and "998" in [hit["id"] for hit in after.hits]


@pytest.mark.parametrize(
    "options",
    [
        {"q": "lindgren"},
        {"filters": {"format": ("film", "ebook")}},
        {"q": "fågelboken", "filters": {"library": ("Nyks", "Ty"), "language": ("swe",)}},
        {"year_from": 1900, "year_to": 2000, "available": True},
        {"filters": {"library": ("Na",)}, "available": True},
    ],
)
@pytest.mark.parametrize("broad_filter", [0, 10**9])
def test_the_total_counted_with_the_facets_is_the_hits_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: dict[str, Any], broad_filter: int
) -> None:
    """With facets the total comes from their aggregation (the hits skip their own count),
    whether every filter is a filter aggregation or, for broad filters, a pass of its own; and
    the facets are the same either way."""
    backend = TantivyBackend(tmp_path)
    backend.index(CORPUS)
    alone = backend.search(SearchRequest(**options))
    request = SearchRequest(**options, facets=("library", "format", "language", "year"))
    monkeypatch.setattr("catalog.search.backends.tantivy.BROAD_FILTER", 10**9)
    single_pass = TantivyBackend(tmp_path).search(request)
    monkeypatch.setattr("catalog.search.backends.tantivy.BROAD_FILTER", broad_filter)
    backend, passes = TantivyBackend(tmp_path), []
    real = backend._searcher
    monkeypatch.setattr(backend, "_searcher", lambda: CountingSearcher(real(), passes))
    faceted = backend.search(request)
    filtered = bool(request.filters or request.available or request.year_from)
    if not request.available:  # (under availability the library facet walks terms instead)
        assert len(passes) == (2 if broad_filter == 0 and filtered else 1)
    assert faceted.total == alone.total > 0
    assert [hit["id"] for hit in faceted.hits] == [hit["id"] for hit in alone.hits]
    assert faceted.facets == single_pass.facets


def test_popularity_weights_lie_on_a_grid_and_keep_their_order() -> None:
    """The boost fast field holds multiples of 1/BOOST_GRID (compact, quick to read for every
    match), yet every library more and every year newer (within recency's 50 years) still
    weighs more."""
    today = date(2026, 11, 30)
    weights = {(n, y): popularity_weight(n, y, today) for n in range(0, 27) for y in range(1976, 2027)}
    assert all((w * BOOST_GRID).is_integer() for w in weights.values())
    assert all(weights[n, y] < weights[n, y + 1] for n in range(27) for y in range(1977, 2026))
    assert all(weights[n, y] < weights[n + 1, y] for n in range(26) for y in range(1976, 2027))
