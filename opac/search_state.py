"""Links that change one thing about the current search (add/remove a filter, sort, page).

Every link is built from the parsed SearchRequest, never by echoing the raw query string, so
links are canonical (same search, same URL) and carry nothing the parser did not accept.
"""

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from catalog.fields import DEFAULT_PAGE_SIZE, DEFAULT_SORT, TERM_FILTERS
from catalog.search.backends.base import SearchRequest

Params = list[tuple[str, str]]


@dataclass(frozen=True)
class SearchState:
    request: SearchRequest
    path: str = "/sok/"

    def params(self, request: SearchRequest | None = None, page: int = 1) -> Params:
        r = request or self.request
        params: Params = [("q", r.q)] if r.q else []
        for name in TERM_FILTERS:
            params.extend((name, value) for value in r.filters.get(name, ()))
        if r.year_from is not None:
            params.append(("year_from", str(r.year_from)))
        if r.year_to is not None:
            params.append(("year_to", str(r.year_to)))
        if r.available:
            params.append(("available", "1"))
        if r.sort != DEFAULT_SORT:
            params.append(("sort", r.sort))
        if r.page_size != DEFAULT_PAGE_SIZE:
            params.append(("page_size", str(r.page_size)))
        if page > 1:
            params.append(("page", str(page)))
        return params

    def url(self, request: SearchRequest | None = None, page: int = 1) -> str:
        params = self.params(request, page)
        return f"{self.path}?{urlencode(params)}" if params else self.path

    def with_filters(self, name: str, values: tuple[str, ...]) -> SearchRequest:
        filters = {key: value for key, value in self.request.filters.items() if key != name}
        if values:
            filters[name] = values
        return replace(self.request, filters=filters, page=1)

    def toggle_url(self, name: str, value: str) -> str:
        current = self.request.filters.get(name, ())
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.url(self.with_filters(name, values))

    def years_url(self, year_from: int | None, year_to: int | None) -> str:
        return self.url(replace(self.request, year_from=year_from, year_to=year_to, page=1))

    def available_url(self, available: bool) -> str:
        return self.url(replace(self.request, available=available, page=1))

    @property
    def available_toggle_url(self) -> str:
        return self.available_url(not self.request.available)

    def query_url(self, q: str) -> str:
        return self.url(replace(self.request, q=q, page=1))

    def clear_url(self) -> str:
        r = self.request
        return self.url(SearchRequest(q=r.q, sort=r.sort, page_size=r.page_size))

    def page_url(self, page: int) -> str:
        return self.url(page=page)

    @property
    def page_url_first(self) -> str:
        return self.url(page=1)

    def hidden_params(self, *exclude: str) -> Params:
        """The current search as hidden form fields, minus the ones the form itself sets."""
        return [(name, value) for name, value in self.params() if name not in exclude]

    @property
    def sort_fields(self) -> Params:
        return self.hidden_params("sort", "page")

    @property
    def year_fields(self) -> Params:
        return self.hidden_params("year_from", "year_to", "page")

    @property
    def has_filters(self) -> bool:
        r = self.request
        return bool(
            any(r.filters.values()) or r.year_from is not None or r.year_to is not None or r.available
        )
