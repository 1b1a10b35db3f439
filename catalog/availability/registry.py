"""Which provider asks which library: settings name them, the Library row picks one."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from catalog.availability.base import AvailabilityProvider
from catalog.models import Library

DEFAULT_PROVIDER = "harvested"


@cache
def provider_class(name: str) -> type[AvailabilityProvider]:
    """The class settings.AVAILABILITY_PROVIDERS names for `name` (resolved once)."""
    try:
        dotted = settings.AVAILABILITY_PROVIDERS[name]
    except KeyError:
        raise ImproperlyConfigured(f"Unknown availability provider {name!r}.") from None
    return import_string(dotted)  # type: ignore[no-any-return]


def get_provider(library: Library) -> AvailabilityProvider:
    """The library's provider; harvested when it names none, an unknown one, or has no address."""
    name = library.availability_provider or DEFAULT_PROVIDER
    if name not in settings.AVAILABILITY_PROVIDERS or (
        name != DEFAULT_PROVIDER and not library.availability_url
    ):
        name = DEFAULT_PROVIDER
    options = library.availability_options or {}
    return provider_class(name)(
        url=library.availability_url, options=options, timeout=library_timeout(options)
    )


def library_timeout(options: dict[str, object]) -> float:
    """AVAILABILITY_TIMEOUT, or a library's own shorter "timeout_ms" (never longer)."""
    own = options.get("timeout_ms")
    if isinstance(own, int | float) and own > 0:
        return min(settings.AVAILABILITY_TIMEOUT, own / 1000)
    return float(settings.AVAILABILITY_TIMEOUT)
