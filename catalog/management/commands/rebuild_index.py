"""`manage.py rebuild_index`: rebuild the search index from the database without downtime."""

import time
from typing import Any

from django.core.management.base import CommandError

from catalog.search import get_backend
from catalog.search.backends.base import SearchUnavailable
from catalog.search.indexing import rebuild_index
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = "Rebuild the search index from every cluster in the database (readers keep working)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            written = rebuild_index()
        except SearchUnavailable as error:
            raise CommandError(f"search engine unavailable: {error}") from error
        seconds = time.monotonic() - started
        backend = type(get_backend()).__name__
        rate = written / seconds if seconds else 0.0
        self.stdout.write(
            f"rebuild_index: {written} clusters indexed in {seconds:.1f} s ({rate:.0f}/s) by {backend}"
        )
