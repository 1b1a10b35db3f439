"""The patron's "my library": a library code in a cookie (no account), validated on every read."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

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


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed and target.startswith("/") else fallback


@require_http_methods(["GET", "POST"])
def choose_home_library(request: HttpRequest) -> HttpResponse:
    """GET shows the chooser; POST stores (or with an empty value forgets) the choice and goes back."""
    if request.method == "GET":
        context = {"libraries": Library.objects.all(), "current": home_library(request)}
        return render(request, "portal/home_library.html", context)
    response = HttpResponseRedirect(safe_next(request))
    library = library_by_code(request.POST.get("library", ""))
    if library is not None:
        response.set_cookie(
            COOKIE_NAME,
            library.code,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(COOKIE_NAME, samesite="Lax")
    return response
