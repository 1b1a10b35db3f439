"""LIBRIS MARC21 export: one POST of the source's export profile per run, for one time window.

(libris/librisxl ``marc_export/marc-export-documentation.md``.) The answer is every bibliographic
record changed in the window that the profile's libraries (``locations``) hold, each with all of
their current holdings: merged into it (``holdtype=interleaved``: 852 … with ``$5`` sigel) or as
holdings records right after it (``after``). So each bib speaks for all its holdings: those it no
longer carries are withdrawn. Deleted records come marked in the leader (``deleted=export``) or
as ids in CSV after a NUL byte (``append``); ``virtualDelete=true`` counts a title none of the
libraries holds any more as deleted.

The window runs from the end of the last complete run (``Source.harvest_from``; the beginning of
time for the first or a ``--full`` run) to ``until``, our clock at the run's first request, saved
with the first page; it moves only when the run completes. A run that stops (a dropped
connection, a crash) asks for the same window again and skips the bibs it stored already —
``position`` counts them — so it neither duplicates nor skips. The source is regional by nature.
"""

import csv
import http.client
import io
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.mapping.holdings import HOLDINGS_TYPES, is_holdings_record
from harvest.locations import open_url
from harvest.protocols.base import HarvestedItem, HarvestError, HarvestProtocol, Page
from harvest.protocols.libris_body import ExportBody, ExportCut, record_chunks
from harvest.protocols.libris_profile import (
    ExportAddress,
    ExportProfile,
    ProfileError,
    parse_address,
    parse_profile,
)
from harvest.records import ISO2709_LATIN1, MARCXML_LATIN1, ParsedRecord, control_number

if TYPE_CHECKING:
    from harvest.models import HarvestRun, Source

logger = logging.getLogger(__name__)
PAGE_SIZE = 500  # records a page holds at least (a page ends after a bib's last holdings record)
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)
USER_AGENT = "Samsok-harvester/1.0 (+union catalogue; LIBRIS MARC export)"
RETRYABLE_STATUS = (429, 500, 502, 503, 504)
_XML_LEADER = re.compile(rb"<(?:[\w.-]+:)?leader>([^<]{24})<")


def export_time(moment: datetime) -> str:
    """ISO 8601 in UTC with its zone, to the second: ``2026-12-04T17:00:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Group:
    """One bib as exported and the holdings records that came after it."""

    items: list[HarvestedItem] = field(default_factory=list)
    bib: HarvestedItem | None = None
    holdings: list[str] = field(default_factory=list)

    def close(self) -> list[HarvestedItem]:
        if self.bib is not None and not self.bib.deleted:
            self.bib.about_holdings = tuple(self.holdings)
        return self.items


class LibrisExportProtocol(HarvestProtocol):
    label = _("LIBRIS MARC export")
    regional = True

    @classmethod
    def validate_source(cls, source: "Source") -> None:
        try:
            parse_profile(source.export_profile)
        except ProfileError as exc:
            raise ValidationError({"export_profile": str(exc)}) from exc
        try:
            parse_address(source.url)
        except ProfileError as exc:
            raise ValidationError({"url": str(exc)}) from exc

    def pages(self, run: "HarvestRun") -> Iterator[Page]:
        try:
            profile = parse_profile(self.source.export_profile)
            address = parse_address(self.source.url)
        except ProfileError as exc:
            raise HarvestError(str(exc)) from exc
        start = run.window_from if run.window_from and not run.full else BEGINNING
        until = run.window_until or timezone.now().replace(microsecond=0)
        url = address.request_url(export_time(start), export_time(until))
        options: dict[str, Any] = settings.HARVEST_OAI_HTTP
        retries, backoff = int(options.get("retries", 5)), float(options.get("backoff", 2.0))
        done = run.position
        for attempt in range(retries + 1):
            try:
                for page in self._read(url, profile, address, done, until):
                    done = page.position
                    yield page
                return
            except ExportCut as exc:
                if attempt == retries:
                    raise HarvestError(f"giving up on {url} after {attempt + 1} attempts: {exc}") from exc
                logger.info("LIBRIS export %s: %s; asking again, skipping %d bibs", url, exc, done)
                time.sleep(backoff * (2**attempt))

    def _read(
        self, url: str, profile: ExportProfile, address: ExportAddress, skip: int, until: datetime
    ) -> Iterator[Page]:
        """Pages of one answer, after its first ``skip`` bibs (stored by an earlier attempt)."""
        with post(url, self.source.export_profile.encode("utf-8")) as response:
            body = ExportBody(response, separated=address.deleted == "append")
            items: list[HarvestedItem] = []
            seen = 0
            for group in self._groups(body, profile):
                seen += 1
                if seen <= skip:
                    continue
                items += group.close()
                if len(items) >= PAGE_SIZE:
                    yield Page(items, position=seen, window_until=until)
                    items = []
            items += deleted_items(body.appended())
            yield Page(items, position=max(seen, skip), window_until=until)

    def _groups(self, body: ExportBody, profile: ExportProfile) -> Iterator[Group]:
        raw_format = _raw_format(profile)
        group = Group()
        for raw, parsed in record_chunks(body, profile.marcxml, profile.latin1):
            kind = record_type(raw, parsed)
            if kind == "z":
                continue  # an authority record (authtype=after): not a title of the catalogue
            if kind not in HOLDINGS_TYPES:  # a bib begins a group (so does a record too broken to say)
                if group.items:
                    yield group
                group = Group()
            item = _item(raw, parsed, raw_format, group)
            group.items.append(item)
            if parsed.record is None:
                continue
            if kind not in HOLDINGS_TYPES:
                group.bib = item
            elif not item.deleted and item.parent_local_id == _bib_id(group):
                group.holdings.append(item.local_id)
        if group.items:
            yield group


def record_type(raw: bytes, parsed: ParsedRecord) -> str:
    """Leader/06 (type of record) of the record, or of its bytes if it could not be read."""
    if parsed.record is not None:
        return str(parsed.record.leader)[6]
    leader = _XML_LEADER.search(raw)
    text = leader.group(1) if leader else raw[:24] if raw[:5].isdigit() else b""
    return text[6:7].decode("latin-1")


def _raw_format(profile: ExportProfile) -> str:
    if profile.marcxml:
        return MARCXML_LATIN1 if profile.latin1 else "marcxml"
    return ISO2709_LATIN1 if profile.latin1 else "iso2709"


def _bib_id(group: Group) -> str:
    return group.bib.local_id if group.bib is not None else ""


def _item(raw: bytes, parsed: ParsedRecord, raw_format: str, group: Group) -> HarvestedItem:
    """A harvested item; a deleted one (leader/05 ``d``) carries only its id. A holdings record
    belongs to the bib its 004 names, else to the bib it follows; without an 001 of its own it is
    that bib's holding for its sigel (LIBRIS has one holdings record per library and title)."""
    record = parsed.record
    if record is None:
        return HarvestedItem(local_id="", raw=raw, raw_format=raw_format, parsed=parsed)
    local_id = control_number(record)
    if record.leader[5] == "d":
        return HarvestedItem(local_id=local_id, raw=b"", raw_format=raw_format, deleted=True)
    item = HarvestedItem(local_id=local_id, raw=raw, raw_format=raw_format, parsed=parsed)
    if is_holdings_record(record):
        links = record.get_fields("004")
        item.parent_local_id = (links[0].data or "").strip() if links else _bib_id(group)
        if not local_id and item.parent_local_id:
            sigels = [field.get("b") for field in record.get_fields("852") if field.get("b")]
            item.local_id = f"{item.parent_local_id}#{sigels[0] if sigels else len(group.holdings)}"
    return item


def deleted_items(appended: bytes) -> list[HarvestedItem]:
    """The ids after the NUL byte (``deleted=append``): CSV, the id first on each line (a
    header line, if any, is skipped), as deletions."""
    text = appended.decode("utf-8", "replace")
    ids = [row[0].strip() for row in csv.reader(io.StringIO(text)) if row and row[0].strip()]
    if ids and ids[0].lower() in ("id", "identifier", "controlnumber"):
        ids = ids[1:]
    return [HarvestedItem(local_id=local_id, raw=b"", raw_format="", deleted=True) for local_id in ids]


def post(url: str, profile: bytes) -> Any:
    """POST the profile; trouble worth asking again about raises ExportCut, the rest HarvestError."""
    request = urllib.request.Request(  # noqa: S310 (http(s) only: harvest.locations.open_url)
        url,
        data=profile,
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8", "User-Agent": USER_AGENT},
    )
    timeout = float(settings.HARVEST_OAI_HTTP.get("timeout", 60.0))
    try:
        return open_url(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code in RETRYABLE_STATUS:
            raise ExportCut(f"HTTP {exc.code}") from exc
        detail = exc.read(300).decode("utf-8", "replace").strip()
        raise HarvestError(f"HTTP {exc.code} from {url}: {detail}") from exc
    except (TimeoutError, urllib.error.URLError, http.client.HTTPException, ConnectionError) as exc:
        raise ExportCut(f"{type(exc).__name__}: {exc}") from exc
