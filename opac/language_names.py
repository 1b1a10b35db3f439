"""Names of the collection's languages (MARC codes): each in itself and in the interface language.

Names come from the Unicode CLDR through Babel. MARC uses ISO 639-2/B codes ("ger", "per",
"chi"), CLDR uses BCP 47 ("de", "fa", "zh"), so codes are translated first. Where CLDR has no
name (Meänkieli and Romani in most languages, and no locale data at all for an interface
language such as Meänkieli) the name falls back to the Swedish name — the second language of
every reader of the county's minority languages — marked `lang="sv"`, so a screen reader
pronounces it as Swedish.
"""

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

from catalog.language_tags import BCP47
from opac.labels import LANGUAGE_LABELS, language_label

# Names CLDR lacks: (the language's name for itself, its direction). Sign languages have no
# written name of their own; they are named in Swedish, the language of their Swedish users.
OWN_NAMES: dict[str, tuple[str, str]] = {
    "fit": ("meänkieli", "fit"),
    "rom": ("romani čhib", "rom"),
    "smi": ("sámegiella", "se"),
    "sgn": ("teckenspråk", "sv"),
    "swl": ("svenskt teckenspråk", "sv"),
}
# The interface language CLDR names languages in when it has no data for the page's language.
FALLBACK_LOCALE = "sv"


@dataclass(frozen=True)
class LanguageName:
    """A name to show, with the language it is written in (for `lang` and `dir`)."""

    text: str
    lang: str
    dir: str = "ltr"


def bcp47(marc_code: str) -> str:
    """The code CLDR knows the language by (catalog.language_tags' table); a three-letter code
    not there is tried as it is: ISO 639-3 and BCP 47 share it ("smj", "sma", "fit")."""
    return BCP47.get(marc_code, marc_code)


@cache
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def _direction(code: str) -> str:
    locale = _locale(code)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def autonym(marc_code: str) -> LanguageName | None:
    """The language's name in itself ("العربية", "suomi"), or None when nobody knows it."""
    if marc_code in OWN_NAMES:
        text, lang = OWN_NAMES[marc_code]
        return LanguageName(_first_upper(text), lang, _direction(lang))
    code = bcp47(marc_code)
    locale = _locale(code)
    name = locale.get_display_name(locale) if locale is not None else None
    return LanguageName(_first_upper(name), code, _direction(code)) if name else None


def _cldr_name(code: str, interface: str) -> str | None:
    locale = _locale(interface)
    return locale.languages.get(code) if locale is not None else None


def name_in_interface(marc_code: str, interface: str | None = None) -> LanguageName:
    """The language's name in the interface language, else in Swedish, else the project's own
    label, else its own name; the returned `lang` says which language the name is in."""
    interface = interface or get_language() or FALLBACK_LOCALE
    code = bcp47(marc_code)
    for locale in (interface, FALLBACK_LOCALE):
        name = _cldr_name(code, locale)
        if name:
            return LanguageName(_first_upper(name), locale, _direction(locale))
    if marc_code in LANGUAGE_LABELS:
        return LanguageName(language_label(marc_code), interface, _direction(interface))
    own = OWN_NAMES.get(marc_code)
    if own is not None:
        return LanguageName(_first_upper(own[0]), own[1], _direction(own[1]))
    return LanguageName(marc_code, "")  # a code nobody names: its language is unknown
