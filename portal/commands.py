"""The base of every Samsök management command: the command line speaks English.

The site's language is Swedish (LANGUAGE_CODE), so a plain command would quote Swedish model
labels and validation messages inside its English sentences (``added source 2 (MARC-fil eller
URL …)``). A command built on `EnglishCommand` runs under ``translation.override("en")``: its
summary lines, its errors and every label or message they quote are English. What a command
makes for people is unaffected: patron mail is written in the site's language whatever is active
(`ill.outbox`), and staff pages translate what they show when they show it.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

OUTPUT_LANGUAGE = "en"


class EnglishCommand(BaseCommand):
    """A management command whose output (and CommandError messages) are English."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        with translation.override(OUTPUT_LANGUAGE):
            return super().execute(*args, **options)
