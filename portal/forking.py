"""Work in a forked child process: a bare fork and a pipe, not multiprocessing.

Celery's prefork pool runs tasks in daemonic processes, which multiprocessing will not let have
children, and a multiprocessing child ends by cleaning up after processes of its parent's that it
inherited. A forked child sees the parent's memory as it was (copy on write), so what the parent
has decoded already need not travel; only the result comes back, pickled.
"""

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from asgiref.local import Local
from django.db import connections

T = TypeVar("T")
_inherited: list[Any] = []  # the parent's database connections, in a child: kept, never used


def can_fork() -> bool:
    return hasattr(os, "fork")


def own_connections() -> None:
    """In a child: leave the parent's open connections alone (closing one would end the parent's
    session, and a transaction may be open on it) and open new ones when needed."""
    _inherited.extend(connections.all(initialized_only=True))
    connections._connections = Local(connections.thread_critical)  # type: ignore[attr-defined]


def portable(exc: BaseException, wrapper: Callable[[str], BaseException]) -> BaseException:
    """The exception itself if it survives pickling, else ``wrapper`` saying what it was."""
    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own bytes, just made
    except Exception:
        return wrapper(f"{type(exc).__name__}: {exc}")
    return exc


def reap(child: int) -> int:
    """Wait for a child to end; its exit code (negative: the signal that ended it)."""
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])


class ChildFailed(RuntimeError):
    """The child ended without a result, or raised what could not travel back."""


@contextmanager
def forked(function: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Run ``function`` in a forked child; yields a function that waits for its result (raising
    what the child raised). Leaving the block early ends the child."""
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read_end)
        code = 1
        try:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends us
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which ends us
            own_connections()
            with Connection(write_end, readable=False) as out:
                try:
                    message: tuple[str, Any] = ("result", function())
                except BaseException as exc:
                    message = ("error", portable(exc, ChildFailed))
                with contextlib.suppress(BrokenPipeError):
                    out.send(message)
            code = 0
        finally:
            connections.close_all()  # our own, not the parent's (see own_connections)
            os._exit(code)  # no exit handlers: they are the parent's
    os.close(write_end)
    running = True

    def result() -> T:
        nonlocal running
        with Connection(read_end, writable=False) as pipe:
            try:
                kind, payload = pipe.recv()
            except (EOFError, OSError):  # it ended without a word
                running = False
                raise ChildFailed(f"the child process ended unexpectedly (exit code {reap(child)})") from None
        running = False
        reap(child)
        if kind == "error":
            raise payload
        return payload  # type: ignore[no-any-return]

    try:
        yield result
    finally:
        if running:
            with contextlib.suppress(OSError):
                os.close(read_end)
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
            reap(child)
