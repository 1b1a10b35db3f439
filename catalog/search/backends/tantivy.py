"""The embedded search backend: a tantivy index on local disk (settings.SEARCH["PATH"]).

Layout under PATH: `gen-<schema>-<stamp>/` index generations, `CURRENT` naming the live one,
`write.lock`. tantivy allows one writer per index across processes, so every write holds an
exclusive flock on `write.lock` (in production all writes also go through the single-concurrency
`samsok-index` Celery queue). `rebuild` writes a new generation and swaps `CURRENT` atomically,
so readers never see a half-built index. Readers check CURRENT and meta.json on every search
and reload when either changed, so a commit by another process is visible at once.
"""

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson
import tantivy
from tantivy import Order, Query

from catalog.fields import FACETS_BY_NAME, YEAR_RANGES, year_range_value
from catalog.search.backends.base import (
    FacetValue,
    SearchBackend,
    SearchRequest,
    SearchResult,
    SearchUnavailable,
)
from catalog.search.backends.tantivy_query import QueryBuilder
from catalog.search.backends.tantivy_rebuild import plan, write_parts
from catalog.search.backends.tantivy_schema import (
    SCHEMA_VERSION,
    SUGGEST_GRAM,
    analyzers,
    build_schema,
    suggest_key,
    suggestion_texts,
    to_tantivy,
)
from catalog.search.spelling import MAX_CANDIDATES, did_you_mean
from catalog.search.syntax import parse_query

SORT_FIELDS = {"year_desc": ("year_desc", Order.Desc), "year_asc": ("year_asc", Order.Asc)}
SORT_FIELDS["title"] = ("title_sort", Order.Asc)
WRITER_HEAP = 256_000_000  # changes between rebuilds: small, quickly written segments
AVAILABLE_AT = "available_at"
# Kept until the index changes, least recently used dropped first: facet counts per group of facets
# under the same filters (see TantivyBackend._facets; at most about 13 KB each, so at most about
# 50 MB per process), and result pages (stored bytes, about 10 KB each at 20 hits: 20 MB).
FACET_CACHE_SIZE = 4096
PAGE_CACHE_SIZE = 2048
Counted = tuple[int | None, dict[str, list[FacetValue]]]  # (total if counted, facets)
# Counts are kept as plain tuples of strings and numbers, which the garbage collector stops
# tracking: kept as FacetValues, lists and dicts, a full cache added hundreds of thousands of
# objects to every full collection (some 60 ms more, with the interpreter lock held).
Kept = tuple[int | None, tuple[tuple[str, tuple[tuple[str, int, str], ...]], ...]]
Basis = tuple[str | None, int, str]  # what kept results rest on: index generation, commit, parsed query
T = TypeVar("T")
# Postings above which a filter is cheaper to intersect in a pass of its own than to read whole
# in a filter aggregation (measured at a million titles; see _facets).
BROAD_FILTER = 200_000
FRESH_NS = 1_000_000_000  # a meta.json this young is read, not only stat-ed (see _follow_commits)
_TOTAL = {"value_count": {"field": "year_desc"}}  # every document has year_desc (0 = unknown)


class TantivyBackend(SearchBackend):
    """tantivy behind the SearchBackend contract; one instance per process (get_backend)."""

    def __init__(self, path: str | Path, rebuild_memory_mb: int = 2000) -> None:
        self.path = Path(path)
        self.schema = build_schema()
        self.analyzers = analyzers()
        self.builder = QueryBuilder(self.schema, self.analyzers)
        self.rebuild_memory = rebuild_memory_mb * 1_000_000
        self._lock = threading.RLock()
        self._index: tantivy.Index | None = None
        self._generation: str | None = None
        self._meta_stamp: tuple[int, int, int] | None = None  # meta.json: inode, size, mtime
        self._opstamp = -1  # the commit this process reads
        self._seen = threading.local()  # .version: (generation, commit) of the thread's last check
        self._lock_depth = 0
        self._counts: Recent[Kept] = Recent(FACET_CACHE_SIZE)
        self._pages: Recent[tuple[int, tuple[bytes, ...]]] = Recent(PAGE_CACHE_SIZE)

    # --- storage ------------------------------------------------------------------------------
    def _open(self, directory: Path) -> tantivy.Index:
        directory.mkdir(parents=True, exist_ok=True)
        index = tantivy.Index(self.schema, path=str(directory), reuse=True)
        for name, analyzer in self.analyzers.items():
            index.register_tokenizer(name, analyzer)
        return index

    def _current_name(self) -> str | None:
        try:
            name = (self.path / "CURRENT").read_text().strip()
        except FileNotFoundError:
            return None
        return name if name.startswith(f"gen-{SCHEMA_VERSION}-") else None

    def _new_generation(self) -> str:
        return f"gen-{SCHEMA_VERSION}-{time.time_ns()}"

    def _publish(self, name: str) -> None:
        tmp = self.path / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(name)
        os.replace(tmp, self.path / "CURRENT")

    def _live_index(self) -> tantivy.Index:
        """The index readers should use now, reopened or reloaded if another process changed it."""
        name = self._current_name()
        if name is None:
            with self._write_lock():
                name = self._current_name()
                if name is None:  # first use, or an index from an older schema: start empty
                    name = self._new_generation()
                    self._open(self.path / name)
                    self._publish(name)
        if name != self._generation or self._index is None:
            with self._lock:
                self._index, self._generation = self._open(self.path / name), name
                self._meta_stamp, self._opstamp = None, -1
        self._follow_commits(self.path / name / "meta.json")
        # Read after the reload (a commit is recorded only once reloaded) and before the caller
        # takes its searcher, per thread: another thread may record a newer commit meanwhile.
        self._seen.version = (self._generation, self._opstamp)
        return self._index

    def _follow_commits(self, meta: Path) -> None:
        """Reload when another writer committed. A stat of meta.json is enough most of the time,
        but file times are coarse (a few ms): a commit right after another can leave the stat
        as it was, so a meta.json younger than a second is read for its commit number."""
        try:
            stat = meta.stat()
        except FileNotFoundError:
            return
        stamp = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if stamp == self._meta_stamp and time.time_ns() - stat.st_mtime_ns > FRESH_NS:
            return
        opstamp = int(orjson.loads(meta.read_bytes()).get("opstamp", 0))
        if opstamp != self._opstamp:
            assert self._index is not None
            self._index.reload()
        self._meta_stamp, self._opstamp = stamp, opstamp

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Exclusive across threads (RLock) and processes (flock on PATH/write.lock)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with self._lock:
            if self._lock_depth:  # re-entered by this thread: the flock is already ours
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            with open(self.path / "write.lock", "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                self._lock_depth = 1
                try:
                    yield
                finally:
                    self._lock_depth = 0
                    fcntl.flock(handle, fcntl.LOCK_UN)

    # --- writing ------------------------------------------------------------------------------
    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str]) -> int:
        with self._write_lock():
            index = self._live_index()
            writer = index.writer(heap_size=WRITER_HEAP)
            written = 0
            for doc_id in delete_ids:
                writer.delete_documents_by_term("id", str(doc_id))
            for document in documents:
                writer.delete_documents_by_term("id", document["id"])
                writer.add_document(to_tantivy(document))
                written += 1
            writer.commit()
            writer.wait_merging_threads()
        self._live_index()
        return written

    def rebuild(self, documents: Iterable[dict[str, Any]], expected: int | None = None) -> int:
        """A new generation, written by one thread within the memory budget: as one segment when
        the budget holds ``expected`` titles (about 1 KB each), else in 8, 64 … equal parts that
        tantivy merges into one segment (``tantivy_rebuild``). Without ``expected``, or if the
        titles are bigger than planned, it keeps the segments tantivy leaves; never fails for
        want of memory."""
        with self._write_lock():
            name = self._new_generation()
            index = self._open(self.path / name)
            written = write_parts(index, documents, plan(self.rebuild_memory, expected))
            previous = self._current_name()
            self._publish(name)
            self._drop_generations(keep={name, previous})
        self._live_index()
        return written

    def _drop_generations(self, keep: set[str | None]) -> None:
        # The previous generation stays one more round: another process may still be reading it.
        for child in self.path.glob("gen-*"):
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)

    # --- reading ------------------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            self._live_index().searcher()
        except (OSError, ValueError):
            return False
        return True

    def get(self, doc_id: str) -> dict[str, Any] | None:
        searcher = self._searcher()
        result = searcher.search(Query.term_query(self.schema, "id", str(doc_id)), 1, count=False)
        return _payload(searcher, result.hits[0][1]) if result.hits else None

    def count(self) -> int:
        return int(self._searcher().num_docs)

    def _searcher(self) -> tantivy.Searcher:
        try:
            return self._live_index().searcher()
        except (OSError, ValueError) as error:
            raise SearchUnavailable(str(error)) from error

    def search(self, request: SearchRequest) -> SearchResult:
        parsed = parse_query(request.q)
        if parsed.matches_nothing:
            return SearchResult(total=0, hits=[], facets={name: [] for name in request.facets})
        # Counts and pages are kept under the parsed query (spacing and AND/&& spellings share
        # them) and the index version this thread's searcher shows (see _live_index): a commit
        # this process has seen is never answered from before it, and results are never kept
        # under a version newer than the one they were counted on.
        searcher = self._searcher()
        basis = (*self._seen.version, repr(parsed))
        text = self.builder.text(parsed, searcher)
        query = self.builder.combine(text, self.builder.filters(request))
        # The facet aggregation counts the hits too, which spares the hits their own count.
        total, facets = self._facets(searcher, request, text, query, basis)
        scored = text is not None
        counted, hits = self._hits(searcher, query, request, basis, scored=scored, count=total is None)
        total = counted if total is None else total
        suggestion = None
        if total == 0 and parsed.terms():
            suggestion = did_you_mean(request.q, parsed, self._spelling_candidates, self._finds_something)
        return SearchResult(total=total, hits=hits, facets=facets, did_you_mean=suggestion)

    def _hits(
        self,
        searcher: tantivy.Searcher,
        query: Query,
        request: SearchRequest,
        basis: Basis,
        scored: bool,
        count: bool,
    ) -> tuple[int, list[dict[str, Any]]]:
        """One page of hits (and their count if asked), kept until the index changes: going back
        to a result list, or browsing a facet without words, finds the page ready. Kept as the
        stored bytes, so every caller gets hits of its own."""
        scope = (self.builder.filter_text(request), request.sort, request.page, request.page_size)
        key = (*basis, *scope, count)
        page = self._pages.get(key)
        if page is None:
            page = self._pages.put(key, self._page(searcher, query, request, scored, count))
        return page[0], [orjson.loads(payload) for payload in page[1]]

    def _page(
        self, searcher: tantivy.Searcher, query: Query, request: SearchRequest, scored: bool, count: bool
    ) -> tuple[int, tuple[bytes, ...]]:
        offset = (request.page - 1) * request.page_size
        options: dict[str, Any] = {"limit": request.page_size, "offset": offset, "count": count}
        if request.sort in SORT_FIELDS:
            options["order_by_field"], options["order"] = SORT_FIELDS[request.sort]
        elif scored:
            options["weight_by_field"] = "boost"
        else:  # browsing without words: every score is equal, so popularity alone orders
            options["order_by_field"], options["order"] = "boost", Order.Desc
        result = searcher.search(query, **options)
        payloads = tuple(_stored(searcher, address) for _, address in result.hits)
        return int(getattr(result, "count", 0) or 0), payloads

    def _facets(
        self,
        searcher: tantivy.Searcher,
        request: SearchRequest,
        text: Query | None,
        query: Query,
        basis: Basis,
    ) -> Counted:
        """Counts over the filtered result; a facet with a selection of its own is counted
        without that selection, so its other values stay visible (OR within a facet).

        One aggregation over the text's matches counts them all: each facet under a filter
        aggregation of every filter but its own selection (as the Elasticsearch body does), and
        facets under the same filters share one; facets under no filter (every facet of a search
        without one, or a facet whose own selection is the only filter) are counted over the
        matches as they are, since a filter aggregation of everything walks every document (0.3
        ms at two million titles). A pass per facet would evaluate the whole query again each
        time (about 1-3 ms each at a million titles). But a filter aggregation reads its
        filter's postings whole (format=book: about 1.3 ms), so when every filter together
        still matches many documents, the facets under all of them are counted in a second pass
        over the search itself, where the filters are an intersection (about 0.5 ms).

        Each group's counts are kept until the index changes: paging, another sort, or a
        selection that leaves a group's filters as they were reuses them (the library facet of a
        browse by library is the same whichever library is chosen).

        The total comes with them when a group has every filter (None otherwise)."""
        counted: dict[str, list[FacetValue]] = {}
        groups: dict[str, list[str]] = {}
        everything, total = self.builder.filter_text(request), None
        for name in [name for name in request.facets if name in FACETS_BY_NAME]:
            if request.facet_field(name) == AVAILABLE_AT:
                counted[name] = self._available_at(searcher, request, text, basis)
            else:
                groups.setdefault(self.builder.filter_text(request, exclude=name), []).append(name)
        for scope, names in list(groups.items()):
            if kept := self._counts.get((*basis, scope, tuple(sorted(names)))):
                known, facets = _unkeep(kept)
                counted.update(facets)
                total = known if scope == everything else total
                del groups[scope]
        found: dict[str, Counted] = {}  # scope -> counts of its group
        if everything in groups and everything != "*" and self._broad(searcher, request):
            names = groups.pop(everything)
            raw = searcher.aggregate(query, {"total": _TOTAL} | {name: _aggregation(name) for name in names})
            found[everything] = int(raw["total"]["value"]), _facet_values(names, raw)
        unfiltered = groups.pop("*", [])  # counted over the text's matches as they are
        aggregations = {name: _aggregation(name) for name in unfiltered}
        if everything == "*" and unfiltered:
            aggregations["total"] = _TOTAL
        aggregations |= {
            f"filter{n}": {"filter": scope, "aggs": {name: _aggregation(name) for name in names}}
            for n, (scope, names) in enumerate(groups.items())
        }
        if aggregations:
            raw = searcher.aggregate(text or Query.all_query(), aggregations)
            if unfiltered:
                count = int(raw["total"]["value"]) if "total" in raw else None
                found["*"] = count, _facet_values(unfiltered, raw)
            for n, scope in enumerate(groups):
                bucket = raw[f"filter{n}"]
                found[scope] = int(bucket["doc_count"]), _facet_values(groups[scope], bucket)
        for scope, (count, facets) in found.items():
            self._counts.put((*basis, scope, tuple(sorted(facets))), _keep(count, facets))
            counted.update(facets)
            total = count if scope == everything else total
        return total, {name: counted[name] for name in request.facets if name in counted}

    def _broad(self, searcher: tantivy.Searcher, request: SearchRequest) -> bool:
        """Whether the filters together may match more than BROAD_FILTER documents: the smallest
        facet selection's postings bound it (years and availability are not counted)."""
        sizes = [sum(searcher.doc_freq(name, v) for v in values) for name, values in request.filters.items()]
        return min(sizes, default=searcher.num_docs) > BROAD_FILTER

    def _available_at(
        self, searcher: tantivy.Searcher, request: SearchRequest, text: Query | None, basis: Basis
    ) -> list[FacetValue]:
        """Libraries with a copy in (available=1): an indexed field, not a fast one, so its term
        dictionary is walked under the rest of the search instead."""
        key = (*basis, self.builder.filter_text(request, exclude="library"), AVAILABLE_AT)
        if kept := self._counts.get(key):
            return _unkeep(kept)[1][AVAILABLE_AT]
        scope = self.builder.combine(text, self.builder.filters(request, exclude="library"))
        terms = searcher.terms_with_prefix(AVAILABLE_AT, "", filter_query=scope, limit=10_000)
        values = _sorted([FacetValue(term, int(count), term) for term, count in terms if count])
        values = values[: FACETS_BY_NAME["library"].size]
        self._counts.put(key, _keep(None, {AVAILABLE_AT: values}))
        return values

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles and names starting with `prefix` (diacritics folded), most-held titles first:
        one term lookup in the edge n-gram field, never a scan of the term dictionary."""
        key = suggest_key(prefix)[:100]
        if len(key) < 2:
            return []
        searcher = self._searcher()
        query = Query.term_query(self.schema, "suggest_prefix", key[:SUGGEST_GRAM])
        wanted = limit * (6 if len(key) > SUGGEST_GRAM else 2)
        result = searcher.search(query, wanted, count=False, order_by_field="boost", order=Order.Desc)
        found: list[str] = []
        for _, address in result.hits:
            document = _payload(searcher, address)
            for text in suggestion_texts(document):
                if text not in found and suggest_key(text).startswith(key):
                    found.append(text)
        return found[:limit]

    def _spelling_candidates(self, word: str) -> list[tuple[str, int]]:
        searcher = self._searcher()
        candidates: dict[str, int] = {}
        for field in ("title_exact", "author_exact"):
            for term, count in searcher.terms_with_prefix(field, word[:2], limit=MAX_CANDIDATES):
                candidates[term] = candidates.get(term, 0) + count
        return list(candidates.items())

    def _finds_something(self, q: str) -> bool:
        searcher = self._searcher()
        text = self.builder.text(parse_query(q), searcher)
        return text is not None and searcher.search(text, 1, count=False).hits != []


class Recent(Generic[T]):
    """A small thread-safe cache that drops the least recently used entry when full."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: dict[Hashable, T] = {}
        self._lock = threading.Lock()
        self.found = self.missed = 0  # how often get() found its key, and did not

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            found = self._entries.pop(key, None)
            if found is None:
                self.missed += 1
            else:
                self.found += 1
                self._entries[key] = found  # used now: last in line to be dropped
        return found

    def put(self, key: Hashable, value: T) -> T:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.pop(next(iter(self._entries)))
            self._entries[key] = value
        return value


def _stored(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> bytes:
    return bytes(searcher.doc(address).get_first("payload") or b"{}")


def _payload(searcher: tantivy.Searcher, address: tantivy.DocAddress) -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(_stored(searcher, address))
    return data


def _keep(total: int | None, facets: dict[str, list[FacetValue]]) -> Kept:
    kept = ((name, tuple((v.value, v.count, v.label) for v in values)) for name, values in facets.items())
    return total, tuple(kept)


def _unkeep(kept: Kept) -> Counted:
    total, facets = kept
    return total, {name: [FacetValue(*value) for value in values] for name, values in facets}


def _aggregation(name: str) -> dict[str, Any]:
    if FACETS_BY_NAME[name].ranged:
        return _year_ranges()
    return {"terms": {"field": name, "size": FACETS_BY_NAME[name].size}}


def _facet_values(names: list[str], raw: dict[str, Any]) -> dict[str, list[FacetValue]]:
    return {name: _bucket_values(name, raw[name]["buckets"]) for name in names}


def _bucket_values(name: str, buckets: list[dict[str, Any]]) -> list[FacetValue]:
    values = [
        FacetValue(str(b["key"]), int(b["doc_count"]), str(b["key"])) for b in buckets if b["doc_count"]
    ]
    return values if FACETS_BY_NAME[name].ranged else _sorted(values)


def _sorted(values: list[FacetValue]) -> list[FacetValue]:
    return sorted(values, key=lambda value: (-value.count, value.value))


def _year_ranges() -> dict[str, Any]:
    """Range aggregation on year_desc (always present, 0 = unknown: faster than an optional
    column); unknown years fall outside every bucket."""
    ranges = []
    for low, high in YEAR_RANGES:
        bucket: dict[str, Any] = {"key": year_range_value(low, high), "from": 1 if low is None else low}
        if high is not None:
            bucket["to"] = high + 1
        ranges.append(bucket)
    return {"range": {"field": "year_desc", "ranges": ranges}}
