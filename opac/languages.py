"""Media in your own language: every language the county's collections hold, and where.

The counts come from the search layer (the language facet over every title, once more with
`available=1`, and the library facet per language), so both engines give the same page. They
are cached for a few minutes: the page costs a handful of facet queries once, then nothing.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.libraries import library_names
from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest
from opac.language_names import LanguageName, autonym, name_in_interface
from opac.search_state import SearchState

CACHE_KEY = "opac:collection-languages:v1"
CACHE_SECONDS = 600
TOP_LIBRARIES = 3
# Bibliotekslagen §5 and språklagen §§7-9: the national minority languages, and Swedish Sign
# Language, which the law protects alike. They come first, in this order, whatever their size.
PROTECTED_LANGUAGES = ("fin", "fit", "sme", "smj", "sma", "smi", "rom", "yid", "sgn", "swl")
# Codes that name no language a patron reads.
NOT_A_LANGUAGE = frozenset({"mul", "und", "zxx", "mis"})


@dataclass(frozen=True)
class LanguageCounts:
    """What the index says about one language: cached, so plain values only."""

    code: str
    titles: int
    available: int
    libraries: tuple[tuple[str, int], ...]  # (sigel, titles), most first


@dataclass(frozen=True)
class HeldLanguage:
    """One language as the page shows it."""

    counts: LanguageCounts
    own_name: LanguageName | None
    name: LanguageName
    libraries: tuple[tuple[str, int], ...]  # (library name, titles)
    url: str  # its titles, newest first
    available_url: str  # those with a copy on a shelf now, newest first


def _facet(request: SearchRequest, name: str) -> dict[str, int]:
    result = get_backend().search(request)
    return {value.value: value.count for value in result.facets.get(name, [])}


def count_languages() -> list[LanguageCounts]:
    """Titles per language, titles with a copy on the shelf, and the libraries holding most."""
    everything = SearchRequest(page_size=1, facets=("language",))
    titles = _facet(everything, "language")
    available = _facet(SearchRequest(page_size=1, available=True, facets=("language",)), "language")
    found = []
    for code, count in titles.items():
        if code in NOT_A_LANGUAGE:
            continue
        in_language = SearchRequest(page_size=1, filters={"language": (code,)}, facets=("library",))
        holders = _facet(in_language, "library")
        top = sorted(holders.items(), key=lambda item: (-item[1], item[0]))[:TOP_LIBRARIES]
        found.append(LanguageCounts(code, count, available.get(code, 0), tuple(top)))
    return found


def collection_languages() -> list[LanguageCounts]:
    """count_languages(), computed at most once per CACHE_SECONDS across processes."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = count_languages()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return list(found)


def _link(code: str, available: bool = False) -> str:
    request = SearchRequest(filters={"language": (code,)}, sort="year_desc", available=available)
    return SearchState(request).url()


def presented(counts: LanguageCounts, names: dict[str, str]) -> HeldLanguage:
    return HeldLanguage(
        counts=counts,
        own_name=autonym(counts.code),
        name=name_in_interface(counts.code),
        libraries=tuple((names.get(code, code), count) for code, count in counts.libraries),
        url=_link(counts.code),
        available_url=_link(counts.code, available=True),
    )


def grouped(languages: list[LanguageCounts]) -> tuple[list[LanguageCounts], list[LanguageCounts]]:
    """The protected languages in the law's order, then all others by number of titles."""
    by_code = {language.code: language for language in languages}
    protected = [by_code[code] for code in PROTECTED_LANGUAGES if code in by_code]
    others = [language for language in languages if language.code not in PROTECTED_LANGUAGES]
    others.sort(key=lambda language: (-language.titles, language.code))
    return protected, others


def languages_page(request: HttpRequest) -> HttpResponse:
    names = library_names()
    protected, others = grouped(collection_languages())
    context = {
        "protected": [presented(language, names) for language in protected],
        "others": [presented(language, names) for language in others],
        "cache_minutes": CACHE_SECONDS // 60,
    }
    return render(request, "opac/languages.html", context)
