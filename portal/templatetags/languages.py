"""The interface languages for the language picker, each by its name in settings.LANGUAGES."""

from typing import NamedTuple

from django import template
from django.conf import settings

from portal.languages import is_right_to_left

register = template.Library()


class InterfaceLanguage(NamedTuple):
    code: str
    name: str  # in the language itself, as the settings line spells it (never translated)
    direction: str  # "rtl" or "ltr", for the dir attribute


@register.simple_tag
def interface_languages() -> list[InterfaceLanguage]:
    return [
        InterfaceLanguage(code, name, "rtl" if is_right_to_left(code) else "ltr")
        for code, name in settings.LANGUAGES
    ]
