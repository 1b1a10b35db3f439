"""python manage.py add_library CODE --name NAME [--municipality M] [--email E]"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from catalog.models import Library
from portal.commands import EnglishCommand


class Command(EnglishCommand):
    help = "Register a library by its sigel-style code (case-sensitive)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("--name", required=True)
        parser.add_argument("--municipality", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"].strip()
        if not code:
            raise CommandError("the library code (sigel) must not be empty")
        if Library.objects.filter(code=code).exists():
            raise CommandError(f"library {code} exists already")
        library = Library(
            code=code, name=options["name"], municipality=options["municipality"], email=options["email"]
        )
        try:
            library.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        library.save()
        self.stdout.write(f"added library {library.code} ({library.name})")
