"""python manage.py demo_county [--records N] [--seed S]

The sample county end to end, through the same code path real sources use: generate the MARC
files into $SAMSOK_DATA_DIR/demo/ (only if not already there for N/seed), register the ten
libraries and one marc-file source each, load the sample transport timetable, harvest them,
rebuild the search index, and create demo staff accounts (passwords in demo/credentials.txt, never
printed). Idempotent.
"""

import time
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db.models import Count

from catalog.models import Cluster, SourceRecord
from portal import jobs
from portal.commands import EnglishCommand
from sample import demo
from sample.transport import load_timetable


class Command(EnglishCommand):
    help = "Generate, register, harvest and index the sample county, and create demo staff accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--records", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["records"] < 1:
            raise CommandError("--records must be at least 1")
        started = time.monotonic()
        out_dir = demo.demo_dir()
        step = time.monotonic()
        generated = demo.ensure_generated(out_dir, options["records"], options["seed"], date.today())
        verb = "generated" if generated else "already generated"
        self.stdout.write(
            f"{verb}: {options['records']} records in {out_dir} ({time.monotonic() - step:.1f} s)"
        )
        sources = [demo.register_library(entry, out_dir, generated) for entry in demo.load_libraries(out_dir)]
        self.stdout.write(f"registered {len(sources)} libraries, one marc-file source each")
        routes, stops = load_timetable(date.today())
        self.stdout.write(f"transport timetable: {routes} routes, {stops} library stops, one hub")
        step = time.monotonic()
        with jobs.in_this_process():
            totals = demo.harvest_all(sources)
        harvest_seconds = time.monotonic() - step
        self.stdout.write(
            f"harvested {totals.sources} sources in {harvest_seconds:.1f} s: {totals.added} added, "
            f"{totals.updated} updated, {totals.unchanged} unchanged, {totals.deleted} deleted, "
            f"{totals.failed} failed"
        )
        for problem in totals.incomplete:
            self.stderr.write(f"  not complete: {problem}")
        step = time.monotonic()
        call_command("rebuild_index", stdout=self.stdout)
        index_seconds = time.monotonic() - step
        credentials = demo.ensure_demo_users(out_dir)
        self.stdout.write(f"staff accounts: usernames and passwords are in {credentials}")
        self._what_to_try()
        records = SourceRecord.objects.filter(deleted=False).count()
        clusters = Cluster.objects.count()
        self.stdout.write(
            f"demo_county: {len(sources)} libraries, {records} records in {clusters} titles, "
            f"harvest {harvest_seconds:.0f} s, index {index_seconds:.0f} s, "
            f"total {time.monotonic() - started:.0f} s"
        )
        if totals.incomplete:
            raise CommandError(f"{len(totals.incomplete)} source(s) did not harvest completely (see above)")

    def _what_to_try(self) -> None:
        popular = Cluster.objects.annotate(held=Count("members")).order_by("-held", "id").first()
        example = str(popular.data.get("title", "")) if popular else ""
        lines = [
            "What to try:",
            "  http://127.0.0.1:8000/                      search all ten libraries at once",
            f'  search for "{example}": one hit, held by {popular.held if popular else 0} libraries'  # type: ignore[attr-defined]
            if example
            else "  search for a title, then narrow by library, format or language",
            "  filter by format: a book and its audiobook are separate hits, linked as other formats",
            "  http://127.0.0.1:8000/api/v1/search?q=sjön  the JSON API (also /api/v1/libraries)",
            "  http://127.0.0.1:8000/staff/                fjärrlån and harvest health (see credentials.txt)",
        ]
        self.stdout.write("\n".join(lines))
