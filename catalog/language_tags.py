"""Which language and script a piece of catalogue text is in, as HTML's ``lang`` and ``dir`` say it.

Records give their language as a MARC code (008/35-37, 041); a page marks a part in another
language with a BCP 47 tag (WCAG 3.1.2). One table here maps the codes, and knows each
language's usual script, so a romanized title (an Arabic title in Latin letters, as 245 has it)
is tagged ``ar-Latn`` and its original-script form (880) plain ``ar``.
"""

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# MARC language code -> BCP 47 primary subtag (ISO 639-1 where there is one, else the 639-3 code).
BCP47: dict[str, str] = {
    "ara": "ar",
    "per": "fa",
    "fas": "fa",
    "rus": "ru",
    "ukr": "uk",
    "bel": "be",
    "bul": "bg",
    "mac": "mk",
    "srp": "sr",
    "bos": "bs",
    "hrv": "hr",
    "fin": "fi",
    "fit": "fit",
    "sme": "se",
    "sma": "sma",
    "smj": "smj",
    "smi": "smi",
    "som": "so",
    "swe": "sv",
    "eng": "en",
    "nor": "no",
    "nob": "nb",
    "nno": "nn",
    "dan": "da",
    "ice": "is",
    "ger": "de",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "dut": "nl",
    "pol": "pl",
    "est": "et",
    "lit": "lt",
    "lav": "lv",
    "tur": "tr",
    "kur": "ku",
    "ckb": "ckb",
    "pus": "ps",
    "urd": "ur",
    "tir": "ti",
    "amh": "am",
    "heb": "he",
    "yid": "yi",
    "rom": "rom",
    "rmy": "rmy",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "tha": "th",
    "vie": "vi",
    "gre": "el",
    "lat": "la",
    "hin": "hi",
    **{"hun": "hu", "rum": "ro", "alb": "sq", "arm": "hy", "baq": "eu", "bur": "my", "cze": "cs"},
    **{"geo": "ka", "mao": "mi", "may": "ms", "slo": "sk", "tib": "bo", "wel": "cy", "ben": "bn"},
    **{"tgl": "fil", "swa": "sw", "slv": "sl", "aze": "az", "uzb": "uz", "kaz": "kk", "tam": "ta"},
    **{"pan": "pa", "guj": "gu", "orm": "om", "hau": "ha", "yor": "yo", "ibo": "ig", "tig": "tig"},
    **{"kir": "ky", "tgk": "tg"},
}

# The script a language is usually written in (ISO 15924), where it is not Latin.
USUAL_SCRIPT: dict[str, str] = {
    "ara": "Arab",
    "per": "Arab",
    "fas": "Arab",
    "urd": "Arab",
    "pus": "Arab",
    "ckb": "Arab",
    "rus": "Cyrl",
    "ukr": "Cyrl",
    "bel": "Cyrl",
    "bul": "Cyrl",
    "mac": "Cyrl",
    "heb": "Hebr",
    "yid": "Hebr",
    "chi": "Hani",
    "jpn": "Jpan",
    "kor": "Kore",
    "gre": "Grek",
    "tir": "Ethi",
    "amh": "Ethi",
    "tha": "Thai",
    "hin": "Deva",
}

# Han characters are part of how Japanese and Korean are usually written (MARC's "$1" is all CJK).
_USUAL_TOO = {("Hani", "Jpan"), ("Hani", "Kore")}
# Scripts written right to left.
RIGHT_TO_LEFT_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Samr", "Mand"})

# The first word of a letter's Unicode name -> its script.
_SCRIPT_OF_NAME = {
    "LATIN": "Latn",
    "ARABIC": "Arab",
    "CYRILLIC": "Cyrl",
    "HEBREW": "Hebr",
    "GREEK": "Grek",
    "CJK": "Hani",
    "HIRAGANA": "Jpan",
    "KATAKANA": "Jpan",
    "HANGUL": "Kore",
    "ETHIOPIC": "Ethi",
    "THAI": "Thai",
    "DEVANAGARI": "Deva",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
}


@dataclass(frozen=True)
class TextLanguage:
    """What a template writes on an element: ``lang`` (may be "" when unknown) and ``dir``."""

    lang: str
    dir: str  # "rtl" or "ltr"


def script_of(text: str) -> str:
    """The ISO 15924 script of the first letter in `text` ("" when it has none we know)."""
    for char in text:
        if char.isalpha():
            return _script_of_letter(char)
    return ""


@lru_cache(maxsize=4096)
def _script_of_letter(char: str) -> str:
    return _SCRIPT_OF_NAME.get(unicodedata.name(char, "").split(" ", 1)[0], "")


def language_tag(marc_code: str, script: str = "") -> str:
    """BCP 47 tag of text in language `marc_code` written in `script`: "ar", "ar-Latn", "" if unknown.

    The script subtag is added only when the text is not in the language's usual script.
    """
    base = BCP47.get((marc_code or "").lower(), "")
    if not base or not script:
        return base
    usual = USUAL_SCRIPT.get(marc_code.lower(), "Latn")
    return base if script == usual or (script, usual) in _USUAL_TOO else f"{base}-{script}"


def text_language(languages: object, text: str, script: str = "") -> TextLanguage | None:
    """The lang/dir of `text` in a record whose languages (MARC codes) are `languages`.

    The record's first language names the text's language; its script is `script` or, without
    one, the script its letters are in. None when there is nothing to say (no text).
    """
    if not text:
        return None
    codes = languages if isinstance(languages, list | tuple) else [languages]
    first = str(codes[0]) if codes and codes[0] else ""
    return _text_language(first, script or script_of(text))


@lru_cache(maxsize=4096)
def _text_language(marc_code: str, script: str) -> TextLanguage:
    """One (frozen) answer per language and script: every title of a catalogue asks."""
    return TextLanguage(language_tag(marc_code, script), "rtl" if script in RIGHT_TO_LEFT_SCRIPTS else "ltr")
