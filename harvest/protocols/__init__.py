"""Harvest protocol drivers, named in settings.HARVEST_PROTOCOLS and chosen by ``Source.protocol``."""

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from harvest.protocols.base import HarvestedItem, HarvestError, HarvestProtocol, Page
from portal.registries import Registry

#: settings.HARVEST_PROTOCOLS: name -> dotted path of a HarvestProtocol.
PROTOCOLS: Registry[HarvestProtocol] = Registry("HARVEST_PROTOCOLS", HarvestProtocol, "harvest protocol")


def get_protocol(source: object) -> HarvestProtocol:
    """The driver for a source (a ``harvest.models.Source``)."""
    name = getattr(source, "protocol", "")
    if name not in PROTOCOLS.entries():
        raise HarvestError(f"unknown protocol {name!r}")
    return PROTOCOLS.get(name)(source)  # type: ignore[arg-type]


def protocol_choices() -> list[tuple[str, str | Promise]]:
    """(name, label) of every registered protocol: ``Source.protocol`` and ``add_source`` offer these."""
    return [(name, _label(name)) for name in PROTOCOLS.names()]


def _label(name: str) -> str | Promise:
    try:
        return PROTOCOLS.get(name).label or name
    except ImproperlyConfigured:  # reported by the harvest system check; the name still shows
        return name


__all__ = [
    "PROTOCOLS",
    "HarvestError",
    "HarvestProtocol",
    "HarvestedItem",
    "Page",
    "get_protocol",
    "protocol_choices",
]
