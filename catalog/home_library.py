"""The patron's "my library": a library code in a cookie (no account), validated on every read.

Read by the patron site (pages, layout) and by fjärrlån (the pickup library it suggests).
"""

from django.http import HttpRequest

from catalog.models import Library

COOKIE_NAME = "samsok_bibliotek"
COOKIE_MAX_AGE = 365 * 24 * 3600


def library_by_code(code: str) -> Library | None:
    """The library with this sigel; None for anything that cannot be one (too long, NUL bytes)."""
    if not code or len(code) > 20 or "\x00" in code:
        return None
    return Library.objects.filter(code=code).first()


def home_library(request: HttpRequest) -> Library | None:
    """The chosen library, or None when no (or an unknown) code is stored; cached per request."""
    if not hasattr(request, "_samsok_home_library"):
        code = request.COOKIES.get(COOKIE_NAME, "")
        request._samsok_home_library = library_by_code(code)  # type: ignore[attr-defined]
    return request._samsok_home_library  # type: ignore[attr-defined, no-any-return]
