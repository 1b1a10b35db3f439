"""Library names by sigel, for facets, hits and labels: one cached copy per process."""

import time

from django.db.models.signals import post_delete, post_save

from catalog.models import Library

# Libraries change a few times a year; another process sees a change within this many seconds.
NAMES_SECONDS = 60

_names: dict[str, str] = {}
_read_at: float = -NAMES_SECONDS


def library_names() -> dict[str, str]:
    """Sigel -> library name (no database or cache round trip on most calls)."""
    global _names, _read_at
    if time.monotonic() - _read_at >= NAMES_SECONDS:
        _names, _read_at = dict(Library.objects.values_list("code", "name")), time.monotonic()
    return _names


def forget_library_names(**kwargs: object) -> None:
    """A library was saved or deleted in this process: read the names again next time."""
    global _read_at
    _read_at = -NAMES_SECONDS


post_save.connect(forget_library_names, sender=Library, dispatch_uid="library-names")
post_delete.connect(forget_library_names, sender=Library, dispatch_uid="library-names-deleted")
