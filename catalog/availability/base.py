"""The provider contract: ask one library's system about many holdings in one call."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from catalog.models import Holding, ItemStatus


class ProviderError(Exception):
    """A library system did not answer usefully (down, timed out, garbage); callers fall back."""


@dataclass(frozen=True)
class LiveStatus:
    """What a library system says about one holding right now, in Samsök's vocabulary."""

    status: str = ItemStatus.UNKNOWN
    due_date: dt.date | None = None
    queue_length: int | None = None
    checked_at: dt.datetime | None = None
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "queue_length": self.queue_length,
            "checked_at": self.checked_at.isoformat() if self.checked_at else None,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LiveStatus:
        due = data.get("due_date")
        checked = data.get("checked_at")
        return cls(
            status=data.get("status") or ItemStatus.UNKNOWN,
            due_date=dt.date.fromisoformat(due) if due else None,
            queue_length=data.get("queue_length"),
            checked_at=dt.datetime.fromisoformat(checked) if checked else None,
            message=data.get("message") or "",
        )


class AvailabilityProvider(ABC):
    """One library's availability interface, built from its Library row.

    Providers run in worker threads: they must not touch the database. The holdings they get
    have `record` and `library` loaded already (select_related).
    """

    #: False for providers that only repeat what was harvested (no network, nothing to cache).
    live: ClassVar[bool] = True

    def __init__(self, url: str = "", options: Mapping[str, Any] | None = None, timeout: float = 2.0):
        self.url = url
        self.options: Mapping[str, Any] = options or {}
        self.timeout = timeout

    @abstractmethod
    def get_statuses(self, holdings: Sequence[Holding]) -> dict[int, LiveStatus]:
        """Statuses for the given holdings of ONE library, asked in one batch.

        Returns {holding.pk: LiveStatus}; a holding the system does not know may be missing.
        Raises ProviderError when the system cannot be asked or its answer makes no sense.
        """

    @abstractmethod
    def ping(self) -> bool:
        """True when the system answers at all (for health pages and the breaker's probe)."""
