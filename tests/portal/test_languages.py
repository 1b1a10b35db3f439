"""The interface languages (issue 16): the picker, direction, Accept-Language, and untranslated
text falling back to Swedish marked lang="sv"."""

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation

from portal.fallback import Fallbacks, fallbacks, mark
from portal.languages import is_right_to_left
from tests.world.portal import County

CODES = [code for code, _ in settings.LANGUAGES]


@pytest.fixture(autouse=True)
def _swedish_after() -> Iterator[None]:
    yield
    translation.activate("sv")


def page(client: Client, url: str) -> lxml.html.HtmlElement:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.document_fromstring(response.content.decode())


def test_every_language_is_written_in_its_direction() -> None:
    for code in CODES:
        with translation.override(code):
            assert translation.get_language_bidi() == is_right_to_left(code), code
    assert {code for code in CODES if is_right_to_left(code)} == {"ar", "fa"}


@pytest.mark.django_db
def test_the_picker_names_each_language_in_itself_on_patron_and_staff_pages(client: Client) -> None:
    for url in ("/tillganglighet/", "/staff/login/"):
        html = page(client, url)
        buttons = html.xpath("//details[@class='lang-picker']//form//button[@name='language']")
        assert [(b.get("value"), b.get("lang"), b.text) for b in buttons] == [
            (code, code, name) for code, name in settings.LANGUAGES
        ]
        assert {b.get("value"): b.get("dir") for b in buttons}["ar"] == "rtl"
        assert {b.get("value"): b.get("dir") for b in buttons}["fi"] == "ltr"
        assert [b.get("value") for b in buttons if b.get("aria-current") == "true"] == ["sv"]
        assert html.xpath("//details[@class='lang-picker']/summary")[0].text_content() == "Språk / Language"


@pytest.mark.django_db
def test_choosing_a_language_returns_to_the_same_url_query_string_and_all(client: Client) -> None:
    url = "/sok/?q=lindgren&language=swe&sort=year_asc"
    html = page(client, url)
    assert html.xpath("//details[@class='lang-picker']//input[@name='next']")[0].get("value") == url
    response = client.post("/i18n/setlang/", {"language": "fi", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies["django_language"].value == "fi"
    again = page(client, "/tillganglighet/")
    assert (again.get("lang"), again.get("dir")) == ("fi", "ltr")
    current = again.xpath("//button[@aria-current='true']")[0]
    assert current.get("value") == "fi"


@pytest.mark.django_db
def test_a_browser_asking_for_arabic_gets_arabic_right_to_left_on_its_first_visit(client: Client) -> None:
    response = client.get("/tillganglighet/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")
    assert response["Content-Language"] == "ar"
    assert re.search(r'<html lang="ar" dir="rtl">', response.content.decode())
    finnish = Client().get("/", HTTP_ACCEPT_LANGUAGE="fi-FI,fi;q=0.9,sv;q=0.5")
    assert finnish["Content-Language"] == "fi"


def test_complete_languages_cost_nothing() -> None:
    assert not fallbacks("sv") and not fallbacks("en")


def test_mark_puts_lang_on_fallback_text_and_wraps_it_beside_other_text() -> None:
    found = Fallbacks(frozenset({"Menade du", "Bibliotek", "Sök"}), re.compile(r"Mitt bibliotek: .+?"))
    html = mark(
        '<!DOCTYPE html><html lang="fi" dir="rtl"><head><title>Bibliotek \u2013 Samsök</title></head><body>'
        '<p class="a">Menade du <a href="/x">pippi</a>?</p><p class="b">Bibliotek</p>'
        '<p class="c"><b>x</b> Sök </p><p lang="sv" class="d">Sök</p><p class="e">Mitt bibliotek: Tyresö</p>'
        '<select><option>Sök</option></select><p class="f">Kirjasto</p><script>var a="Sök";</script>'
        "</body></html>",
        found,
    )
    doc = lxml.html.document_fromstring(html)
    assert html.startswith("<!DOCTYPE html>")
    assert doc.xpath("//title")[0].get("lang") == "sv"
    wrapped = doc.xpath("//p[@class='a']/span")[0]
    assert (wrapped.get("lang"), wrapped.get("dir"), wrapped.text) == ("sv", "ltr", "Menade du ")
    assert doc.xpath("//p[@class='a']")[0].text_content() == "Menade du pippi?"
    alone = doc.xpath("//p[@class='b']/span")[0]  # wrapped in a right-to-left page: the p stays rtl
    assert (alone.get("lang"), alone.get("dir"), alone.text) == ("sv", "ltr", "Bibliotek")
    assert doc.xpath("//p[@class='c']/span")[0].text == " Sök "
    assert doc.xpath("//p[@class='d']//span") == []  # already Swedish
    assert doc.xpath("//p[@class='e']/span")[0].get("lang") == "sv"
    assert doc.xpath("//option")[0].get("lang") == "sv"
    assert doc.xpath("//p[@class='f']")[0].get("lang") is None
    assert 'var a="Sök";' in html
    left_to_right = mark('<html lang="fi" dir="ltr"><body><p>Bibliotek</p></body></html>', found)
    assert '<p lang="sv">Bibliotek</p>' in left_to_right  # the mark on the element itself


def temporary_language(folder: Path) -> None:
    """German with two strings of ours translated: everything else falls back to Swedish."""
    po = folder / "de" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Libraries"\nmsgstr "Bibliotheken"\n\n'
        'msgid "Accessibility statement"\nmsgstr "Erklärung zur Barrierefreiheit"\n',
        encoding="utf-8",
    )
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)


@pytest.mark.django_db
def test_an_incomplete_language_shows_swedish_marked_lang_sv(
    tmp_path: Path, county_unindexed: County
) -> None:
    temporary_language(tmp_path)
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, ("de", "Deutsch")], LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]
    ):
        client = Client()
        client.cookies["django_language"] = "de"
        client.cookies["samsok_bibliotek"] = "Ty"
        response = client.get("/bibliotek/")
        assert response["Content-Language"] == "de"
        assert int(response["Content-Length"]) == len(response.content)
        doc = lxml.html.document_fromstring(response.content.decode())
        nav = doc.xpath("//nav[@class='site-nav']//a")
        assert [(a.text_content(), a.get("lang")) for a in nav] == [
            ("Bibliotheken", None),  # translated
            ("Mitt bibliotek: Tyresö bibliotek", "sv"),  # a Swedish fallback with a placeholder filled in
        ]
        assert doc.xpath("//a[@class='skip-link']")[0].get("lang") == "sv"  # "Hoppa till innehållet"
        footer = {a.text_content(): a.get("lang") for a in doc.xpath("//footer//a")}
        assert footer["Erklärung zur Barrierefreiheit"] is None and footer["Personuppgifter"] == "sv"
        # A language's own name is never marked: the picker's buttons keep their own lang.
        assert [b.get("lang") for b in doc.xpath("//details[@class='lang-picker']//button")][-1] == "de"
        # A redirect (an empty text/html answer) passes untouched, never as a parse error.
        choose = client.post("/mitt-bibliotek/", {"library": "Ty", "next": "/bibliotek/"})
        assert choose.status_code == 302 and choose.content == b""
    assert not fallbacks("fi") or fallbacks("fi").matches("Hoppa till innehållet")
