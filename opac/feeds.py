"""Atom feeds: one for any search (`/sok/atom?…`, the parameters of /sok/) and one per library of
the titles it most recently added (`/bibliotek/<code>/nytt.atom`)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.vary import vary_on_cookie

from catalog.fields import DEFAULT_SORT
from catalog.home_library import library_by_code
from catalog.models import Cluster, Holding, Library
from catalog.search import get_backend
from catalog.search.query import InvalidSearch, parse_search_params
from opac import atom
from opac.record_view import as_list, full_title, names
from opac.search_state import SearchState

FEED_SIZE = 50
# Shared caches may keep a feed a few minutes; the title's language follows the language cookie.
FEED_CACHE_SECONDS = 600


def summary_line(data: dict[str, object]) -> str:
    """The record's own summary (520) when it has one, else "publisher, year"."""
    summary = " ".join(as_list(data.get("summary")))
    if summary:
        return summary
    return ", ".join(as_list([data.get("publisher"), data.get("year")]))


def entries(
    request: HttpRequest, clusters: Iterable[Cluster], when: dict[int, dt.datetime] | None = None
) -> list[atom.Entry]:
    """One entry per title; `when` overrides a title's updated time (a library's acquisition)."""
    result = []
    for cluster in clusters:
        url = request.build_absolute_uri(reverse("site:record", args=[cluster.pk]))
        title = full_title(cluster.data)
        result.append(
            atom.Entry(
                id=url,
                title=title or _("Untitled"),
                link=url,
                updated=(when or {}).get(cluster.pk, cluster.updated_at),
                authors=names(cluster.data.get("authors")),
                summary=summary_line(cluster.data),
            )
        )
    return result


def feed_response(request: HttpRequest, title: str, alternate: str, found: list[atom.Entry]) -> HttpResponse:
    updated = max((entry.updated for entry in found), default=None) or timezone.now()
    self_url = request.build_absolute_uri(request.get_full_path())
    feed = atom.Feed(
        id=self_url,
        title=title,
        self_url=self_url,
        alternate_url=request.build_absolute_uri(alternate),
        updated=updated,
        language=get_language() or "sv",
        entries=found,
    )
    return HttpResponse(atom.render(feed), content_type=atom.CONTENT_TYPE)


def in_order(ids: list[int]) -> list[Cluster]:
    clusters = Cluster.objects.in_bulk(ids)
    return [clusters[pk] for pk in ids if pk in clusters]


@cache_control(max_age=FEED_CACHE_SECONDS, public=True)
@vary_on_cookie
def search_feed(request: HttpRequest) -> HttpResponse:
    """The titles of one result page as the search sorts them; without a sort, newest first."""
    try:
        search_request = parse_search_params(request.GET)
    except InvalidSearch as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    sort = search_request.sort if "sort" in request.GET else "year_desc"
    search_request = replace(search_request, facets=(), sort=sort or DEFAULT_SORT)
    result = get_backend().search(search_request)
    found = entries(request, in_order([int(str(hit["id"])) for hit in result.hits]))
    title = (
        _("Samsök: %(query)s") % {"query": search_request.q} if search_request.q else _("Samsök: all titles")
    )
    return feed_response(request, title, SearchState(search_request).url(), found)


def newest_titles(library: Library, limit: int = FEED_SIZE) -> dict[int, dt.datetime]:
    """The library's titles, newest first by when its record of them was last harvested.

    A record whose checksum did not change is not written again, so harvested_at is when the
    library's record of the title arrived (or last changed).
    """
    holdings = Holding.objects.filter(library=library, record__deleted=False, record__cluster__isnull=False)
    newest = (
        holdings.values("record__cluster")
        .annotate(acquired=Max("record__harvested_at"))
        .order_by("-acquired", "-record__cluster")[:limit]
    )
    return {row["record__cluster"]: row["acquired"] for row in newest}


@cache_control(max_age=FEED_CACHE_SECONDS, public=True)
@vary_on_cookie
def library_feed(request: HttpRequest, code: str) -> HttpResponse:
    library = library_by_code(code)
    if library is None:
        raise Http404("no such library")
    title = _("Samsök: new at %(library)s") % {"library": library.name}
    newest = newest_titles(library)
    found = entries(request, in_order(list(newest)), newest)
    return feed_response(request, title, reverse("site:library", args=[library.code]), found)
