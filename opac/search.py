"""The result page: parse the query string, search, present hits, facets, chips and paging."""

from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from catalog.editions import work_titles
from catalog.fields import FACETS, SORTS
from catalog.home_library import home_library
from catalog.libraries import library_names
from catalog.models import Library
from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest, SearchResult
from catalog.search.query import InvalidSearch, parse_search_params
from opac.citation import with_openurls
from opac.facets import chips, facet_groups
from opac.hits import make_hit, with_availability, with_editions, with_versions
from opac.pagination import paginate
from opac.search_state import SearchState


@dataclass(frozen=True)
class Scope:
    """The "my library / whole county" toggle with the number of hits in each."""

    library: Library
    library_count: int
    county_count: int
    library_url: str
    county_url: str
    is_library: bool


def count(request: SearchRequest) -> int:
    return get_backend().search(replace(request, page=1, page_size=1, facets=())).total


def scope_toggle(state: SearchState, result: SearchResult, home: Library | None) -> Scope | None:
    if home is None:
        return None
    selected = state.request.filters.get("library", ())
    county = state.with_filters("library", ())
    only_home = state.with_filters("library", (home.code,))
    county_count = result.total if not selected else count(county)
    # Library counts are multi-select (computed without the library selection), so the home
    # library's count is usually in the facet already; ask the engine only when it is not.
    counts = {value.value: value.count for value in result.facets.get("library", [])}
    home_count = counts[home.code] if home.code in counts else count(only_home)
    return Scope(
        library=home,
        library_count=home_count,
        county_count=county_count,
        library_url=state.url(only_home),
        county_url=state.url(county),
        is_library=selected == (home.code,),
    )


def results(request: HttpRequest) -> HttpResponse:
    try:
        search_request = parse_search_params(request.GET)
    except InvalidSearch as error:
        invalid: dict[str, object] = {"error": str(error), "query_text": request.GET.get("q", "")[:500]}
        return render(request, "opac/results.html", invalid, status=400)
    search_request = replace(search_request, facets=tuple(facet.name for facet in FACETS))
    result = get_backend().search(search_request)
    state = SearchState(search_request)
    home = home_library(request)
    libraries = library_names()
    groups = facet_groups(state, result, libraries)
    context: dict[str, object] = {
        "state": state,
        "feed_url": replace(state, path=reverse("site:search_feed")).url(),
        "query_text": search_request.q,
        "result": result,
        "hits": with_versions(
            with_editions(
                with_availability(
                    with_openurls(request, [make_hit(hit) for hit in result.hits], result.hits), home
                )
            ),
            result.hits,
        ),
        "first_number": (search_request.page - 1) * search_request.page_size + 1,
        "last_number": (search_request.page - 1) * search_request.page_size + len(result.hits),
        "facet_groups": groups,
        "has_year_group": any(group.name == "year" for group in groups),
        "chips": chips(state, libraries, work_titles(search_request.filters.get("work", ()))),
        "scope": scope_toggle(state, result, home),
        "sorts": SORTS,
        "pagination": paginate(search_request.page, result.total, search_request.page_size, state.page_url),
        "did_you_mean_url": state.query_url(result.did_you_mean) if result.did_you_mean else "",
    }
    return render(request, "opac/results.html", context)
