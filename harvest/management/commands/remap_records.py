"""`manage.py remap_records [SOURCE_ID ...]`: describe every stored record again with today's
mapping, re-cluster the changed ones and queue their titles for re-indexing."""

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from harvest.models import Source
from harvest.remap import BATCH, remap
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = (
        "Re-map the stored bibliographic records from their raw MARC (after an upgrade that maps "
        "more, e.g. accessible media or 880 fields), re-cluster those whose description or match "
        "keys changed and queue the affected titles for re-indexing. Without SOURCE_ID: every source."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source_ids", nargs="*", type=int, metavar="SOURCE_ID")
        parser.add_argument("--batch", type=int, default=BATCH, help="records per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        ids: list[int] = options["source_ids"]
        sources = list(Source.objects.filter(pk__in=ids)) if ids else None
        if sources is not None and len(sources) != len(set(ids)):
            raise CommandError(f"no source with id {sorted(set(ids) - {s.pk for s in sources})}")
        started = time.monotonic()
        total = remap(sources, max(1, options["batch"]))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"remap_records: {total.seen} records in {seconds:.1f} s, {total.changed} described anew, "
            f"{total.rekeyed} keyed anew, "
            f"{total.signed} signed (clustered before signatures were kept), "
            f"{total.failing} failing the mapping now (kept as they were), "
            f"{total.clusters} titles queued for re-indexing"
        )
