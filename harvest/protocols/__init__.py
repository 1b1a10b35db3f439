"""Harvest protocol drivers, chosen in one place by ``Source.protocol``."""

from django.utils.module_loading import import_string

from harvest.protocols.base import HarvestedItem, HarvestError, HarvestProtocol, Page

PROTOCOLS = {
    "oai-pmh": "harvest.protocols.oai_pmh.OaiPmhProtocol",
    "marc-file": "harvest.protocols.marc_file.MarcFileProtocol",
}


def get_protocol(source: object) -> HarvestProtocol:
    """The driver for a source (a ``harvest.models.Source``)."""
    path = PROTOCOLS.get(getattr(source, "protocol", ""))
    if path is None:
        raise HarvestError(f"unknown protocol {getattr(source, 'protocol', '')!r}")
    driver: type[HarvestProtocol] = import_string(path)
    return driver(source)  # type: ignore[arg-type]


__all__ = ["PROTOCOLS", "HarvestError", "HarvestProtocol", "HarvestedItem", "Page", "get_protocol"]
