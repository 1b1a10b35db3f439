"""Store one page of harvested records: raw as received, checksum, mapped data, holdings.

Everything is done per page with a few set-based queries (one checksum lookup, one bulk insert,
one bulk update, one holdings rebuild), so the database cost grows with pages, not records.
A record whose checksum did not change costs nothing beyond that lookup: it is not written (a full
run keeps the ids it saw apart, ``harvest.convergence``). One the page reader found stored as it
is comes as its id alone (``Page.unchanged``), and costs not even the lookup.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import DatabaseError, transaction
from django.utils import timezone

from catalog import mapping
from catalog.models import Holding, ItemStatus, Library, SourceRecord
from harvest import bulk
from harvest.encoding import storable
from harvest.holdings_links import linked_holdings, parents_of
from harvest.models import Source
from harvest.prepare import checksum, describe
from harvest.protocols.base import HarvestedItem
from harvest.records import parse_by_format

BIB = SourceRecord.Kind.BIB
HOLDINGS = SourceRecord.Kind.HOLDINGS
RECORD_FIELDS = ["kind", "parent_local_id", "raw", "raw_format", "checksum", "datestamp", "deleted"]
RECORD_FIELDS += ["error", "repairs", "data", "harvested_at"]
_STATUSES = set(ItemStatus.values)
_INT4_MAX = 2**31 - 1  # Holding.item_count is a PostgreSQL integer
logger = logging.getLogger(__name__)
Row = TypeVar("Row")


@dataclass
class PageResult:
    """What storing one page did; ``changed_ids`` are the bibliographic records to re-cluster.

    Deletions are not applied page by page: ``staged_ids`` are the live records the page says are
    gone (deleted headers, holdings withdrawn with their bib), for the run to delete together at
    its end; ``kept_ids`` the stored records the page delivered live (they are no longer gone).
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    staged_ids: list[int] = field(default_factory=list)
    kept_ids: list[int] = field(default_factory=list)
    seen_ids: list[int] = field(default_factory=list)  # every stored record the page delivered live
    changed_ids: set[int] = field(default_factory=set)
    changed_data: dict[int, dict[str, Any]] = field(default_factory=dict)  # of those just written
    unknown_sigels: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, str]] = field(default_factory=list)


class RecordWriter:
    """Writes pages of one source's records for one run."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.libraries = dict(Library.objects.values_list("code", "id"))
        self.default_library = source.library_code

    # -- one page --------------------------------------------------------------------------

    def write(self, items: list[HarvestedItem], unchanged: Sequence[int] = ()) -> PageResult:
        """Store a page's items; ``unchanged``: stored records it delivered as they are (by id)."""
        result = PageResult(unchanged=len(unchanged), kept_ids=list(unchanged))
        now = timezone.now()
        latest: dict[str, tuple[HarvestedItem, str]] = {}
        for item in items:
            digest = "" if item.deleted else item.checksum or checksum(item.raw)
            local_id = item.local_id or _synthetic_id(item, digest)
            latest[local_id] = (item, digest)
        existing = {
            row[1]: row
            for row in SourceRecord.objects.filter(
                source=self.source, local_id__any=list(latest)
            ).values_list("id", "local_id", "checksum", "deleted", "kind", "parent_local_id")
        }
        creates: list[SourceRecord] = []
        updates: list[SourceRecord] = []
        own_holdings: dict[str, list[dict[str, Any]]] = {}
        staged = result.staged_ids
        holdings_parents: set[str] = set()
        for local_id, (item, digest) in latest.items():
            old = existing.get(local_id)
            if item.deleted:
                if old and not old[3]:
                    staged.append(old[0])  # its parent's holdings are rebuilt when it is deleted
                continue
            if old:
                result.kept_ids.append(old[0])
            if old and old[2] == digest and not old[3]:
                result.unchanged += 1  # not written at all: a full run keeps what it saw apart
                continue
            row = self._build(local_id, item, digest, now, result, own_holdings)
            if row.kind == HOLDINGS and row.parent_local_id:
                holdings_parents.add(row.parent_local_id)
            if old:
                row.pk = old[0]
                updates.append(row)
                if old[4] == HOLDINGS and old[5]:
                    holdings_parents.add(old[5])
            else:
                creates.append(row)
        staged.extend(withdrawn for withdrawn, _parent in self._withdrawn_about_holdings(latest))
        self._save(creates, updates, result)
        result.seen_ids = result.kept_ids + [row.pk for row in creates]
        self._rebuild_holdings(creates + updates, own_holdings, holdings_parents, staged, now, result)
        return result

    def _withdrawn_about_holdings(
        self, latest: dict[str, tuple[HarvestedItem, str]]
    ) -> list[tuple[int, str]]:
        """Holdings records that came inside a bib's <about> and are gone from its new delivery,
        or whose bib was deleted: the bib speaks for them, no deletion of their own will come."""
        carried = {
            local_id: set(item.about_holdings or ())
            for local_id, (item, _) in latest.items()
            if item.deleted or item.about_holdings is not None
        }
        if not carried:
            return []
        children = SourceRecord.objects.filter(
            source=self.source, kind=HOLDINGS, deleted=False, parent_local_id__any=list(carried)
        ).values_list("id", "local_id", "parent_local_id")
        return [(pk, parent) for pk, local_id, parent in children if local_id not in carried[parent]]

    def _build(
        self,
        local_id: str,
        item: HarvestedItem,
        digest: str,
        now: datetime,
        result: PageResult,
        own_holdings: dict[str, list[dict[str, Any]]],
    ) -> SourceRecord:
        description = item.description or describe(
            item.result(), item.parent_local_id, self.source.holdings_profile, self.default_library
        )
        row = SourceRecord(
            source=self.source,
            local_id=local_id[:255],
            raw=item.raw,
            raw_format=item.raw_format,
            checksum=digest,
            datestamp=item.datestamp,
            deleted=False,
            repairs=description.repairs,
            harvested_at=now,
            kind=description.kind,
            parent_local_id=description.parent_local_id,
            data=description.data,
            error=description.error,
        )
        if description.error:
            result.failed += 1
            result.failures.append({"local_id": local_id, "error": description.error[:500]})
        elif description.kind == BIB:
            own_holdings[row.local_id] = description.holdings
        return row

    def _save(
        self,
        creates: list[SourceRecord],
        updates: list[SourceRecord],
        result: PageResult,
    ) -> None:
        if creates:

            def keep_refused(row: SourceRecord, exc: DatabaseError) -> None:
                self._refuse(row, exc, result)
                row.save(force_insert=True)

            _in_batch_or_each(
                creates,
                lambda rows: bulk.insert(SourceRecord, rows),
                lambda row: row.save(force_insert=True),
                keep_refused,
            )
            result.added += len(creates)
        for row in updates:
            if row.error:
                row.data = None  # type: ignore[assignment]  # keep the last good description
        good_updates = [row for row in updates if not row.error]
        failed_updates = [row for row in updates if row.error]
        fields = [name for name in RECORD_FIELDS if name not in ("data", "kind", "parent_local_id")]
        if good_updates:
            _in_batch_or_each(
                good_updates,
                lambda rows: bulk.update(SourceRecord, rows, RECORD_FIELDS),
                lambda row: row.save(update_fields=RECORD_FIELDS),
                lambda row, exc: self._refuse(row, exc, result),
            )
            failed_updates += [row for row in good_updates if row.error]  # refused: stored below
            good_updates = [row for row in good_updates if not row.error]
        if failed_updates:
            bulk.update(SourceRecord, failed_updates, fields)
        result.updated += len(updates)
        written = {row.pk: row.data for row in creates + good_updates if row.kind == BIB and not row.error}
        result.changed_ids.update(written)
        result.changed_data.update(written)

    def _refuse(self, row: SourceRecord, exc: DatabaseError, result: PageResult) -> None:
        """The database refused this record as described: it is to be kept with its raw bytes and
        the error (an update keeps the last good description), and counts as failed."""
        row.error = storable(f"not stored as described: {exc}")[:2000]
        row.data = {}
        result.failed += 1
        result.failures.append({"local_id": row.local_id, "error": row.error[:500]})

    # -- holdings --------------------------------------------------------------------------

    def _rebuild_holdings(
        self,
        written: list[SourceRecord],
        own_holdings: dict[str, list[dict[str, Any]]],
        holdings_parents: set[str],
        deleted_ids: list[int],
        now: datetime,
        result: PageResult,
    ) -> None:
        """Holdings rows hang on the bibliographic record: its own fields plus linked records."""
        bibs = {row.pk: row for row in written if row.kind == BIB and not row.error}
        for bib in parents_of(self.source, holdings_parents):
            bibs.setdefault(bib.pk, bib)
        deleted = set(deleted_ids)
        bibs = {pk: bib for pk, bib in bibs.items() if pk not in deleted and not bib.deleted}
        if not bibs:
            return
        linked = linked_holdings(self.source, bibs.values())
        rows: list[dict[str, Any]] = []
        for pk, bib in bibs.items():
            own = own_holdings.get(bib.local_id)
            if own is None:
                own = self._reparse_own_holdings(bib)
            for entry in own + linked.get(pk, []):
                holding = self._holding_row(pk, entry, now, result)
                if holding is not None:
                    rows.append(holding)
        Holding.objects.filter(record_id__any=list(bibs)).delete()

        def refused(row: dict[str, Any], exc: DatabaseError) -> None:
            local_id = bibs[row["record_id"]].local_id
            result.failures.append(
                {"local_id": local_id, "error": storable(f"holding not stored: {exc}")[:500]}
            )

        _in_batch_or_each(
            rows,
            lambda batch: bulk.insert_values(Holding, batch),
            lambda row: bulk.insert_values(Holding, [row]),
            refused,
        )
        result.changed_ids.update(bibs)

    def refresh_holdings(self, removed: list[int]) -> set[int]:
        """After records were marked deleted outside a page (a full run's convergence): rebuild the
        holdings of the bibs that withdrawn holdings records pointed to; returns those bibs' ids."""
        parents = set(
            SourceRecord.objects.filter(id__any=removed, kind=HOLDINGS)
            .exclude(parent_local_id="")
            .values_list("parent_local_id", flat=True)
        )
        result = PageResult()
        self._rebuild_holdings([], {}, parents, removed, timezone.now(), result)
        return result.changed_ids

    def _reparse_own_holdings(self, bib: SourceRecord) -> list[dict[str, Any]]:
        parsed = parse_by_format(bytes(bib.raw), bib.raw_format)
        if parsed.record is None:
            return []
        holdings: list[dict[str, Any]] = mapping.extract_holdings(
            parsed.record, self.source.holdings_profile, self.default_library
        )
        return holdings

    def _holding_row(
        self, record_id: int, entry: dict[str, Any], now: datetime, result: PageResult
    ) -> dict[str, Any] | None:
        """The Holding row (``bulk.insert_values``) for one holdings entry of the mapping."""
        code = str(entry.get("library") or "")
        library_id = self.libraries.get(code)
        if library_id is None:
            result.unknown_sigels[code] = result.unknown_sigels.get(code, 0) + 1
            return None
        status = str(entry.get("status") or "unknown")
        return {
            "record_id": record_id,
            "library_id": library_id,
            "branch": str(entry.get("branch") or "")[:200],
            "shelf": str(entry.get("shelf") or "")[:200],
            "call_number": str(entry.get("call_number") or "")[:200],
            "item_id": str(entry.get("item_id") or "")[:100],
            "summary": str(entry.get("summary") or "")[:500],
            "item_count": min(max(int(entry.get("item_count") or 1), 0), _INT4_MAX),
            "status": status if status in _STATUSES else ItemStatus.UNKNOWN.value,
            "due_date": _date(entry.get("due_date")),
            "queue_length": entry.get("queue_length"),
            "checked_at": now,
        }


def _in_batch_or_each(
    rows: Sequence[Row],
    write_batch: Callable[[Sequence[Row]], object],
    write_one: Callable[[Row], object],
    refused: Callable[[Row, DatabaseError], None],
) -> None:
    """Write rows in one batch; if the database refuses the batch, write them one at a time, each
    in a savepoint of its own, and hand every row it still refuses to ``refused``. So one bad row
    costs the page that row, never the page (nor every later run of the source)."""
    if not rows:
        return
    try:
        with transaction.atomic():
            write_batch(rows)
        return
    except DatabaseError as exc:
        logger.warning("a batch of %d rows was refused (%s); writing them one at a time", len(rows), exc)
    for row in rows:
        try:
            with transaction.atomic():
                write_one(row)
        except DatabaseError as exc:
            refused(row, exc)


def _synthetic_id(item: HarvestedItem, digest: str) -> str:
    """An id for a record without 001: its content hash (under its bib, for holdings)."""
    if item.parent_local_id:
        return f"{item.parent_local_id}#h{digest[:16]}"
    return f"sha256:{digest[:32]}"


def _date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
