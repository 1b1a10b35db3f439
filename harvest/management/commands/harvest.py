"""python manage.py harvest [SOURCE_ID ...] [--all] [--full] — runs now, in-process."""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from harvest.locking import SourceBusy
from harvest.models import HarvestRun, Source
from harvest.services import harvest_sources
from portal import jobs
from portal.commands import EnglishCommand


def describe(run: HarvestRun) -> str:
    return (
        f"source {run.source_id}: {run.status}, {run.added} added, {run.updated} updated, "
        f"{run.unchanged} unchanged, {run.deleted} deleted, {run.failed} failed"
    )


class Command(EnglishCommand):
    help = (
        "Harvest sources now (resuming unfinished runs); --full re-reads everything and deletes what is gone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source_ids", nargs="*", type=int, metavar="SOURCE_ID")
        parser.add_argument("--all", action="store_true", help="every enabled source")
        parser.add_argument("--full", action="store_true", help="re-read the whole source and converge")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = self._source_ids(options)
        problems: list[str] = []
        totals = {"added": 0, "updated": 0, "unchanged": 0, "deleted": 0, "failed": 0}
        # All sources first, then one clustering run over what they wrote, and its re-indexing
        # too, before the summary line.
        with jobs.in_this_process():
            outcomes = harvest_sources(ids, full=options["full"])
        for source_id, run in outcomes.items():
            if isinstance(run, SourceBusy):
                problems.append(str(run))
                continue
            if isinstance(run, Exception):
                problems.append(f"source {source_id}: {type(run).__name__}: {run}")
                continue
            self.stdout.write(describe(run))
            for key in totals:
                totals[key] += getattr(run, key)
            if run.status != HarvestRun.Status.COMPLETE:
                last = (run.errors or [{}])[-1].get("message", "")
                problems.append(f"source {source_id} {run.status}: {last}")
        summary = ", ".join(f"{value} {key}" for key, value in totals.items())
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"harvested {len(ids)} sources with {len(problems)} problems: {summary}")
        self.stdout.write(f"harvested {len(ids)} sources: {summary}")

    def _source_ids(self, options: dict[str, Any]) -> list[int]:
        if options["all"]:
            return list(Source.objects.filter(enabled=True).values_list("id", flat=True))
        ids: list[int] = options["source_ids"]
        if not ids:
            raise CommandError("name SOURCE_ID ... or use --all")
        known = set(Source.objects.filter(id__in=ids).values_list("id", flat=True))
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            raise CommandError(f"unknown source id(s): {', '.join(unknown)}")
        return ids
