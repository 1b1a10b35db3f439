"""Read and prepare a source's next pages in a child process while this one stores the current page.

Fetching, XML, MARC decoding, encoding repair and mapping (``harvest.prepare``) write nothing to
the database, so a forked child does them up to ``DEPTH`` pages ahead while the writer stores a
page and clusters it: a run uses two cores. The child reads each page's stored checksums over a
connection of its own and leaves unchanged records unparsed, as the writer would. The writer
still compares checksums itself, and parses whatever arrives without a description.

The child resumes from the run's saved state like the writer did, and sends pages in order; a page
read ahead but not stored is read again by the next run. Without ``fork`` (or with the setting
``HARVEST_READER_PROCESS`` off) pages are read one ahead in a thread and prepared by the writer.
"""

import gc
import logging
import os
import pickle
import queue
import signal
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import billiard
from asgiref.local import Local
from django.conf import settings
from django.db import DatabaseError, connections

from catalog.models import SourceRecord
from harvest.prefetch import read_ahead
from harvest.prepare import checksum, describe
from harvest.protocols import HarvestError, HarvestProtocol
from harvest.protocols.base import Page

if TYPE_CHECKING:
    from harvest.models import HarvestRun

logger = logging.getLogger(__name__)
DEPTH = 2  # pages waiting for the writer
_DONE = "done"
_inherited: list[Any] = []  # the parent's database connections, in the child: kept, never used


def prepared_pages(protocol: HarvestProtocol, run: "HarvestRun") -> Iterator[Page]:
    """The run's pages, in order, each item with its checksum (and description, if it changed)."""
    if not settings.HARVEST_READER_PROCESS or "fork" not in billiard.get_all_start_methods():
        yield from read_ahead(protocol.pages(run))
        return
    # billiard (Celery's fork of multiprocessing): a task of Celery's prefork pool runs in a daemonic
    # process, and multiprocessing refuses to start a child from one.
    context: Any = billiard.get_context("fork")
    pages = context.Queue(maxsize=DEPTH)
    stored = SourceRecord.objects.filter(source=protocol.source, deleted=False).exists()
    child = context.Process(
        target=_read,
        args=(protocol, run, pages, stored),
        name=f"harvest-reader-{protocol.source.pk}",
        daemon=True,
    )
    child.start()
    try:
        while True:
            kind, payload = _next(pages, child)
            if kind == _DONE:
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=5)
        pages.cancel_join_thread()
        pages.close()


def _next(pages: Any, child: Any) -> tuple[str, Any]:
    while True:
        try:
            return pages.get(timeout=1)  # type: ignore[no-any-return]
        except queue.Empty:
            if child.is_alive():
                continue
        try:  # it may have sent its last message just before it ended
            return pages.get(timeout=1)  # type: ignore[no-any-return]
        except queue.Empty:
            raise HarvestError(f"the page reader ended unexpectedly (exit code {child.exitcode})") from None


class _WriterGone(Exception):
    """The process we read for has ended (killed before it could end us)."""


def _read(protocol: HarvestProtocol, run: "HarvestRun", pages: Any, stored: bool) -> None:
    """The child: read, prepare and send every page, then ``done`` (or the error that stopped it).
    ``stored``: whether the source had records when the run began (else none can be unchanged)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends us; its own handlers are not ours
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which ends us
    writer = os.getppid()
    _own_connections()
    # What we inherited is never garbage; what a page makes is freed with it (no cycles), so the
    # collector only runs now and then instead of walking new records over and over.
    gc.freeze()
    gc.disable()
    try:
        for number, page in enumerate(protocol.pages(run), start=1):
            _send(pages, ("page", prepare_page(page, protocol, stored)), writer)
            if number % 20 == 0:
                gc.collect()
        _send(pages, (_DONE, None), writer)
    except _WriterGone:
        pages.cancel_join_thread()  # nobody will read what is still queued
    except BaseException as exc:
        if not isinstance(exc, HarvestError):
            logger.exception("reading the pages of source %s failed", protocol.source.pk)
        _send(pages, ("error", _portable(exc)), writer)
    finally:
        connections.close_all()


def _send(pages: Any, message: tuple[str, Any], writer: int) -> None:
    """Queue a message, waiting while the writer is behind, but not for a writer that is gone."""
    while True:
        try:
            pages.put(message, timeout=1)
            return
        except queue.Full:
            if os.getppid() != writer:
                raise _WriterGone from None


def _own_connections() -> None:
    """In the child: leave the parent's open connections alone (closing one would end the parent's
    session, and a transaction may be open on it) and open new ones when needed."""
    _inherited.extend(connections.all(initialized_only=True))
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]


def _portable(exc: BaseException) -> BaseException:
    """The exception itself if it survives pickling, else a HarvestError saying what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:
        return HarvestError(f"{type(exc).__name__}: {exc}")
    return exc


def prepare_page(page: Page, protocol: HarvestProtocol, stored: bool = True) -> Page:
    """Checksums for every record, descriptions for those whose stored checksum differs; the
    parsed MARC and lazy parsers are dropped (they do not cross processes)."""
    source = protocol.source
    library = source.library.code if source.library_id and source.library else None
    for item in page.items:
        if not item.deleted:
            item.checksum = checksum(item.raw)
    local_ids = [item.local_id for item in page.items if item.local_id]
    checksums = _stored_checksums(source.pk, local_ids) if stored else {}
    for item in page.items:
        if not item.deleted and checksums.get(item.local_id) != item.checksum:
            item.description = describe(item.result(), item.parent_local_id, source.holdings_profile, library)
        item.parsed = item.parser = None
    return page


def _stored_checksums(source_id: int, local_ids: list[str]) -> dict[str, str]:
    """Checksums of the live stored records among these; empty if the database cannot say."""
    try:
        rows = SourceRecord.objects.filter(source_id=source_id, local_id__any=local_ids, deleted=False)
        return dict(rows.values_list("local_id", "checksum"))
    except DatabaseError as exc:  # e.g. an in-memory test database, private to the parent
        logger.debug("no stored checksums for source %s: %s", source_id, exc)
        return {}
