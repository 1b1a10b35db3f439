"""The read-only v1 JSON API (ARCHITECTURE.md): search, records, libraries, suggest, OpenAPI.

Views only parse, call the search layer and serialize; every response is JSON with CORS
headers, errors are {"error": "..."} with 400/404/405/503.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from catalog.clustering.redirects import current_cluster_id
from catalog.models import Library
from catalog.search import get_backend
from catalog.search.backends.base import SearchUnavailable
from catalog.search.openapi import openapi_document
from catalog.search.query import InvalidSearch, parse_search_params
from catalog.search.records import record_json, search_json
from portal.params import parse_id

View = Callable[..., HttpResponse]
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}
MAX_SUGGEST_CHARS = 100


def json_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    # orjson: a search answer is encoded several times faster than by json.
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


def error(message: str, status: int) -> HttpResponse:
    return json_response({"error": message}, status=status)


def json_api(view: View) -> View:
    """GET only, CORS headers on every answer, engine and validation errors as JSON."""

    @csrf_exempt  # read-only: a cross-site POST gets the JSON 405 below, not an HTML 403 page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response: HttpResponse = HttpResponse(status=204)
        elif request.method not in ("GET", "HEAD"):
            response = error(_("Only GET is supported."), 405)
        else:
            try:
                response = view(request, *args, **kwargs)
            except InvalidSearch as problem:
                response = error(problem.message, 400)
            except SearchUnavailable:
                response = error(_("Search is unavailable right now; try again shortly."), 503)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return wrapper


@json_api
def search(request: HttpRequest) -> HttpResponse:
    search_request = parse_search_params(request.GET)
    result = get_backend().search(search_request)
    return json_response(search_json(search_request, result))


@json_api
def record(request: HttpRequest, pk: str) -> HttpResponse:
    record_id = parse_id(pk)
    body = record_json(record_id) if record_id is not None else None
    # A title merged into another: 301 to the record it is now part of (clients follow it).
    moved_to = current_cluster_id(record_id) if record_id is not None and body is None else None
    if moved_to is not None:
        return HttpResponsePermanentRedirect(reverse("api-record", args=[moved_to]))
    if body is None:
        return error(_("No such record; the title may no longer be held by any library."), 404)
    return json_response(body)


@json_api
def libraries(request: HttpRequest) -> HttpResponse:
    rows = Library.objects.order_by("name").values("code", "name", "municipality")
    return json_response({"libraries": list(rows)})


@json_api
def suggest(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:MAX_SUGGEST_CHARS]
    return json_response({"q": q, "suggestions": get_backend().suggest(q)})


@json_api
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    return error(_("No such API address; see /api/v1/openapi.json."), 404)


@json_api
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(openapi_document(request.build_absolute_uri("/api/v1")))
