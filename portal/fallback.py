"""Untranslated text falls back to Swedish, and says so: ``lang="sv"`` on it (WCAG 3.1.2).

Django already shows the Swedish text (``LANGUAGE_CODE``) for a string a language's catalogue
lacks. This module knows, per language, which Swedish texts those are — the strings of our Swedish
catalogue that the language's own catalogue (``LOCALE_PATHS``) does not translate — and the
middleware marks them in HTML pages. A complete language costs nothing: its set is empty, computed
once, and the response is left alone.
"""

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain
from pathlib import Path

import lxml.html
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import to_locale
from lxml.etree import _Element

# A python-format placeholder as Django writes them in catalogues: %(name)s, %s, %d, %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdifr]|%%")
# Elements whose content is text only: the mark goes on the element itself.
TEXT_ONLY = frozenset({"title", "option", "textarea"})
NOT_TEXT = frozenset({"script", "style", "template"})
TITLE_SEPARATOR = " \u2013 "  # an en dash, as the templates' <title>s write it


@dataclass(frozen=True)
class Fallbacks:
    """The Swedish texts a language shows for want of its own translation."""

    exact: frozenset[str]
    pattern: re.Pattern[str] | None  # the texts with placeholders, each filled by anything

    def __bool__(self) -> bool:
        return bool(self.exact) or self.pattern is not None

    def matches(self, text: str) -> bool:
        text = normalized(text)
        if self._matches_one(text):
            return True
        # A page title: "<a fallback text> - Samsök", "<a fallback text> - <another> - Samsök".
        head, separator, site = text.rpartition(TITLE_SEPARATOR)
        return (
            bool(separator)
            and site == "Samsök"
            and (self._matches_one(head) or all(map(self._matches_one, head.split(TITLE_SEPARATOR))))
        )

    def _matches_one(self, text: str) -> bool:
        return bool(text) and (text in self.exact or bool(self.pattern and self.pattern.fullmatch(text)))


NONE = Fallbacks(frozenset(), None)


def normalized(text: str) -> str:
    return " ".join(text.split())


def catalogue(code: str) -> dict[object, str]:
    """Our compiled catalogue for one language (every LOCALE_PATHS folder), keyed as gettext does:
    a msgid, "context\\x04msgid", or (msgid, plural index)."""
    merged: dict[object, str] = {}
    for folder in reversed(settings.LOCALE_PATHS):  # the first folder wins, as in Django
        mo = Path(folder) / to_locale(code) / "LC_MESSAGES" / "django.mo"
        if mo.exists():
            with mo.open("rb") as file:
                merged.update(vars(gettext.GNUTranslations(file))["_catalog"])
    merged.pop("", None)  # the header
    return merged


def _msgid(key: object) -> object:
    return key[0] if isinstance(key, tuple) else key


@cache
def fallbacks(code: str) -> Fallbacks:
    """The Swedish texts shown in language ``code`` because its catalogue lacks their strings.

    English never falls back (Django shows the English msgid), nor does Swedish itself."""
    if code == settings.LANGUAGE_CODE or code.startswith("en"):
        return NONE
    own = {_msgid(key) for key in catalogue(code)}
    texts = {text for key, text in catalogue(settings.LANGUAGE_CODE).items() if _msgid(key) not in own}
    exact = {normalized(text) for text in texts if not PLACEHOLDER.search(text)}
    patterns = sorted(filter(None, map(_pattern, texts)), key=len, reverse=True)
    pattern = re.compile("|".join(patterns)) if patterns else None
    return Fallbacks(frozenset(exact - {""}), pattern)


def _pattern(text: str) -> str | None:
    """A regular expression for a text with placeholders, or None when it has none or too
    little of its own to recognise (e.g. "%(count)s" alone would match everything)."""
    if not PLACEHOLDER.search(text):
        return None
    parts = PLACEHOLDER.split(normalized(text))
    fixed = "".join(parts)
    if sum(char.isalpha() for char in fixed) < 3:
        return None
    fillers = [".+?" if found != "%%" else "%" for found in PLACEHOLDER.findall(normalized(text))]
    return "".join(chain.from_iterable(zip(map(re.escape, parts), [*fillers, ""], strict=True)))


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    if setting in {"LOCALE_PATHS", "LANGUAGE_CODE", "LANGUAGES"}:
        fallbacks.cache_clear()


def mark(html: str, found: Fallbacks, source: str = "sv") -> str:
    """The page with every text node that is a fallback text marked ``lang=source``: the element
    itself when the text is all it holds, else the text wrapped in a span. In a right-to-left page
    the text is always wrapped, in a span isolated left to right: its punctuation and numbers stay
    in place while the element keeps the page's direction and alignment."""
    document = lxml.html.document_fromstring(html)
    rtl = document.get("dir") == "rtl"
    for element in list(document.iter()):
        if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        if element.text and found.matches(element.text) and language_of(element) != source:
            if element.tag in TEXT_ONLY or (len(element) == 0 and not rtl):
                element.set("lang", source)
            else:
                element.insert(0, _span(element.text, source, rtl))
                element.text = None
        for child in list(element):
            if child.tail and found.matches(child.tail) and language_of(element) != source:
                span = _span(child.tail, source, rtl)
                child.tail = None
                child.addnext(span)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def _span(text: str, source: str, rtl: bool) -> _Element:
    span = lxml.html.Element("span", lang=source)
    if rtl:
        span.set("dir", "ltr")
    span.text = text
    return span


def language_of(element: _Element) -> str:
    """The primary language subtag in effect at an element (its own or nearest ancestor's lang)."""
    for node in _self_and_ancestors(element):
        if (lang := node.get("lang")) is not None:
            return lang.split("-")[0].lower()
    return ""


def _self_and_ancestors(element: _Element) -> Iterator[_Element]:
    yield element
    yield from element.iterancestors()


class SwedishFallbackMiddleware:
    """Marks the Swedish fallback text of HTML pages in a language whose catalogue is incomplete."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = translation.get_language()
        if not language or response.streaming or response.has_header("Content-Encoding"):
            return response
        if not response.get("Content-Type", "").startswith("text/html") or not response.content.strip():
            return response  # a redirect or an empty answer has no text to mark
        found = fallbacks(language)
        if not found:
            return response
        charset = response.charset or "utf-8"
        html = mark(response.content.decode(charset), found, settings.LANGUAGE_CODE)
        response.content = html.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
