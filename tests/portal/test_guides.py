"""The pages that explain the service, in the interface language and in easy-to-read Swedish."""

import re

import pytest
from django.test import Client

from tests.world.portal import County

pytestmark = pytest.mark.django_db


def test_about_page_explains_samsok_borrowing_and_fjarrlan(client: Client, english: Client) -> None:
    swedish = client.get("/om/").content.decode()
    assert 'id="borrow"' in swedish and 'id="fjarrlan"' in swedish
    assert "Om Samsök" in swedish
    english_html = english.get("/om/").content.decode()
    assert "How a fjärrlån works" in english_html
    assert 'href="/fjarrlan/ny/"' in english_html


def test_easy_read_page_is_swedish_in_every_interface_language(english: Client) -> None:
    response = english.get("/lattlast/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in html
    assert '<div class="wrap prose easy-read" lang="sv" dir="ltr">' in html
    assert "Vad är fjärrlån?" in html


def test_easy_read_lines_are_short(client: Client) -> None:
    """MTM's guidelines: one thought per line; a line a reader takes in at once."""
    html = client.get("/lattlast/").content.decode()
    text = html.split('easy-read" lang="sv" dir="ltr">', 1)[1].split("</main>", 1)[0]
    lines = [re.sub(r"<[^>]+>", "", line).strip() for line in re.split(r"<br>|</p>|</li>|</h\d>", text)]
    lines = [line for line in lines if line]
    assert len(lines) > 30
    assert max(len(line) for line in lines) <= 60, max(lines, key=len)


@pytest.mark.parametrize("path", ["/", "/sok/?q=Pippi", "/bibliotek/", "/fjarrlan/ny/", "/om/"])
def test_every_page_links_to_easy_read_swedish(client: Client, county: County, path: str) -> None:
    html = client.get(path).content.decode()
    assert '<a href="/lattlast/" lang="sv" hreflang="sv">Lättläst</a>' in html
