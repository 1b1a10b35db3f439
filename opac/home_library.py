"""Choosing "my library": the page that stores (or forgets) the patron's library in a cookie."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from catalog.home_library import COOKIE_MAX_AGE, COOKIE_NAME, home_library, library_by_code
from catalog.models import Library


def safe_next(request: HttpRequest, fallback: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    return target if allowed and target.startswith("/") else fallback


@require_http_methods(["GET", "POST"])
def choose_home_library(request: HttpRequest) -> HttpResponse:
    """GET shows the chooser; POST stores (or with an empty value forgets) the choice and goes back."""
    if request.method == "GET":
        context = {"libraries": Library.objects.all(), "current": home_library(request)}
        return render(request, "opac/home_library.html", context)
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
