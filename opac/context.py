"""What every page's layout needs: the patron's home library (lazy) and the site languages."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from catalog.home_library import home_library


def site(request: HttpRequest) -> dict[str, object]:
    return {"home_library": SimpleLazyObject(lambda: home_library(request))}
