"""One run per source at a time, across processes and machines.

PostgreSQL: a session-level advisory lock (released by the server if the process dies).
SQLite (the embedded default, one machine): an exclusive ``flock`` on a file under DATA_DIR.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

# First key of the two-key advisory lock: "harvest" in ASCII, so other areas can pick their own.
LOCK_NAMESPACE = 0x68617276


class SourceBusy(Exception):
    """Another run of this source is in progress."""


@contextmanager
def source_lock(source_id: int) -> Iterator[None]:
    """Hold the source's lock for the block; raise SourceBusy at once if someone else has it."""
    if connection.vendor == "postgresql":
        with _advisory_lock(source_id):
            yield
    else:
        with _file_lock(source_id):
            yield


def source_lock_held(source_id: int) -> bool:
    """Whether a run of the source holds its lock now (any process, this one included); a run
    still marked running while its lock is free was interrupted (its process died)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Read pg_locks rather than try the lock: taking it, even briefly, could turn a
            # starting run away. A two-key advisory lock has objsubid 2; its keys are the
            # database's own (another database on the server may lock the same numbers).
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = %s AND objid = %s AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database()))",
                [LOCK_NAMESPACE, source_id],
            )
            (held,) = cursor.fetchone()
        return bool(held)
    path = _lock_path(source_id)
    if not path.exists():
        return False
    with path.open("a") as handle:  # flock is per open file: this one conflicts with a holder's
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


@contextmanager
def _advisory_lock(source_id: int) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_id])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise SourceBusy(f"source {source_id} is being harvested already")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source_id])


@contextmanager
def _file_lock(source_id: int) -> Iterator[None]:
    path = _lock_path(source_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise SourceBusy(f"source {source_id} is being harvested already") from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_path(source_id: int) -> Path:
    return Path(settings.DATA_DIR) / "locks" / f"harvest-source-{source_id}.lock"
