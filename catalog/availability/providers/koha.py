"""Koha ILS-DI (opac/ilsdi.pl): GetAvailability by default, GetRecords for due dates and queues.

Library.availability_url is the ilsdi.pl address. availability_options:
  method    "GetAvailability" (default) or "GetRecords"
  id_type   "item" or "bib" for GetAvailability (default: item when every holding has an item id)
  branches  Koha branch codes that belong to this library (a shared Koha serving several)
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.utils import timezone
from lxml import etree

from catalog.availability.base import AvailabilityProvider, LiveStatus, ProviderError
from catalog.availability.dates import parse_due_date
from catalog.availability.http import http_get
from catalog.availability.normalize import best_status
from catalog.availability.xml import child_text, children, local_name, parse_xml
from catalog.models import Holding, ItemStatus


def koha_biblionumber(holding: Holding) -> str:
    """Koha's biblionumber from the record's local id ('123' or 'oai:koha.example:123')."""
    return holding.record.local_id.rsplit(":", 1)[-1].strip()


def status_from_message(availability: str, message: str) -> str:
    """GetAvailability's availabilitystatus + availabilitymsg in Samsök's vocabulary."""
    availability, message = availability.strip().lower(), message.strip().lower()
    if availability == "available":
        return ItemStatus.AVAILABLE
    if availability != "not available":
        return ItemStatus.UNKNOWN
    for words, status in _MESSAGES:
        if any(word in message for word in words):
            return status
    return ItemStatus.UNKNOWN


_MESSAGES = [
    (("not for loan",), ItemStatus.NOT_FOR_LOAN),
    (("checked out", "on loan", "issued"), ItemStatus.ON_LOAN),
    (("transit",), ItemStatus.IN_TRANSIT),
    (("waiting", "on hold"), ItemStatus.ON_HOLD_SHELF),
    (("on order", "ordered"), ItemStatus.ORDERED),
    (("lost", "withdrawn", "damaged", "missing"), ItemStatus.NOT_FOR_LOAN),
]


class KohaIlsDiProvider(AvailabilityProvider):
    """Koha's ILS-DI over HTTP; one request per library for all asked holdings."""

    def get_statuses(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        if not holdings:
            return {}
        if self.options.get("method") == "GetRecords":
            return self._get_records(holdings)
        return self._get_availability(holdings)

    def ping(self) -> bool:
        try:
            params = {"service": "GetAvailability", "id": "0", "id_type": "item"}
            root = parse_xml(http_get(self.url, params, self.timeout, accept="text/xml"))
        except ProviderError:
            return False
        return local_name(root) == "collection"

    # --- GetAvailability ---------------------------------------------------------------------
    def _get_availability(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        id_type = self.options.get("id_type") or ("item" if all(h.item_id for h in holdings) else "bib")
        key = (lambda h: h.item_id) if id_type == "item" else koha_biblionumber
        wanted: dict[str, list[Holding]] = defaultdict(list)
        for holding in holdings:
            wanted[key(holding)].append(holding)
        params = {"service": "GetAvailability", "id": " ".join(sorted(wanted)), "id_type": id_type}
        root = parse_xml(http_get(self.url, params, self.timeout, accept="text/xml"))
        if local_name(root) != "collection":
            raise ProviderError(f"GetAvailability answered <{local_name(root)}>")
        now = timezone.now()
        found: dict[str, list[LiveStatus]] = defaultdict(list)
        for record in children(root, "record"):
            bib_id = "".join(e.get("id", "") for e in children(record, "bibliographic"))
            for items in children(record, "items"):
                for item in children(items, "item"):
                    status = self._simple(item, now)
                    if status is not None:
                        found[item.get("id", "") if id_type == "item" else bib_id].append(status)
        return _assign(wanted, found)

    @staticmethod
    def _simple(item: etree._Element, now: dt.datetime) -> LiveStatus | None:
        """One <dlf:item>; None for ids Koha does not know ('Error: could not retrieve ...')."""
        for simple in children(item, "simpleavailability"):
            status = child_text(simple, "availabilitystatus")
            message = child_text(simple, "availabilitymsg")
            if status.lower() == "unknown" and message.lower().startswith("error"):
                return None
            return LiveStatus(status_from_message(status, message), checked_at=now, message=message)
        return None

    # --- GetRecords --------------------------------------------------------------------------
    def _get_records(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        by_bib: dict[str, list[Holding]] = defaultdict(list)
        for holding in holdings:
            by_bib[koha_biblionumber(holding)].append(holding)
        params = {"service": "GetRecords", "id": " ".join(sorted(by_bib))}
        root = parse_xml(http_get(self.url, params, self.timeout, accept="text/xml"))
        if local_name(root) != "GetRecords":
            raise ProviderError(f"GetRecords answered <{local_name(root)}>")
        now = timezone.now()
        result: dict[int, LiveStatus] = {}
        for record in children(root, "record"):
            bib_id = child_text(record, "biblionumber")
            if bib_id not in by_bib:
                continue  # RecordNotFound, or a record we did not ask for
            result.update(self._record_statuses(record, by_bib[bib_id], now))
        return result

    def _record_statuses(
        self, record: etree._Element, holdings: list[Holding], now: dt.datetime
    ) -> dict[int, LiveStatus]:
        holds = [r for rs in children(record, "reserves") for r in children(rs, "reserve")]
        queue = sum(1 for hold in holds if not child_text(hold, "found"))
        waiting = {
            child_text(h, "itemnumber"): child_text(h, "found") for h in holds if child_text(h, "found")
        }
        branches = set(self.options.get("branches") or [])
        items: dict[str, LiveStatus] = {}
        for item in (i for its in children(record, "items") for i in children(its, "item")):
            if branches and child_text(item, "homebranch") not in branches:
                continue
            status = _item_status(item, waiting.get(child_text(item, "itemnumber"), ""), queue, now)
            for key in (child_text(item, "itemnumber"), child_text(item, "barcode")):
                if key:
                    items[key] = status
        result = {}
        for holding in holdings:
            mine = items.get(holding.item_id) if holding.item_id else best_status(items.values())
            if mine is not None:
                result[holding.pk] = mine
        return result


def _item_status(item: etree._Element, found: str, queue: int, now: dt.datetime) -> LiveStatus:
    """One GetRecords <item>: lost/withdrawn/notforloan flags, onloan (the due date), waiting holds."""

    def flag(name: str) -> bool:
        return child_text(item, name) not in ("", "0")

    due = parse_due_date(child_text(item, "date_due") or child_text(item, "onloan"))
    if any(flag(name) for name in ("itemlost", "withdrawn", "notforloan", "damaged")):
        status = ItemStatus.NOT_FOR_LOAN
    elif child_text(item, "onloan") or due:
        status = ItemStatus.ON_LOAN
    elif found == "W":
        status = ItemStatus.ON_HOLD_SHELF
    elif found == "T":
        status = ItemStatus.IN_TRANSIT
    else:
        status = ItemStatus.AVAILABLE
    return LiveStatus(status, due if status == ItemStatus.ON_LOAN else None, queue or None, now)


def _assign(wanted: dict[str, list[Holding]], found: dict[str, list[LiveStatus]]) -> dict[int, LiveStatus]:
    result = {}
    for key, holdings in wanted.items():
        status = best_status(found.get(key, []))
        if status is None:
            continue
        for holding in holdings:
            result[holding.pk] = status
    return result
