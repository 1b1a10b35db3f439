"""The language page (/sprak/): every language of the collections, by its own name and the
interface's, with titles, titles on the shelf now and the libraries holding most."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest, SearchResult
from opac.language_names import autonym, bcp47, name_in_interface
from opac.languages import CACHE_KEY
from tests.world.portal import County, build_county, marc_record, shelve_marc
from tests.world.shelves import Copy, index_titles

pytestmark = pytest.mark.django_db

# (key, title, author, year, language, holdings): titles in the national minority languages.
MINORITY_TITLES = [
    (
        "seitsemän",
        "Seitsemän veljestä",
        "Kivi, Aleksis",
        1870,
        "fin",
        [("Ty", "available"), ("Na", "on_loan")],
    ),
    (
        "populäärimusiikkia",
        "Populäärimusiikkia Vittulasta",
        "Niemi, Mikael",
        2000,
        "fin",
        [("Ty", "on_loan")],
    ),
    ("meän", "Meän tarina", "Kenttä, Matti", 2019, "fit", [("Nyks", "on_loan")]),
    ("beaivi", "Beaivi, áhčážan", "Valkeapää, Nils-Aslak", 1988, "sme", [("Sods", "available")]),
]


@pytest.fixture
def languages_county(db: None) -> Iterator[County]:
    cache.delete(CACHE_KEY)
    county = build_county(index=False)
    for key, name, author, year, language, holdings in MINORITY_TITLES:
        record = marc_record(key, name, "", author, year, "", language, "am", [])
        copies = [Copy(code, status, shelf="Vuxen") for code, status in holdings]
        county.clusters[key] = shelve_marc(key, record, "", copies)
    index_titles(county.clusters.values())
    yield county
    cache.delete(CACHE_KEY)


def test_every_language_is_named_in_itself_and_in_the_interface_language(
    client: Client, languages_county: County
) -> None:
    response = client.get("/sprak/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<span lang="ar" dir="rtl">العربية</span>' in html
    assert 'lang="sv" dir="ltr">Arabiska</span>' in html
    assert '<span lang="fi" dir="ltr">Suomi</span>' in html
    assert '<span lang="fit" dir="ltr">Meänkieli</span>' in html
    assert '<span lang="se" dir="ltr">Davvisámegiella</span>' in html
    assert 'lang="sv" dir="ltr">Nordsamiska</span>' in html


def test_counts_titles_titles_on_the_shelf_and_the_libraries_holding_most(
    client: Client, languages_county: County
) -> None:
    context = client.get("/sprak/").context
    by_code = {language.counts.code: language for language in [*context["protected"], *context["others"]]}
    assert set(by_code) == {"swe", "eng", "ara", "fin", "fit", "sme"}
    swedish, finnish = by_code["swe"], by_code["fin"]
    # Ten Swedish titles, seven of them with a copy on a shelf (see tests.world.portal.TITLES).
    assert (swedish.counts.titles, swedish.counts.available) == (10, 7)
    assert (finnish.counts.titles, finnish.counts.available) == (2, 1)
    assert by_code["fit"].counts.available == 0
    assert finnish.libraries[0] == ("Tyresö bibliotek", 2)
    assert dict(swedish.libraries)["Nyköpings stadsbibliotek"] == 6
    assert len(swedish.libraries) == 3


def test_minority_languages_come_first_in_the_laws_order_then_the_rest_by_size(
    client: Client, languages_county: County
) -> None:
    context = client.get("/sprak/").context
    assert [language.counts.code for language in context["protected"]] == ["fin", "fit", "sme"]
    assert [language.counts.code for language in context["others"]] == ["swe", "ara", "eng"]


def test_each_language_links_to_its_titles_newest_first(client: Client, languages_county: County) -> None:
    html = client.get("/sprak/").content.decode()
    assert 'href="/sok/?language=fin&amp;sort=year_desc"' in html
    assert 'href="/sok/?language=fin&amp;available=1&amp;sort=year_desc"' in html
    results = client.get("/sok/?language=fin&sort=year_desc")
    titles = [str(hit["title"]) for hit in results.context["result"].hits]
    assert titles == ["Populäärimusiikkia Vittulasta", "Seitsemän veljestä"]


def test_the_figures_are_counted_once_then_read_from_the_cache(
    client: Client, languages_county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[SearchRequest] = []
    backend = get_backend()
    original = backend.search

    def counted_search(request: SearchRequest) -> SearchResult:
        calls.append(request)
        return original(request)

    monkeypatch.setattr(backend, "search", counted_search)
    client.get("/sprak/")
    counted = len(calls)
    assert counted == 2 + 6  # all languages, those on the shelf, then each language's libraries
    client.get("/sprak/")
    assert len(calls) == counted


def test_in_english_names_are_english(english: Client, languages_county: County) -> None:
    html = english.get("/sprak/").content.decode()
    assert '<html lang="en"' in html
    assert 'lang="en" dir="ltr">Northern Sami</span>' in html
    assert "On the shelf now" in html or "on the shelf now" in html


def test_without_names_in_the_interface_language_the_swedish_ones_are_shown_marked_swedish(
    languages_county: County,
) -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fit"
    html = client.get("/sprak/").content.decode()
    assert 'lang="sv" dir="ltr">Arabiska</span>' in html


def test_the_start_page_links_to_the_language_page_in_every_language(db: None) -> None:
    build_county(index=False)
    for code, _name in settings.LANGUAGES:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
        assert 'href="/sprak/"' in client.get("/").content.decode(), code


def test_marc_codes_become_cldr_codes_and_names_fall_back_sensibly() -> None:
    assert [bcp47(code) for code in ("ger", "per", "chi", "sme", "smj", "fit")] == [
        "de",
        "fa",
        "zh",
        "se",
        "smj",
        "fit",
    ]
    persian = autonym("per")
    assert persian is not None and (persian.text, persian.lang, persian.dir) == ("فارسی", "fa", "rtl")
    assert autonym("xyz") is None
    assert name_in_interface("fit", "so").lang == "sv"  # CLDR has no Somali name for Meänkieli
    assert name_in_interface("ara", "fit").text == "Arabiska"  # nor any names in Meänkieli
    assert name_in_interface("ara", "fa").text == "عربی"
    assert name_in_interface("xyz", "sv").text == "xyz"
