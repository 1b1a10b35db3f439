"""A file cache whose counters are exact across processes: the embedded default's shared counters.

Without Redis, each gunicorn worker has its own memory cache, so lockout and rate-limit counters
were per process and gone after a restart. Django's FileBasedCache is shared by every process of
an instance, but its `add` and `incr` read and then write (two processes can count one hit) and
its `incr` re-sets the entry with the default timeout (a window would move on every hit). Here
both run under one lock file, and `incr` keeps the entry's expiry.
"""

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._folder = os.path.abspath(dir)

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        os.makedirs(self._folder, 0o700, exist_ok=True)
        # Not a *.djcache file: culling and clear() leave the lock alone.
        with open(os.path.join(self._folder, "counters.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        with self._exclusive():
            return bool(super().add(key, value, timeout, version))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        with self._exclusive():
            expiry, value = self._read(self._key_to_file(key, version), key)  # type: ignore[attr-defined]
            remaining = None if expiry is None else expiry - time.time()
            if remaining is not None and remaining <= 0:
                raise ValueError(f"Key {key!r} not found")
            new_value = int(value) + delta
            self.set(key, new_value, remaining, version)
            return new_value

    def _read(self, fname: str, key: str) -> tuple[float | None, Any]:
        # FileBasedCache's layout: the pickled expiry, then the compressed pickled value. Unpickling
        # is what FileBasedCache.get does too: the files are ours, in a folder only we may write.
        try:
            with open(fname, "rb") as f:
                expiry = pickle.load(f)  # noqa: S301
                return expiry, pickle.loads(zlib.decompress(f.read()))  # noqa: S301
        except (FileNotFoundError, EOFError):  # gone, or an empty file (Django reads it as expired)
            raise ValueError(f"Key {key!r} not found") from None
