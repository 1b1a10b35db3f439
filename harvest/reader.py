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

A child may prepare up to ``READ_AHEAD_BYTES`` of pages ahead of the writer, and a run's readers
may start before its turn (``PageReaders``): ``harvest --all`` reads the next source's pages
while the writer stores this one's, so that in a nightly, where one core lists and the writer
mostly waits for it, two sources are listed at once.

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
import signal
import threading
from collections import deque
from collections.abc import Generator, Iterator
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
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
# Pages a reader may have prepared and not yet handed over (pickled): a source's listing runs
# ahead of the writer's, and the next source's ahead of its turn (``PageReaders``).
READ_AHEAD_BYTES = 64 * 1024 * 1024
_READ_ENDS: set[Connection] = set()  # this process's ends of its readers' pipes


def prepared_pages(
    protocol: HarvestProtocol, run: "HarvestRun", readers: "PageReaders | None" = None
) -> Generator[Page, None, None]:
    """The run's pages, in order, each item with its checksum (and description, if it changed).
    ``readers``: the run's readers, started ahead (``PageReaders``); else they start now."""
    if readers is None:
        if not reads_in_processes():
            yield from read_ahead(protocol.pages(run))
            return
        readers = PageReaders(protocol, run)
    try:
        yield from readers.pages()
    finally:
        readers.close()


def reads_in_processes() -> bool:
    """Whether pages are read in forked processes (else one ahead in a thread, by the writer)."""
    return bool(settings.HARVEST_READER_PROCESS) and hasattr(os, "fork")


class PageReaders:
    """A run's forked page readers, reading from the moment they are made; the writer takes their
    pages in turn (``pages``). Each may read ``READ_AHEAD_BYTES`` of pages ahead of the writer."""

    def __init__(self, protocol: HarvestProtocol, run: "HarvestRun", stored: bool | None = None) -> None:
        """``stored``: whether the source has live records, if the caller knows already."""
        if stored is None:
            stored = SourceRecord.objects.filter(source=protocol.source, deleted=False).exists()
        # A source with records already is mostly unchanged: listing is then most of the work.
        self.count = settings.HARVEST_PAGE_READERS if protocol.lists_cheaply() and not stored else 1
        self.readers: list[tuple[int, Connection]] = []
        try:
            for share in range(self.count):
                self.readers.append(_start_reader(protocol, run, stored, share, self.count))
        except BaseException:
            self.close()
            raise

    def pages(self) -> Iterator[Page]:
        readers, count = self.readers, self.count
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

    def close(self) -> None:
        """End and reap the readers (a reader still sending gets a broken pipe)."""
        for child, pages in self.readers:
            pages.close()
            _READ_ENDS.discard(pages)
            if child:  # not reaped yet, so the pid is still its own
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGTERM)
                reap(child)
        self.readers = []


def _start_reader(
    protocol: HarvestProtocol, run: "HarvestRun", stored: bool, share: int, count: int
) -> tuple[int, Connection]:
    """Fork a reader of pages ``share``, ``share + count`` …; its pid and the end we read from."""
    # A bare fork and a pipe, not multiprocessing: Celery's prefork pool runs tasks in daemonic
    # processes, which multiprocessing will not let have children, and a multiprocessing child
    # ends by cleaning up after processes of its parent's that it inherited.
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        for other in _READ_ENDS:  # other readers' pipes, this run's or another's, are not ours
            other.close()
        code = 1
        try:
            _read(protocol, run, Connection(write_end, readable=False), stored, share, count)
            code = 0
        finally:
            os._exit(code)  # no exit handlers: they are the parent's
    os.close(write_end)
    pages = Connection(read_end, writable=False)
    _READ_ENDS.add(pages)
    return child, pages


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
    """Sends the child's messages from a thread, so that it prepares its next pages while the
    writer is busy: up to ``READ_AHEAD_BYTES`` of them wait here (and always one, however big)."""

    def __init__(self, pages: Connection) -> None:
        self.pages = pages
        self.outbox: deque[bytes | None] = deque()
        self.held = 0  # bytes in the outbox
        self.moved = threading.Condition()
        self.broken = False
        self.thread = threading.Thread(target=self._run, name="harvest-reader-send", daemon=True)
        self.thread.start()

    def send(self, message: tuple[str, Any]) -> None:
        """Queue a message; BrokenPipeError once the writer is gone."""
        self._queue(bytes(ForkingPickler.dumps(message)))

    def close(self) -> None:
        """Wait until all that was queued is sent, or the writer is gone."""
        with contextlib.suppress(BrokenPipeError):
            self._queue(None)
        self.thread.join()

    def _queue(self, data: bytes | None) -> None:
        size = len(data or b"")
        with self.moved:
            while self.outbox and self.held + size > READ_AHEAD_BYTES and not self.broken:
                self.moved.wait()
            if self.broken:
                raise BrokenPipeError("the writer stopped reading")
            self.outbox.append(data)
            self.held += size
            self.moved.notify_all()

    def _run(self) -> None:
        while True:
            with self.moved:
                while not self.outbox:
                    self.moved.wait()
                data = self.outbox[0]
            if data is None:
                return
            try:
                self.pages.send_bytes(data)
            except OSError:  # a broken pipe: the writer is gone
                with self.moved:
                    self.broken = True
                    self.moved.notify_all()
                return
            with self.moved:
                self.outbox.popleft()
                self.held -= len(data)
                self.moved.notify_all()


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
