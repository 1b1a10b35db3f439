"""Start, library, statement and discovery pages: content, language, headers."""

import re

import pytest
from django.test import Client

from tests.world.portal import County

pytestmark = pytest.mark.django_db


def test_start_page_lists_the_libraries_and_has_a_labelled_search_box(
    client: Client, county_unindexed: County
) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv" dir="ltr">' in html
    assert '<label class="search-form__label" for="q-start">' in html
    for library in county_unindexed.libraries.values():
        assert library.name in html
    assert 'href="#main"' in html and 'id="main"' in html


def test_start_page_in_english(english: Client, county_unindexed: County) -> None:
    html = english.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Find it at any library in the county" in html


def test_start_page_in_swedish_is_translated(client: Client, county_unindexed: County) -> None:
    html = client.get("/").content.decode()
    assert "Find it at any library in the county" not in html
    assert "Hoppa till innehållet" in html


@pytest.mark.sqlite
def test_library_page_shows_contact_and_share(client: Client, county_unindexed: County) -> None:
    response = client.get("/bibliotek/Ty/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tyresö bibliotek" in html
    assert "fjarrlan@ty.example.se" in html
    assert 'href="https://ty.example.se/katalog"' in html
    assert "<meter" in html
    assert response.context["share"].titles == 5


def test_unknown_library_is_404(client: Client, county_unindexed: County) -> None:
    assert client.get("/bibliotek/NOPE/").status_code == 404


def test_library_page_never_links_a_javascript_url(client: Client, county_unindexed: County) -> None:
    library = county_unindexed.libraries["Na"]
    library.homepage = "javascript:alert(1)"
    library.save()
    html = client.get("/bibliotek/Na/").content.decode()
    assert "javascript:" not in html


def test_library_list(client: Client, county_unindexed: County) -> None:
    html = client.get("/bibliotek/").content.decode()
    assert html.count('<div class="library-card') == 4


def test_accessibility_statement(client: Client, english: Client) -> None:
    assert "Tillgänglighetsredogörelse" in client.get("/tillganglighet/").content.decode()
    assert "Accessibility statement" in english.get("/tillganglighet/").content.decode()


def test_robots_and_opensearch(client: Client) -> None:
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in robots.content.decode()
    opensearch = client.get("/opensearch.xml")
    assert opensearch["Content-Type"] == "application/opensearchdescription+xml"
    assert "http://testserver/sok/?q={searchTerms}" in opensearch.content.decode()
    assert 'rel="search"' in client.get("/tillganglighet/").content.decode()


def test_sitemap_lists_record_pages_only_by_id(client: Client, county_unindexed: County) -> None:
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-records.xml" in index
    records = client.get("/sitemap-records.xml").content.decode()
    assert records.count("<loc>") == len(county_unindexed.clusters)
    assert "<script" not in records and "Farlig" not in records
    xss = county_unindexed.cluster("xss")
    assert f"http://testserver/post/{xss.pk}/" in records


@pytest.mark.sqlite
def test_security_headers_on_every_page(client: Client) -> None:
    response = client.get("/tillganglighet/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_style(client: Client, county_unindexed: County) -> None:
    for url in ["/", "/bibliotek/", "/bibliotek/Ty/", "/tillganglighet/", "/mitt-bibliotek/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html and "<style" not in html, url


def test_home_library_cookie_is_set_and_validated(client: Client, county_unindexed: County) -> None:
    response = client.post("/mitt-bibliotek/", {"library": "Ty", "next": "/bibliotek/"})
    assert response.status_code == 302 and response["Location"] == "/bibliotek/"
    assert client.cookies["samsok_bibliotek"].value == "Ty"
    assert "Mitt bibliotek: Tyresö bibliotek" in client.get("/").content.decode()
    evil = client.post("/mitt-bibliotek/", {"library": "Ty", "next": "https://evil.example/"})
    assert evil["Location"] == "/"
    client.post("/mitt-bibliotek/", {"library": "<script>"})
    assert client.cookies["samsok_bibliotek"].value == ""


def test_unknown_home_library_cookie_is_ignored(client: Client, county_unindexed: County) -> None:
    client.cookies["samsok_bibliotek"] = "<b>nope</b>" * 50
    response = client.get("/")
    assert response.status_code == 200
    assert "Välj mitt bibliotek" in response.content.decode()


def test_language_switch_is_a_form_on_every_page(client: Client, county_unindexed: County) -> None:
    html = client.get("/bibliotek/Ty/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'name="language" value="en" lang="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/bibliotek/Ty/"})
    assert response.status_code == 302
    assert '<html lang="en" dir="ltr">' in client.get("/bibliotek/Ty/").content.decode()


def test_not_found_page(client: Client) -> None:
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()
