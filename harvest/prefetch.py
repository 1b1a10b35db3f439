"""Read the next page while the current one is being stored.

Fetching and parsing (network waits, lxml) overlap with the database work of the page before
(PostgreSQL works in its own process). Saved state is unaffected: a page's state is stored with
that page, so a page read ahead but never stored is simply read again after a crash.
"""

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(pages: Iterator[T], depth: int = 1) -> Iterator[T]:
    """Yield from ``pages`` (run in a thread) with up to ``depth`` pages read ahead."""
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for page in pages:
                while not stop.is_set():
                    try:
                        buffer.put(page, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(_DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            buffer.put(exc)

    worker = threading.Thread(target=produce, name="harvest-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        close = getattr(pages, "close", None)
        worker.join(timeout=5)
        if close is not None and not worker.is_alive():
            close()
