"""python manage.py add_source CODE --protocol {oai-pmh,marc-file,libris-export} --url URL_OR_PATH [...]

Prints the new source's id (last line: "added source N ...").
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from catalog.models import Library
from harvest.locations import LocationRefused, check_source_location
from harvest.models import Source
from harvest.protocols import PROTOCOLS
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = "Register a harvest source for a library (CODE '-' for a regional feed of many libraries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Library sigel, or '-' for a regional feed carrying many libraries.")
        parser.add_argument("--protocol", required=True, choices=PROTOCOLS.names())
        parser.add_argument(
            "--url", required=True, help="OAI-PMH base URL, a MARC file path/URL, or the LIBRIS export URL."
        )
        parser.add_argument("--metadata-prefix", default="marcxml")
        parser.add_argument("--set", default="", dest="set_spec")
        parser.add_argument("--name", default="")
        parser.add_argument("--holdings-profile", default="auto", choices=Source.HoldingsProfile.values)
        parser.add_argument("--schedule-minutes", type=int, default=24 * 60)
        parser.add_argument(
            "--profile", type=Path, help="libris-export: the export profile (a properties file) to post."
        )
        parser.add_argument(
            "--regional",
            action="store_true",
            help="The feed carries many libraries' holdings: only they say who holds a title "
            "(always so for libris-export).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"].strip()
        library = None
        if code != "-":
            library = Library.objects.filter(code=code).first()
            if library is None:
                raise CommandError(f"unknown library {code!r}: add it first with add_library")
        if options["schedule_minutes"] < 0:
            raise CommandError("--schedule-minutes must be 0 or more")
        try:
            check_source_location(options["protocol"], options["url"])
        except LocationRefused as exc:
            raise CommandError(str(exc)) from exc
        source = Source(
            library=library,
            name=options["name"],
            protocol=options["protocol"],
            url=options["url"],
            metadata_prefix=options["metadata_prefix"],
            set_spec=options["set_spec"],
            holdings_profile=options["holdings_profile"],
            schedule_minutes=options["schedule_minutes"],
            regional=options["regional"],
            export_profile=read_profile(options["profile"]),
        )
        try:
            PROTOCOLS.get(source.protocol).validate_source(source)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        source.save()
        self.stdout.write(str(source.pk))
        self.stdout.write(f"added source {source.pk} ({source.get_protocol_display()} {source.url})")


def read_profile(path: Path | None) -> str:
    """The export profile file's text ('' without one); UTF-8, else ISO-8859-1 as Java writes it."""
    if path is None:
        return ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read the export profile {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
