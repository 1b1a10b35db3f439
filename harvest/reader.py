"""Read and prepare a source's next pages in child processes while this one stores the current page.

Fetching, XML, MARC decoding, encoding repair and mapping (``harvest.prepare``) write nothing to
the database, so forked children do them for the next pages while the writer stores a page and
clusters it. Each child reads its pages' stored checksums over a connection of its own and leaves
unchanged records unparsed, as the writer would. The writer still compares checksums itself, and
parses whatever arrives without a description.

A child of a source with stored records first reads the checksums of all its live bibliographic
records (``known_records``, about two microseconds a record), so that a driver that can (a MARC
file) hands on each record stored as it is by its id alone, without reading it: in a nightly run
that is nearly every record.

Preparing costs more than storing, so in a source's first load, where listing the pages costs
little (a local file: ``HarvestProtocol.lists_cheaply``), ``HARVEST_PAGE_READERS`` children
(default two) each list every page and prepare every n-th, and the writer takes the pages from
them in turn. Anything fetched over the network is read by one child: a second would fetch it all
again. So is a source that has records already: most of them are unchanged, and a second child
would list them all again to save little (an unchanged record costs 2.4 µs to list in ISO 2709,
6.6 µs in MARCXML).

Each child resumes from the run's saved state like the writer did, so all list the same pages;
a page read ahead but not stored is read again by the next run. Without ``fork`` (or with the
setting ``HARVEST_READER_PROCESS`` off) pages are read one ahead in a thread and prepared by the
writer.
"""

import contextlib
import gc
import itertools
import logging
import os
import queue
import signal
import threading
from collections.abc import Generator
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connections

from catalog.models import SourceRecord
from harvest.prefetch import read_ahead
from harvest.prepare import checksum, describe
from harvest.protocols import HarvestError, HarvestProtocol
from harvest.protocols.base import KnownRecords, Page
from portal.forking import own_connections, portable, reap

if TYPE_CHECKING:
    from harvest.models import HarvestRun

logger = logging.getLogger(__name__)
_DONE = "done"


def prepared_pages(protocol: HarvestProtocol, run: "HarvestRun") -> Generator[Page, None, None]:
    """The run's pages, in order, each item with its checksum (and description, if it changed)."""
    if not settings.HARVEST_READER_PROCESS or not hasattr(os, "fork"):
        yield from read_ahead(protocol.pages(run))
        return
    stored = SourceRecord.objects.filter(source=protocol.source, deleted=False).exists()
    # A source with records already is mostly unchanged: listing is then most of the work.
    count = settings.HARVEST_PAGE_READERS if protocol.lists_cheaply() and not stored else 1
    readers: list[tuple[int, Connection]] = []
    try:
        for share in range(count):
            readers.append(_start_reader(protocol, run, stored, share, count, readers))
        for turn in itertools.count():
            child, pages = readers[turn % count]
            try:
                kind, payload = pages.recv()
            except (EOFError, OSError):  # it ended between messages, or in the middle of one
                code = reap(child)
                readers[turn % count] = (0, pages)
                raise HarvestError(f"the page reader ended unexpectedly (exit code {code})") from None
            if kind == _DONE:  # the others have no page after this one either
                return
            if kind == "error":
                raise payload
            yield payload
    finally:
        for child, pages in readers:
            pages.close()  # a reader still sending gets a broken pipe
            if child:  # not reaped yet, so the pid is still its own
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGTERM)
                reap(child)


def _start_reader(
    protocol: HarvestProtocol,
    run: "HarvestRun",
    stored: bool,
    share: int,
    count: int,
    started: list[tuple[int, Connection]],
) -> tuple[int, Connection]:
    """Fork a reader of pages ``share``, ``share + count`` …; its pid and the end we read from.
    ``started``: the readers before it, whose pipes it must not hold open."""
    # A bare fork and a pipe, not multiprocessing: Celery's prefork pool runs tasks in daemonic
    # processes, which multiprocessing will not let have children, and a multiprocessing child
    # ends by cleaning up after processes of its parent's that it inherited.
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        for _pid, other in started:
            other.close()
        code = 1
        try:
            _read(protocol, run, Connection(write_end, readable=False), stored, share, count)
            code = 0
        finally:
            os._exit(code)  # no exit handlers: they are the parent's
    os.close(write_end)
    return child, Connection(read_end, writable=False)


def _read(
    protocol: HarvestProtocol,
    run: "HarvestRun",
    pages: Connection,
    stored: bool,
    share: int,
    count: int,
) -> None:
    """The child: read every page, prepare and send pages ``share``, ``share + count`` …, then
    ``done`` (or the error that stopped it), after the last page or where it would be its turn.
    ``stored``: whether the source had records when the run began (else none can be unchanged).
    Sending waits while the writer is behind; if the writer is gone, it fails and we end."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends us; its own handlers are not ours
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which ends us
    own_connections()
    # What we inherited is never garbage; what a page makes is freed with it (no cycles), so the
    # collector only runs now and then instead of walking new records over and over.
    gc.freeze()
    gc.disable()
    sender = _Sender(pages)
    try:
        if stored and protocol.uses_known_records:
            protocol.known = known_records(protocol.source.pk)
        for number, page in enumerate(protocol.pages(run)):
            if number % count == share:
                sender.send(("page", prepare_page(page, protocol, stored)))
            if number % (20 * count) == share:
                gc.collect()
        sender.send((_DONE, None))
    except BrokenPipeError:
        return  # the writer stopped reading (its run ended or failed, or it was killed)
    except BaseException as exc:
        if not isinstance(exc, HarvestError):
            logger.exception("reading the pages of source %s failed", protocol.source.pk)
        with contextlib.suppress(BrokenPipeError):
            sender.send(("error", portable(exc, HarvestError)))
    finally:
        sender.close()
        connections.close_all()


class _Sender:
    """Sends the child's messages from a thread, so that the next page is prepared while the
    writer is still busy with the one before (one page may wait here, one in the pipe)."""

    def __init__(self, pages: Connection) -> None:
        self.pages = pages
        self.outbox: queue.Queue[tuple[str, Any] | None] = queue.Queue(maxsize=1)
        self.broken = threading.Event()
        self.thread = threading.Thread(target=self._run, name="harvest-reader-send", daemon=True)
        self.thread.start()

    def send(self, message: tuple[str, Any] | None) -> None:
        """Queue a message; BrokenPipeError once the writer is gone."""
        while not self.broken.is_set():
            try:
                self.outbox.put(message, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("the writer stopped reading")

    def close(self) -> None:
        """Wait until all that was queued is sent, or the writer is gone."""
        with contextlib.suppress(BrokenPipeError):
            self.send(None)
        self.thread.join()

    def _run(self) -> None:
        while (message := self.outbox.get()) is not None:
            try:
                self.pages.send(message)
            except OSError:  # a broken pipe: the writer is gone
                self.broken.set()
                return


def prepare_page(page: Page, protocol: HarvestProtocol, stored: bool = True) -> Page:
    """Checksums for every record, descriptions for those whose stored checksum differs; the
    parsed MARC and lazy parsers are dropped (they do not cross processes)."""
    source = protocol.source
    library = source.library_code
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


def known_records(source_id: int) -> KnownRecords | None:
    """The source's live bibliographic records by checksum; None if the database cannot say.
    About 220 bytes a record in memory (a source of a million: 220 MB in its page reader)."""
    try:
        rows = SourceRecord.objects.filter(
            source_id=source_id, deleted=False, kind=SourceRecord.Kind.BIB, checksum__regex="^[0-9a-f]{64}$"
        )
        return KnownRecords(rows.values_list("local_id", "checksum", "id").iterator(chunk_size=20_000))
    except DatabaseError as exc:
        logger.debug("no stored checksums for source %s: %s", source_id, exc)
        return None


def _stored_checksums(source_id: int, local_ids: list[str]) -> dict[str, str]:
    """Checksums of the live stored records among these; empty if the database cannot say."""
    try:
        rows = SourceRecord.objects.filter(source_id=source_id, local_id__any=local_ids, deleted=False)
        return dict(rows.values_list("local_id", "checksum"))
    except DatabaseError as exc:  # e.g. an in-memory test database, private to the parent
        logger.debug("no stored checksums for source %s: %s", source_id, exc)
        return {}
