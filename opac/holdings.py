"""Holdings lines for the record page, home library first (the availability layer builds them)."""

from catalog.availability import HoldingLine, holding_lines
from catalog.models import Cluster, Library


def holding_lines_for(cluster: Cluster, home: Library | None, live: bool) -> list[HoldingLine]:
    """Harvested (or cached live) status at once; `live` asks the libraries' systems now."""
    return holding_lines(cluster, home.code if home else None, live)
