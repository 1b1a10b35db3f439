"""Helpers for work over many records at once (clustering, building search documents)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. With many decoded records alive it walks them all
    again and again as new objects are made: a third of a clustering run, half of building
    search documents. Bulk work over records makes no reference cycles, so nothing is lost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
