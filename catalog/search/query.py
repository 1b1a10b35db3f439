"""Read a search request from URL parameters, shared by the JSON API and the portal pages.

    GET ?q=&library=&format=&accessibility=&language=&municipality=&subject=&audience=&work=
        &year_from=&year_to=&available=1|0|true|false&sort=&page=&page_size=&facet=

`library`, `format`, `language` (and the other term facets) may repeat: OR within one facet,
AND across facets. `work` (a work id, repeatable) narrows to the editions of a work. `facet`
(repeatable) limits which facets are counted; default all.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from catalog.fields import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_SORT,
    FACETS,
    FACETS_BY_NAME,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    SORTS,
    TERM_FILTERS,
)
from catalog.search.backends.base import SearchRequest

MAX_FILTER_VALUES = 50
# What the OpenAPI document lists for `available` (any letter case); empty is the same as absent.
TRUE_VALUES = ("1", "true")
FALSE_VALUES = ("0", "false")


class InvalidSearch(ValueError):
    """A parameter the patron or integrator sent cannot be used; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_search_params(querydict: Mapping[str, Any]) -> SearchRequest:
    """A validated SearchRequest, or InvalidSearch with a message fit to show."""
    year_from = _int(querydict, "year_from", 0, 9999)
    year_to = _int(querydict, "year_to", 0, 9999)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InvalidSearch(_("year_from must not be later than year_to."))
    return SearchRequest(
        q=_first(querydict, "q").strip(),
        filters=_filters(querydict),
        year_from=year_from,
        year_to=year_to,
        available=_flag(querydict, "available"),
        sort=_sort(querydict),
        page=_int(querydict, "page", 1, MAX_PAGE) or 1,
        page_size=_int(querydict, "page_size", 1, MAX_PAGE_SIZE) or DEFAULT_PAGE_SIZE,
        facets=_facets(querydict),
    )


def _values(querydict: Mapping[str, Any], name: str) -> list[str]:
    if hasattr(querydict, "getlist"):
        values = querydict.getlist(name)
    else:
        raw = querydict.get(name)
        values = [] if raw is None else raw if isinstance(raw, list | tuple) else [raw]
    return [str(value) for value in values]


def _first(querydict: Mapping[str, Any], name: str) -> str:
    values = _values(querydict, name)
    return values[-1] if values else ""


def _int(querydict: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    raw = _first(querydict, name).strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSearch(_("%(name)s must be a whole number.") % {"name": name}) from None
    if not low <= value <= high:
        raise InvalidSearch(
            _("%(name)s must be between %(low)d and %(high)d.") % {"name": name, "low": low, "high": high}
        )
    return value


def _flag(querydict: Mapping[str, Any], name: str) -> bool:
    raw = _first(querydict, name).strip().lower()
    if raw in TRUE_VALUES:
        return True
    if not raw or raw in FALSE_VALUES:
        return False
    raise InvalidSearch(_("%(name)s must be 1, 0, true or false.") % {"name": name})


def _sort(querydict: Mapping[str, Any]) -> str:
    sort = _first(querydict, "sort").strip() or DEFAULT_SORT
    if sort not in SORTS:
        raise InvalidSearch(_("Unknown sort order; use one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)})
    return sort


def _filters(querydict: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    filters = {}
    for name in TERM_FILTERS:
        given = _values(querydict, name)
        # Counted as sent (blanks and repeats too), as the OpenAPI document's maxItems counts them.
        if len(given) > MAX_FILTER_VALUES:
            raise InvalidSearch(_("Too many values for %(name)s.") % {"name": name})
        values = tuple(dict.fromkeys(value.strip() for value in given if value.strip()))
        if name == "work" and not all(
            value.isascii() and value.isdigit() and len(value) <= 18 for value in values
        ):
            raise InvalidSearch(_("%(name)s must be a whole number.") % {"name": name})
        if values:
            filters[name] = values
    return filters


def _facets(querydict: Mapping[str, Any]) -> tuple[str, ...]:
    wanted = [value for value in _values(querydict, "facet") if value]
    unknown = [value for value in wanted if value not in FACETS_BY_NAME]
    if unknown:
        raise InvalidSearch(_("Unknown facet: %(name)s.") % {"name": unknown[0]})
    if not wanted:
        return tuple(facet.name for facet in FACETS)
    return tuple(facet.name for facet in FACETS if facet.name in wanted)
