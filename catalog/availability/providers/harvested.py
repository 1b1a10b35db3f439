"""The default provider: the status as the last harvest delivered it."""

from collections.abc import Sequence

from catalog.availability.base import AvailabilityProvider, LiveStatus
from catalog.models import Holding


def harvested_status(holding: Holding) -> LiveStatus:
    """The harvested status of a holding, its freshness being the harvest time."""
    return LiveStatus(
        status=holding.status,
        due_date=holding.due_date,
        queue_length=holding.queue_length,
        checked_at=holding.checked_at or holding.record.harvested_at,
    )


class HarvestedProvider(AvailabilityProvider):
    """No live interface: answers from the database rows it is given, never over the network."""

    live = False

    def get_statuses(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        return {holding.pk: harvested_status(holding) for holding in holdings}

    def ping(self) -> bool:
        return True
