"""`manage.py assign_works`: recompute every cluster's work and re-index the ones that changed."""

import time
from typing import Any

from catalog.clustering import queue_reindex
from catalog.clustering.works import rekey_all
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = (
        "Recompute the work key of every cluster and group the clusters into works again; "
        "the clusters whose work changed are queued for re-indexing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        seen, changed = rekey_all()
        if changed:
            queue_reindex(changed)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"assign_works: {seen} clusters in {seconds:.1f} s, {len(changed)} moved to another work"
        )
