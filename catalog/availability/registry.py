"""Which provider asks which library: settings name them, the Library row picks one."""

import logging

from django.conf import settings

from catalog.availability.base import AvailabilityProvider
from catalog.models import Library
from portal.registries import Registry

DEFAULT_PROVIDER = "harvested"
#: settings.AVAILABILITY_PROVIDERS: name -> dotted path; Library.availability_provider picks one.
PROVIDERS: Registry[AvailabilityProvider] = Registry(
    "AVAILABILITY_PROVIDERS", AvailabilityProvider, "availability provider"
)

logger = logging.getLogger(__name__)
# (library id, name) pairs already logged: the fallback is logged once per process, not per request.
_unknown_logged: set[tuple[int, str]] = set()


def provider_class(name: str) -> type[AvailabilityProvider]:
    """The class settings.AVAILABILITY_PROVIDERS names for `name` (resolved once)."""
    return PROVIDERS.get(name)


def get_provider(library: Library) -> AvailabilityProvider:
    """The library's provider; harvested when it names none, an unknown one, or has no address."""
    name = library.availability_provider or DEFAULT_PROVIDER
    if name not in settings.AVAILABILITY_PROVIDERS:
        log_unknown_provider(library, name)
        name = DEFAULT_PROVIDER
    elif name != DEFAULT_PROVIDER and not library.availability_url:
        name = DEFAULT_PROVIDER
    options = library.availability_options or {}
    return provider_class(name)(
        url=library.availability_url, options=options, timeout=library_timeout(options)
    )


def log_unknown_provider(library: Library, name: str) -> None:
    """Say once per process that a library's provider name is unknown (see the catalog checks)."""
    if (library.pk, name) in _unknown_logged:
        return
    _unknown_logged.add((library.pk, name))
    logger.warning(
        "Library %s names an unknown availability provider %r; showing harvested status instead.",
        library.code,
        name,
    )


def library_timeout(options: dict[str, object]) -> float:
    """AVAILABILITY_TIMEOUT, or a library's own shorter "timeout_ms" (never longer)."""
    own = options.get("timeout_ms")
    if isinstance(own, int | float) and own > 0:
        return min(settings.AVAILABILITY_TIMEOUT, own / 1000)
    return float(settings.AVAILABILITY_TIMEOUT)
