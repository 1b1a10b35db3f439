"""The API's one convention: JSON bodies, CORS headers, GET only, errors as `{"error": "..."}`."""

from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from catalog.search.backends.base import SearchUnavailable
from catalog.search.query import InvalidSearch

View = Callable[..., HttpResponse]
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}
# RFC 9110: a 405 must say which methods the address takes; the preflight answer says so too.
ALLOW = "GET, HEAD, OPTIONS"


def json_response(body: dict[str, Any], status: int = 200) -> HttpResponse:
    # orjson: a search answer is encoded several times faster than by json.
    return HttpResponse(orjson.dumps(body), status=status, content_type="application/json")


def error(message: str, status: int) -> HttpResponse:
    return with_cors(json_response({"error": message}, status=status))


def with_cors(response: HttpResponse) -> HttpResponse:
    for header, value in CORS_HEADERS.items():
        response[header] = value
    return response


def json_api(view: View) -> View:
    """Every endpoint's wrapper: GET/HEAD only (OPTIONS for CORS preflight), CORS headers on every
    answer, invalid searches and engine outages as JSON errors."""

    @csrf_exempt  # read-only: a cross-site POST gets the JSON 405 below, not an HTML 403 page
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response: HttpResponse = HttpResponse(status=204)
            response["Allow"] = ALLOW
        elif request.method not in ("GET", "HEAD"):
            response = error(_("Only GET is supported."), 405)
            response["Allow"] = ALLOW
        else:
            try:
                response = view(request, *args, **kwargs)
            except InvalidSearch as problem:
                response = error(problem.message, 400)
            except SearchUnavailable:
                response = error(_("Search is unavailable right now; try again shortly."), 503)
        return with_cors(response)

    return wrapper
