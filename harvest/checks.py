"""System check for the harvest protocols settings.HARVEST_PROTOCOLS names."""

from typing import Any

from django.core.checks import CheckMessage, register

from harvest.protocols import PROTOCOLS


@register()
def check_harvest_protocols(**kwargs: Any) -> list[CheckMessage]:
    """Every registered protocol loads and is a HarvestProtocol."""
    return PROTOCOLS.problems()
