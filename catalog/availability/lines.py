"""The record page's holdings table: one line per holding, with where its status came from."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.availability.base import LiveStatus
from catalog.availability.lookup import LookupResult, live_statuses
from catalog.availability.providers.harvested import harvested_status
from catalog.models import Cluster, Holding, ItemStatus

LIVE = "live"
HARVESTED = "harvested"


@dataclass
class HoldingLine:
    """What the table shows for one holding (copies at one library, branch and shelf)."""

    holding_id: int
    library_code: str
    library_name: str
    branch: str
    shelf: str
    call_number: str
    item_count: int
    summary: str
    status: str
    due_date: dt.date | None
    queue_length: int | None
    source: str  # LIVE or HARVESTED
    checked_at: dt.datetime | None
    indexed_status: str
    is_home: bool = False
    live_failed: bool = False

    @property
    def status_label(self) -> str:
        label = ItemStatus(self.status).label if self.status in ItemStatus.values else self.status
        return capfirst(str(label)) or ""

    @property
    def indexed_status_label(self) -> str:
        return str(ItemStatus(self.indexed_status).label)

    @property
    def is_available(self) -> bool:
        return self.status == ItemStatus.AVAILABLE

    @property
    def disagrees(self) -> bool:
        """Live status differs from what the search index (harvest) says."""
        return self.source == LIVE and self.status != self.indexed_status

    @property
    def freshness(self) -> str:
        """'live, checked 12:41' / 'from the 03:00 harvest' / 'from the harvest of 20 Nov 03:00'."""
        if self.checked_at is None:
            return _("as harvested")
        local = timezone.localtime(self.checked_at)
        if self.source == LIVE:
            return _("live, checked %(time)s") % {"time": local.strftime("%H:%M")}
        if local.date() == timezone.localdate():
            return _("from the %(time)s harvest") % {"time": local.strftime("%H:%M")}
        return _("from the harvest of %(date)s") % {"date": formats.date_format(local, "j M H:i")}

    @property
    def detail(self) -> str:
        """'due 31 Aug 2026, 2 reservations' — what else a patron wants to know."""
        parts = []
        if self.due_date:
            parts.append(_("due %(date)s") % {"date": formats.date_format(self.due_date, "j M Y")})
        if self.queue_length:
            parts.append(
                ngettext("%(count)d reservation", "%(count)d reservations", self.queue_length)
                % {"count": self.queue_length}
            )
        return ", ".join(parts)

    @property
    def note(self) -> str:
        """Why this line might surprise: live differs from the index, or live could not be asked."""
        if self.disagrees:
            return _("The search index still says: %(status)s.") % {"status": self.indexed_status_label}
        if self.live_failed:
            return _("The library's system did not answer; showing harvested status.")
        return ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "holding_id": self.holding_id,
            "library": self.library_code,
            "library_name": self.library_name,
            "branch": self.branch,
            "shelf": self.shelf,
            "call_number": self.call_number,
            "item_count": self.item_count,
            "summary": self.summary,
            "status": self.status,
            "status_label": self.status_label,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "queue_length": self.queue_length,
            "source": self.source,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "freshness": self.freshness,
            "detail": self.detail,
            "note": self.note,
            "indexed_status": self.indexed_status,
            "disagrees": self.disagrees,
            "live_failed": self.live_failed,
            "is_home": self.is_home,
        }


def cluster_holdings(cluster_ids: list[int]) -> QuerySet[Holding]:
    """Holdings of live (not deleted) member records, with what providers need loaded."""
    # The record's raw MARC and mapped JSON are not needed here and dominate the load time.
    holdings = Holding.objects.filter(record__cluster_id__in=cluster_ids, record__deleted=False)
    return holdings.select_related("library", "record").defer(
        "record__raw", "record__data", "record__repairs"
    )


def make_line(holding: Holding, lookup: LookupResult, home_library: str | None) -> HoldingLine:
    live = lookup.statuses.get(holding.pk)
    status: LiveStatus = live or harvested_status(holding)
    return HoldingLine(
        holding_id=holding.pk,
        library_code=holding.library.code,
        library_name=holding.library.name,
        branch=holding.branch,
        shelf=holding.shelf,
        call_number=holding.call_number,
        item_count=holding.item_count,
        summary=holding.summary,
        status=str(status.status),
        due_date=status.due_date if status.status == ItemStatus.ON_LOAN else None,
        queue_length=status.queue_length,
        source=LIVE if live else HARVESTED,
        checked_at=status.checked_at,
        indexed_status=holding.status,
        is_home=holding.library.code == home_library,
        live_failed=live is None and holding.library.code in lookup.failed,
    )


def sort_key(line: HoldingLine) -> tuple[bool, str, str, str, str]:
    return (not line.is_home, line.library_name.casefold(), line.branch, line.shelf, line.call_number)


def holding_lines(cluster: Cluster, home_library: str | None, live: bool) -> list[HoldingLine]:
    """The holdings table of a record page, home library first, then by library name.

    live=False never waits for the network: harvested status, or live status still cached.
    live=True asks every library with a live interface (at most AVAILABILITY_TIMEOUT).
    """
    holdings = list(cluster_holdings([cluster.pk]))
    lookup = live_statuses(holdings, network=live)
    return sorted((make_line(h, lookup, home_library) for h in holdings), key=sort_key)
