"""The contract every search backend implements (tantivy embedded, Elasticsearch distributed).

Documents are plain dicts, one per Cluster, built by catalog.search.documents. Requests and
results are the small dataclasses below, so views and the JSON API never see engine types.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> OR-ed values
    year_from: int | None = None
    year_to: int | None = None
    available: bool = False
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = ()

    def facet_field(self, name: str) -> str:
        """The index field a facet counts. With `available=1` the library facet counts where a
        copy is available, so each count is what choosing that library would give."""
        return "available_at" if name == "library" and self.available else name

    def available_at_selected(self, exclude: str | None) -> tuple[str, ...]:
        """The libraries the availability filter names: the selected ones, except while the
        library facet itself is counted (then any library with a copy on the shelf)."""
        return () if exclude == "library" else self.filters.get("library", ())


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    label: str = ""


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, object]]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    did_you_mean: str | None = None


class SearchUnavailable(Exception):
    """The engine cannot answer now (down, index missing); shown as a 503 page."""


class SearchBackend(ABC):
    """Index, query and maintain one search index of cluster documents."""

    @abstractmethod
    def apply(self, documents: Iterable[dict[str, object]], delete_ids: Iterable[str]) -> int:
        """Add or replace documents (by "id") and remove gone ones (unknown ids are ignored) in one
        write; returns how many documents were written. Every other write is built on this one."""

    def index(self, documents: Iterable[dict[str, object]]) -> int:
        """Add or replace documents (by "id"); returns how many were written."""
        return self.apply(documents, ())

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id; unknown ids are ignored."""
        self.apply((), ids)

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run a query with filters, facets, sort and paging."""

    @abstractmethod
    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Title and author completions for what a patron has typed so far."""

    @abstractmethod
    def get(self, doc_id: str) -> dict[str, object] | None:
        """One stored document, or None."""

    @abstractmethod
    def ping(self) -> bool:
        """True when the engine can answer queries."""

    @abstractmethod
    def rebuild(self, documents: Iterable[dict[str, object]], expected: int | None = None) -> int:
        """Replace the whole index with these documents, without downtime for readers; returns how
        many were written. ``expected``: about how many documents come (counted beforehand), for
        an engine that plans its memory by it; the documents decide what is written."""

    def count(self) -> int:
        """How many documents the index holds (0 when unknown)."""
        return self.search(SearchRequest(page_size=1)).total
