"""Errors map to pages here, and only here.

- `SearchUnavailable` (engine down, index missing) -> 503 page that says to try again shortly.
- `RecordNotHeld` (unknown or withdrawn cluster id) -> 404 page that says the title is no longer held.
- `RecordMoved` (the id's records were merged into another title) -> 301 to the same page of it.
Every other 404 uses templates/404.html through Django's own handler.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from catalog.search.backends.base import SearchUnavailable


class RecordNotHeld(Http404):
    """The record id is not (or no longer) in the union catalogue."""


class RecordMoved(Exception):
    """The record id is gone because its records now live in another cluster (a merge)."""

    def __init__(self, cluster_id: int) -> None:
        super().__init__(f"moved to cluster {cluster_id}")
        self.cluster_id = cluster_id


def search_unavailable_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "errors/503.html", status=503)
    response["Retry-After"] = "60"
    return response


def record_not_held_page(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/record_not_held.html", status=404)


def record_moved_page(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """The same page (record, export, MARC view) of the title the records live in now."""
    match = request.resolver_match
    if match is None:
        return record_not_held_page(request)
    url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "pk": cluster_id})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class ErrorPageMiddleware:
    """Turns the domain exceptions above into their pages (process_exception runs for views)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SearchUnavailable):
            return search_unavailable_page(request)
        if isinstance(exception, RecordNotHeld):
            return record_not_held_page(request)
        if isinstance(exception, RecordMoved):
            return record_moved_page(request, exception.cluster_id)
        return None
