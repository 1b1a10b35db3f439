"""DAIA (Document Availability Information API), JSON, versions 0.5 and 1.0.

Library.availability_url is the DAIA service. availability_options:
  id_prefix  put before the record's local id to make the DAIA document id (e.g. "ppn:")
Holdings with an item id are matched to DAIA items by id (or its last ':' part) or label;
holdings without one get the best copy of their document.
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from catalog.availability.base import AvailabilityProvider, LiveStatus, ProviderError
from catalog.availability.dates import parse_due_date
from catalog.availability.http import http_get
from catalog.availability.normalize import best_status
from catalog.models import Holding, ItemStatus

LOAN = "loan"


def _services(item: Mapping[str, Any], key: str) -> dict[str, Mapping[str, Any]]:
    entries = item.get(key) or []
    return {str(e.get("service", "")): e for e in entries if isinstance(e, Mapping)}


def item_status(item: Mapping[str, Any], now: dt.datetime) -> LiveStatus:
    """One DAIA item: is the loan service available, and if not, when is it expected back."""
    available, unavailable = _services(item, "available"), _services(item, "unavailable")
    if LOAN in available:
        limits = available[LOAN].get("limitation") or []
        message = "; ".join(str(lim.get("content", "")) for lim in limits if isinstance(lim, Mapping))
        return LiveStatus(ItemStatus.AVAILABLE, checked_at=now, message=message.strip("; "))
    if LOAN in unavailable and (set(unavailable[LOAN]) & {"expected", "queue"} or not available):
        entry = unavailable[LOAN]
        queue = entry.get("queue")
        return LiveStatus(
            ItemStatus.ON_LOAN,
            due_date=parse_due_date(str(entry.get("expected") or "")),
            queue_length=queue if isinstance(queue, int) and queue >= 0 else None,
            checked_at=now,
        )
    if available or unavailable:  # reading room only (a rare book), remote access ...
        return LiveStatus(ItemStatus.NOT_FOR_LOAN, checked_at=now)
    return LiveStatus(ItemStatus.UNKNOWN, checked_at=now)


def _item_keys(item: Mapping[str, Any]) -> set[str]:
    item_id = str(item.get("id") or "")
    keys = {item_id, item_id.rsplit(":", 1)[-1], str(item.get("label") or "")}
    return {key for key in keys if key}


class DaiaProvider(AvailabilityProvider):
    """Asks for every document of the batch at once (ids joined by '|', as DAIA specifies)."""

    def document_id(self, holding: Holding) -> str:
        return f"{self.options.get('id_prefix', '')}{holding.record.local_id}"

    def get_statuses(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        if not holdings:
            return {}
        by_document: dict[str, list[Holding]] = defaultdict(list)
        for holding in holdings:
            by_document[self.document_id(holding)].append(holding)
        params = {"id": "|".join(sorted(by_document)), "format": "json"}
        answer = self._fetch(params)
        now = timezone.now()
        result: dict[int, LiveStatus] = {}
        for document in answer.get("document") or []:
            if not isinstance(document, Mapping):
                continue
            key = self._match_document(document, by_document)
            if key is not None:
                result.update(self._document_statuses(document, by_document[key], now))
        return result

    def ping(self) -> bool:
        try:
            self._fetch({"id": "", "format": "json"})
        except ProviderError:
            return False
        return True

    def _fetch(self, params: dict[str, str]) -> Mapping[str, Any]:
        body = http_get(self.url, params, self.timeout, accept="application/json")
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProviderError(f"not DAIA JSON: {exc}") from None
        if not isinstance(answer, Mapping) or not isinstance(answer.get("document", []), list):
            raise ProviderError("not a DAIA response (no document list)")
        return answer

    @staticmethod
    def _match_document(document: Mapping[str, Any], wanted: Mapping[str, list[Holding]]) -> str | None:
        for candidate in (document.get("requested"), document.get("id")):
            if candidate in wanted:
                return str(candidate)
        # A server may answer with its own prefix ("ppn:1234" for "1234"): the id part after the
        # last ":" must be the same, not merely end alike ("ppn:1234" is not "34").
        doc_tail = str(document.get("id") or "").rsplit(":", 1)[-1]
        matches = [key for key in wanted if key.rsplit(":", 1)[-1] == doc_tail]
        return matches[0] if len(matches) == 1 and doc_tail else None

    @staticmethod
    def _document_statuses(
        document: Mapping[str, Any], holdings: list[Holding], now: dt.datetime
    ) -> dict[int, LiveStatus]:
        items = [(i, item_status(i, now)) for i in document.get("item") or [] if isinstance(i, Mapping)]
        result = {}
        for holding in holdings:
            mine = [s for i, s in items if holding.item_id in _item_keys(i)] if holding.item_id else []
            status = best_status(mine or [s for _, s in items])
            if status is not None:
                result[holding.pk] = status
        return result
