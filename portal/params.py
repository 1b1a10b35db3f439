"""Request input that reaches the database: ids it can bind, text it can store.

Crafted input gets a 400 or 404, never a 500: SQLite cannot bind an integer past 2**63-1,
`int()` takes digits that are no id ("²".isdigit() is True but int("²") fails; int("٣") is 3),
and PostgreSQL refuses text that contains a NUL character.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MAX_DB_ID = 2**63 - 1  # signed 64 bits: the largest id both databases can bind
MAX_BATCH = 100  # ids in one availability batch (a result page holds at most 100 hits)


def parse_id(raw: str) -> int | None:
    """A database id written in ASCII digits, 1 to MAX_DB_ID; None for anything else."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_DB_ID)):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_DB_ID else None


def parse_ids(raw: str) -> list[int]:
    """'1,2,3' → [1, 2, 3] (order kept, duplicates dropped); ValueError for anything else or for
    more than MAX_BATCH ids."""
    ids = [parse_id(part.strip()) for part in raw.split(",") if part.strip()]
    if not ids or len(ids) > MAX_BATCH or None in ids:
        raise ValueError(raw)
    return list(dict.fromkeys(i for i in ids if i is not None))


def has_nul(texts: Iterable[str]) -> bool:
    return any("\x00" in text for text in texts)


def _request_texts(request: HttpRequest) -> list[str]:
    texts = [request.path]
    for data in (request.GET, request.POST):
        for key, values in data.lists():
            texts += [key, *values]
    return texts


def nul_message() -> str:
    """The 400's message, also the API's OpenAPI document's example of it."""
    return _("The address or form contains a character that is not allowed (NUL).")


def _bad_request(request: HttpRequest) -> HttpResponse:
    message = nul_message()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": message}, status=400)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    # Rendered without the request: sessions and users are not loaded yet (see below).
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


class NulCharacterMiddleware:
    """Stops text with a NUL character before anything queries the database with it.

    Placed before the session middleware: a cookie holding NUL (a crafted session id) is dropped
    as if not sent; a NUL in the path, the query string or a form field is a 400.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.COOKIES = {k: v for k, v in request.COOKIES.items() if not has_nul([k, v])}
        try:
            texts = _request_texts(request)
        except (SuspiciousOperation, MultiPartParserError, OSError):  # as the view would answer it
            return self.get_response(request)
        return _bad_request(request) if has_nul(texts) else self.get_response(request)
