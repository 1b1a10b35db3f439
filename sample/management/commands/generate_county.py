"""python manage.py generate_county --records N --seed S --out DIR [--as-of YYYY-MM-DD] [--workers W]

Writes the sample county (one MARC file per library, libraries.json, ground_truth.tsv,
generation.json) into DIR. Deterministic: the same N, seed and --as-of give identical files.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from portal.commands import EnglishCommand
from sample import DEFAULT_AS_OF, generate_county


def parse_as_of(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--as-of must be a date like 2026-11-20, not {value!r}") from error


class Command(EnglishCommand):
    help = "Generate the sample county's MARC files with holdings and the merge ground truth."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--records", type=int, default=20_000, help="Bibliographic records in all (default 20000)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True, help="Folder to write into (created if missing).")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes cataloguing the libraries (same output, faster).",
        )
        parser.add_argument(
            "--as-of",
            default=DEFAULT_AS_OF.isoformat(),
            help="Reference date for due dates and record dates (default keeps output identical).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["records"] < 1:
            raise CommandError("--records must be at least 1")
        out = Path(options["out"])
        as_of = parse_as_of(options["as_of"])
        summary = generate_county(out, options["records"], options["seed"], as_of, workers=options["workers"])
        for name, size in summary.files.items():
            self.stdout.write(f"  {name:<22} {size / 1_000_000:8.1f} MB")
        self.stdout.write(
            f"generated {summary.records} records ({summary.manifestations} titles, {summary.works} works, "
            f"{summary.multi_held_share:.0%} held by several libraries) for "
            f"{len(summary.records_per_library)} libraries into {out} in {summary.seconds:.1f} s "
            f"({summary.records_per_second:,.0f} records/s)"
        )
