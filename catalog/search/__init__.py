"""The search layer. `get_backend()` is the one place that knows which engine is configured."""

from functools import cache
from typing import Any, cast

from django.conf import settings

from catalog.search.backends.base import SearchBackend
from portal.registries import Registry

#: settings.SEARCH_BACKENDS: name -> {"BACKEND": dotted path, options...}; SEARCH is the one in use.
BACKENDS: Registry[SearchBackend] = Registry("SEARCH_BACKENDS", SearchBackend, "search backend")


@cache
def get_backend() -> SearchBackend:
    """The configured backend, built once per process (settings.SEARCH)."""
    config = dict(cast(dict[str, Any], settings.SEARCH))
    backend_class = BACKENDS.load(config.pop("BACKEND"))
    return backend_class(**{key.lower(): value for key, value in config.items()})


def reset_backend() -> None:
    """Forget the built backend (tests that switch settings call this)."""
    get_backend.cache_clear()
