"""The portal's interface languages: one line each in ``settings.LANGUAGES`` plus a message file.

Django knows the name and writing direction of many languages, not of Meänkieli, Northern Sami or
Somali. Every configured language it does not know is registered here from its settings line, so
a county adding a language needs no code: the code, the language's name in itself, and the
direction taken from the code (the right-to-left scripts below).
"""

from collections.abc import Sequence

from django.conf.locale import LANG_INFO

# Languages written right to left (ISO 639-1/-3 codes) that a county might add.
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"})


def register(languages: Sequence[tuple[str, str]]) -> None:
    """Add a ``LANG_INFO`` entry for each configured language Django does not know."""
    for code, name in languages:
        if code not in LANG_INFO:
            LANG_INFO[code] = {"bidi": code in RIGHT_TO_LEFT, "code": code, "name": name, "name_local": name}


def is_right_to_left(code: str) -> bool:
    info = LANG_INFO.get(code, {})
    return bool(info.get("bidi", code in RIGHT_TO_LEFT))
