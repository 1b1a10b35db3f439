"""Accessible media on the patron pages: the facet, the badges, "Finns också som storstil …" on the
record page and the result list, and the talking-book explanation with its Legimus link."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog import versions
from opac.labels import language_label
from opac.versions import links
from tests.world.accessible import AccessibleCounty, build_accessible_county

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


@pytest.fixture
def county(db: None) -> AccessibleCounty:
    return build_accessible_county()


def test_the_ordinary_edition_says_where_else_the_county_holds_the_work(
    client: Client, county: AccessibleCounty
) -> None:
    html = client.get(f"/post/{county['ordinary'].pk}/").content.decode()
    line = html[html.index('<p class="also-as">') :]
    line = line[: line.index("</p>")]
    # Each medium once, in the declared order, counted in libraries, linked to the one edition.
    assert line == (
        '<p class="also-as">Finns också '
        f'<a href="/post/{county["easy_to_read"].pk}/">som lättläst på 1 bibliotek</a>, '
        f'<a href="/post/{county["large_print"].pk}/">som storstil på 2 bibliotek</a>, '
        f'<a href="/post/{county["braille"].pk}/">i punktskrift på 1 bibliotek</a>, '
        f'<a href="/post/{county["talking_book"].pk}/">som talbok på 1 bibliotek</a>, '
        f'<a href="/post/{county["audiobook"].pk}/">som ljudbok på 2 bibliotek</a>'
    )
    # The ordinary edition is no talking book: no explanation, no Legimus link.
    assert "legimus.se" not in html


def test_an_accessible_edition_names_the_others_but_not_its_own_medium(
    client: Client, county: AccessibleCounty
) -> None:
    html = client.get(f"/post/{county['large_print'].pk}/").content.decode()
    assert "som storstil" not in html and "som lättläst på 1 bibliotek" in html
    assert '<li class="format-badge">' in html and "Storstil" in html


def test_a_talking_book_explains_who_may_borrow_it_and_links_legimus(
    client: Client, county: AccessibleCounty
) -> None:
    html = client.get(f"/post/{county['talking_book'].pk}/").content.decode()
    assert '<h2 id="talking-book-heading">Vem får låna talböcker?</h2>' in html
    assert "läsnedsättning" in html and "dyslexi" in html
    assert (
        '<a href="https://www.legimus.se/">Legimus \u2013 talböcker från Myndigheten för tillgängliga medier'
        in html
    )
    # A plain link: the page asks nothing of legimus.se (no script, image, frame or prefetch).
    assert html.count("legimus.se") == 1
    english = Client()
    english.cookies["django_language"] = "en"
    text = english.get(f"/post/{county['talking_book'].pk}/").content.decode()
    assert "Who may borrow talking books?" in text and "reading impairment" in text


def test_the_description_and_badges_name_easy_to_read_and_large_print_together(
    client: Client, county: AccessibleCounty
) -> None:
    html = client.get(f"/post/{county['easy_large_print'].pk}/").content.decode()
    assert "<dt>Tillgängliga medier</dt>" in html
    assert "<li><bdi>Lättläst</bdi></li>" in html and "<li><bdi>Storstil</bdi></li>" in html
    assert '<li class="format-badge format-badge--accessible">Lättläst</li>' in html


def test_the_facet_filters_and_counts_accessible_media(client: Client, county: AccessibleCounty) -> None:
    response = client.get("/sok/")
    groups = {group.name: group for group in response.context["facet_groups"]}
    counts = {link.label: link.count for link in groups["accessibility"].links}
    assert counts == {
        "Lättläst": 2,
        "Storstil": 2,
        "Ljudbok": 1,
        "Punktskrift": 1,
        "Talbok": 1,
        "Teckenspråk": 1,
    }
    easy = client.get("/sok/", {"accessibility": "easy_to_read"})
    assert {hit.id for hit in easy.context["hits"]} == {
        county["easy_to_read"].pk,
        county["easy_large_print"].pk,
    }
    assert "Lättläst" in [chip.label for chip in easy.context["chips"]]


def test_the_result_list_says_where_else_and_asks_the_engine_once(
    client: Client, county: AccessibleCounty, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = []
    real = versions.get_backend

    def counting() -> object:
        searches.append(1)
        return real()

    monkeypatch.setattr(versions, "get_backend", counting)
    response = client.get("/sok/", {"q": "hundraåringen"})
    html = response.content.decode()
    hits = {hit.id: hit for hit in response.context["hits"]}
    assert len(hits) == 6 and len(searches) == 1  # one search for the whole page
    ordinary = hits[county["ordinary"].pk]
    assert [link.code for link in ordinary.also_as] == [
        "easy_to_read",
        "large_print",
        "braille",
        "talking_book",
        "audiobook",
    ]
    assert f'<a href="/post/{county["talking_book"].pk}/">som talbok på 1 bibliotek</a>' in html
    # A title alone in its work asks nothing.
    searches.clear()
    client.get("/sok/", {"q": "hunden som sprang bort"})
    assert searches == []


def test_two_editions_of_one_medium_link_to_a_search_for_them() -> None:
    found = versions.also_as(
        [
            {"id": "1", "accessibility": ["large_print"], "libraries": ["Nyks"]},
            {"id": "2", "accessibility": ["large_print"], "libraries": ["Nyks", "Ty"]},
            {"id": "3", "accessibility": ["braille"], "libraries": []},  # held by nobody: left out
        ],
        {"id": "9", "accessibility": []},
        work=77,
    )
    [link] = links(found)
    assert (link.text, link.url) == ("som storstil på 2 bibliotek", "/sok/?work=77&accessibility=large_print")


def test_the_record_page_needs_no_search_when_it_has_every_edition(
    client: Client, county: AccessibleCounty, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The editions the page lists anyway carry what the line needs: no engine, no extra query."""

    def unavailable() -> object:
        raise AssertionError("the record page asked the search engine")

    url = f"/post/{county['ordinary'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    monkeypatch.setattr(versions, "get_backend", unavailable)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert "som talbok på 1 bibliotek" in html
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_sign_language_video_names_the_sign_language(client: Client, county: AccessibleCounty) -> None:
    html = client.get(f"/post/{county['sign_language'].pk}/").content.decode()
    language = html[html.index("<dt>Språk</dt>") :]
    assert language[: language.index("</dd>")].count("<li><bdi>Teckenspråk</bdi></li>") == 1
    assert '<li class="format-badge format-badge--accessible">Teckenspråk</li>' in html
    assert language_label("swl") == "Svenskt teckenspråk"


def test_the_editions_table_names_each_accessible_version(client: Client, county: AccessibleCounty) -> None:
    """A braille book's format is "book": the table says braille too, or two rows read alike."""
    html = client.get(f"/post/{county['talking_book'].pk}/").content.decode()
    table = html.split('class="editions-table"', 1)[1].split("</table>", 1)[0]
    cells = [cell.split("</td>", 1)[0] for cell in table.split('<td class="edition-format">')[1:]]
    assert {"Bok, Punktskrift", "Bok, Lättläst", "Storstil", "Bok"} <= set(cells)
