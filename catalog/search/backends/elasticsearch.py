"""The distributed search backend: Elasticsearch 8 behind an alias (settings.SEARCH["INDEX"]).

Every generation is a concrete index `<alias>-<stamp>` created from one index template (explicit
mapping, Swedish analyzers). Reads and incremental writes go to the alias; `rebuild` bulk-loads a
new generation, then swaps the alias in one atomic update_aliases call and drops the old
generation, so searches never see an empty or half-built index. Bodies: elasticsearch_body.
"""

import math
import time
from collections.abc import Iterable
from typing import Any

from catalog.search.backends import elasticsearch_body as body
from catalog.search.backends.base import (
    FacetValue,
    SearchBackend,
    SearchRequest,
    SearchResult,
    SearchUnavailable,
)
from catalog.search.backends.tantivy_schema import SUGGEST_SEPARATOR, popularity_weight
from catalog.search.spelling import did_you_mean
from catalog.search.syntax import parse_query
from catalog.search.text import fold

BULK_CHUNK = 2000


def _bulk_failed(item: dict[str, Any]) -> bool:
    (action, result), *_ = item.items()
    return bool(result.get("error")) and not (action == "delete" and result.get("status") == 404)


def _popularity(document: dict[str, Any]) -> float:
    """The score multiplier (≈1.0-1.2); tantivy stores 2**m - 2 for its log2 weighting."""
    return math.log2(2.0 + popularity_weight(document.get("library_count") or 0, document.get("year")))


class ElasticsearchBackend(SearchBackend):
    """Elasticsearch 8 behind the SearchBackend contract."""

    def __init__(self, url: str | None, index: str = "samsok", client: Any = None) -> None:
        if client is None:
            if not url:
                raise SearchUnavailable("ELASTICSEARCH_URL is not set")
            from elasticsearch import Elasticsearch

            client = Elasticsearch(url, request_timeout=10, retry_on_timeout=True, max_retries=2)
        self.client = client
        self.alias = index
        self._ready = False

    # --- index management -----------------------------------------------------------------------
    def _call(self, method: str, **kwargs: Any) -> Any:
        from elasticsearch import ApiError, TransportError

        target = self.client
        for part in method.split("."):
            target = getattr(target, part)
        try:
            return target(**kwargs)
        except (TransportError, ConnectionError) as error:
            raise SearchUnavailable(str(error)) from error
        except ApiError as error:
            if getattr(error, "status_code", None) == 404:
                return None
            raise SearchUnavailable(str(error)) from error

    def _ensure(self) -> None:
        """Template in place and the alias pointing at a generation (created empty if needed)."""
        if self._ready:
            return
        self._call("indices.put_index_template", name=self.alias, **body.index_template(self.alias))
        if not self._call("indices.exists_alias", name=self.alias):
            name = self._new_generation()
            self._call("indices.create", index=name)
            self._call("indices.update_aliases", **body.alias_swap(self.alias, name, []))
        self._ready = True

    def _new_generation(self) -> str:
        return f"{self.alias}-{time.time_ns()}"

    def _bulk(self, index: str, documents: Iterable[dict[str, Any]], deletes: Iterable[str]) -> int:
        written = 0
        batch: list[dict[str, Any]] = []
        for document in documents:
            batch.append(body.es_document(document, _popularity(document)))
            if len(batch) >= BULK_CHUNK:
                written += self._send(index, batch, [])
                batch = []
        return written + self._send(index, batch, list(deletes))

    def _send(self, index: str, batch: list[dict[str, Any]], deletes: list[str]) -> int:
        operations = body.bulk_operations(index, batch, deletes)
        if operations:
            response = self._call("bulk", operations=operations) or {}
            failed = [i for i in response.get("items", []) if _bulk_failed(i)]
            if failed:
                raise SearchUnavailable(f"{len(failed)} bulk operations failed, first: {failed[0]}")
        return len(batch)

    def apply(self, documents: Iterable[dict[str, Any]], delete_ids: Iterable[str]) -> int:
        self._ensure()
        written = self._bulk(self.alias, documents, delete_ids)
        self._call("indices.refresh", index=self.alias)
        return written

    def rebuild(self, documents: Iterable[dict[str, Any]], expected: int | None = None) -> int:
        self._call("indices.put_index_template", name=self.alias, **body.index_template(self.alias))
        name = self._new_generation()
        self._call("indices.create", index=name, settings={"refresh_interval": "-1"})
        written = self._bulk(name, documents, ())
        self._call("indices.put_settings", index=name, settings={"refresh_interval": "1s"})
        self._call("indices.refresh", index=name)
        current = self._call("indices.get_alias", name=self.alias) or {}
        old = [index for index in current if index != name]
        self._call("indices.update_aliases", **body.alias_swap(self.alias, name, old))
        for index in old:
            self._call("indices.delete", index=index)
        self._ready = True
        return written

    def drop(self) -> None:
        """Remove every generation and the template (tests)."""
        self._call("indices.delete", index=f"{self.alias}-*")
        self._call("indices.delete_index_template", name=self.alias)

    # --- reading ------------------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except Exception:  # any failure means "cannot answer now"
            return False

    def get(self, doc_id: str) -> dict[str, Any] | None:
        self._ensure()
        found = self._call("get", index=self.alias, id=str(doc_id), source=["hit"])
        return dict(found["_source"]["hit"]) if found else None

    def search(self, request: SearchRequest) -> SearchResult:
        parsed = parse_query(request.q)
        if parsed.matches_nothing:
            return SearchResult(total=0, hits=[], facets={name: [] for name in request.facets})
        self._ensure()
        response = self._call("search", index=self.alias, **body.search_body(request, parsed))
        result = parse_search_response(response or {}, request.facets)
        if result.total == 0 and parsed.terms():
            result.did_you_mean = did_you_mean(
                request.q, parsed, self._spelling_candidates, self._finds_something
            )
        return result

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        key = fold(" ".join(prefix.split()))[:100]
        if len(key) < 2:
            return []
        self._ensure()
        response = self._call("search", index=self.alias, **body.suggest_body(key, limit)) or {}
        seen: list[str] = []
        for bucket in response.get("aggregations", {}).get("suggest", {}).get("buckets", []):
            display = str(bucket["key"]).split(SUGGEST_SEPARATOR, 1)[-1]
            if display not in seen:
                seen.append(display)
        return seen[:limit]

    def _spelling_candidates(self, word: str) -> list[tuple[str, int]]:
        response = self._call("search", index=self.alias, **body.spelling_body(word)) or {}
        candidates: dict[str, int] = {}
        for entries in response.get("suggest", {}).values():
            for entry in entries:
                for option in entry.get("options", []):
                    candidates[option["text"]] = candidates.get(option["text"], 0) + int(
                        option.get("freq", 0)
                    )
        return list(candidates.items())

    def _finds_something(self, q: str) -> bool:
        query = body.text_query(parse_query(q))
        response = self._call("search", index=self.alias, query=query, size=0, track_total_hits=1) or {}
        return int(response.get("hits", {}).get("total", {}).get("value", 0)) > 0


def parse_search_response(response: dict[str, Any], facets: tuple[str, ...]) -> SearchResult:
    """A SearchResult from an Elasticsearch search response (pure; unit-tested)."""
    hits = response.get("hits", {})
    aggregations = response.get("aggregations", {})
    result_facets: dict[str, list[FacetValue]] = {}
    for name in facets:
        buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
        values = [FacetValue(str(b["key"]), int(b["doc_count"]), str(b["key"])) for b in buckets]
        if body.FACETS_BY_NAME[name].ranged:
            result_facets[name] = [value for value in values if value.count]
        else:
            result_facets[name] = sorted(values, key=lambda value: (-value.count, value.value))
    return SearchResult(
        total=int(hits.get("total", {}).get("value", 0)),
        hits=[dict(hit["_source"]["hit"]) for hit in hits.get("hits", [])],
        facets=result_facets,
    )
