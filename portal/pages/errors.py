"""Errors map to pages here, and only here.

- `SearchUnavailable` (engine down, index missing) -> 503 page that says to try again shortly.
- `RecordNotHeld` (unknown or withdrawn cluster id) -> 404 page that says the title is no longer held.
Every other 404 uses templates/404.html through Django's own handler.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.search.backends.base import SearchUnavailable


class RecordNotHeld(Http404):
    """The record id is not (or no longer) in the union catalogue."""


def search_unavailable_page(request: HttpRequest) -> HttpResponse:
    response = render(request, "errors/503.html", status=503)
    response["Retry-After"] = "60"
    return response


def record_not_held_page(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/record_not_held.html", status=404)


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
        return None
