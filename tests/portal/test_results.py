"""The result page over a real (tantivy) index: hits, facets, chips, sort, paging, odd input."""

import re

import pytest
from django.test import Client

from catalog.search.backends.base import SearchUnavailable
from tests.world.portal import County

pytestmark = pytest.mark.django_db


def test_results_show_hits_with_format_text_and_availability(client: Client, county: County) -> None:
    response = client.get("/sok/", {"q": "lindgren"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"].total == 4
    assert 'role="status" aria-live="polite"' in html and "4 titlar hittades" in html
    assert "Pippi Långstrump" in html and "Bröderna Lejonhjärta" in html
    assert '<li class="format-badge">' in html and "Bok</li>" in html
    assert "Finns inne på 2 bibliotek: Nyköpings stadsbibliotek, Tyresö bibliotek" in html
    assert "Utlånad överallt \u2013 kö 5" in html


def test_home_library_comes_first_in_the_availability_summary(client: Client, county: County) -> None:
    client.cookies["samsok_bibliotek"] = "Ty"
    html = client.get("/sok/", {"q": "utvandrarna"}).content.decode()
    assert (
        "Finns inne på 4 bibliotek: Tyresö bibliotek, Nacka stadsbibliotek, Nyköpings stadsbibliotek …"
        in html
    )


def test_facets_are_links_that_add_and_remove_filters(client: Client, county: County) -> None:
    response = client.get("/sok/", {"q": "lindgren"})
    groups = {group.name: group for group in response.context["facet_groups"]}
    assert {"library", "format", "language"} <= set(groups)
    english = next(link for link in groups["language"].links if link.label == "Engelska")
    assert english.count == 1 and english.url == "/sok/?q=lindgren&language=eng"
    filtered = client.get(english.url)
    assert filtered.context["result"].total == 1
    chips = filtered.context["chips"]
    assert [chip.label for chip in chips] == ["Engelska"]
    assert chips[0].remove_url == "/sok/?q=lindgren"
    html = filtered.content.decode()
    assert 'aria-current="true"' in html and "Ta bort avgränsning:" in html


def test_multi_select_within_a_facet_is_or(client: Client, county: County) -> None:
    response = client.get("/sok/", {"library": ["Ty", "Na"]})
    titles = {hit.title for hit in response.context["hits"]}
    assert "Emil i Lönneberga" in titles and "Hemsöborna" in titles
    assert "Pippi Longstocking" not in titles
    assert "Rensa alla avgränsningar" in response.content.decode()


def test_my_library_toggle_with_counts(client: Client, county: County) -> None:
    client.cookies["samsok_bibliotek"] = "Ty"
    response = client.get("/sok/", {"q": "lindgren"})
    scope = response.context["scope"]
    assert (scope.library_count, scope.county_count, scope.is_library) == (2, 4, False)
    assert scope.library_url == "/sok/?q=lindgren&library=Ty"
    mine = client.get(scope.library_url).context["scope"]
    assert (mine.library_count, mine.county_count, mine.is_library) == (2, 4, True)


def test_sort_and_paging(client: Client, county: County) -> None:
    response = client.get("/sok/", {"sort": "year_asc", "page_size": "5"})
    years = [hit.year for hit in response.context["hits"]]
    assert years == sorted(years)
    pagination = response.context["pagination"]
    assert pagination.pages == 3 and "page=2" in pagination.next_url
    html = client.get("/sok/", {"sort": "year_asc", "page_size": "5", "page": "3"}).content.decode()
    assert 'aria-current="page"' in html and 'rel="prev"' in html
    second = client.get(pagination.next_url)  # the link keeps the page size: hits 6-10
    assert second.context["first_number"] == 6 and len(second.context["hits"]) == 5
    assert second.context["hits"][0].year >= years[-1]


def test_a_page_past_the_last_one_says_so(client: Client, county: County) -> None:
    html = client.get("/sok/", {"page_size": "5", "page": "50"}).content.decode()
    assert "Den här sidan finns inte" in html and "Inga träffar" not in html


def test_no_hits_page_offers_tips_and_a_blank_fjarrlan_request(client: Client, county: County) -> None:
    response = client.get("/sok/", {"q": "qwxzvbnm"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Inga träffar" in html and "Tips" in html
    assert 'href="/fjarrlan/ny/"' in html


def test_did_you_mean(client: Client, county: County) -> None:
    response = client.get("/sok/", {"q": "pipi"})
    assert response.context["result"].total == 0
    html = response.content.decode()
    assert 'Menade du <a href="/sok/?q=pippi">pippi</a>?' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 100_000},
        {"q": "\x00\x01\ufffe<script>"},
        {"q": '"unbalanced (( AND OR -'},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"page": "abc"},
        {"page_size": "100000"},
        {"year_from": "tvåtusen", "year_to": "-5"},
        {"sort": "'; DROP TABLE"},
        {"library": ["<b>", "Ty" * 500]},
        {"available": "maybe"},
    ],
)
def test_odd_query_parameters_give_a_page_never_a_500(client: Client, county: County, params: dict) -> None:
    response = client.get("/sok/", params)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<main" in html and "<script>" not in html.split("</head>")[1].replace('<script src="/static/', "")


def test_undecodable_bytes_in_the_query_string(client: Client, county: County) -> None:
    response = client.get("/sok/?format=%ED%A0%80&q=%FF%FE%00&library=%C0")
    assert response.status_code in (200, 400)


def test_harvested_markup_is_text_in_results(client: Client, county: County) -> None:
    html = client.get("/sok/", {"q": "farlig"}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Farlig&lt;/b&gt; titel" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<img src=x" not in html


def test_search_backend_down_gives_the_503_page(
    client: Client, county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    from catalog.search import get_backend

    backend = get_backend()

    def down(*args: object, **kwargs: object) -> None:
        raise SearchUnavailable("index missing")

    monkeypatch.setattr(backend, "search", down)
    response = client.get("/sok/", {"q": "pippi"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Sökningen fungerar inte just nu" in response.content.decode()


def test_results_page_in_english(english: Client, county: County) -> None:
    html = english.get("/sok/", {"q": "lindgren"}).content.decode()
    assert "4 titles found" in html and "Available at 2 libraries" in html


def test_subject_links_on_the_record_page_search_that_subject(client: Client, county: County) -> None:
    record = client.get(f"/post/{county.cluster('utvandrarna').pk}/").content.decode()
    assert 'href="/sok/?subject=Emigration"' in record
    response = client.get("/sok/?subject=Emigration")
    assert [hit.title for hit in response.context["hits"]] == ["Utvandrarna"]
    assert [chip.label for chip in response.context["chips"]] == ["Emigration"]


def test_json_api_carries_harvested_markup_as_data(client: Client, county: County) -> None:
    response = client.get(f"/api/v1/records/{county.cluster('xss').pk}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["title"] == '<script>alert("x")</script><b>Farlig</b> titel'


def test_live_summaries_for_the_result_page_put_the_home_library_first(
    client: Client, county: County
) -> None:
    html = client.get("/sok/", {"q": "utvandrarna"}).content.decode()
    assert 'data-availability-batch="/sok/status"' in html
    client.cookies["samsok_bibliotek"] = "Ty"
    pk = county.cluster("utvandrarna").pk
    record = client.get("/sok/status", {"ids": str(pk)}).json()["records"][str(pk)]
    assert record["state"] == "in"
    assert record["text"].startswith("Finns inne på 4 bibliotek: Tyresö bibliotek,")
    assert "Ty" in record["available_at"]  # codes, as in a search hit; the names beside them
    assert {"code": "Ty", "name": "Tyresö bibliotek"} in record["available_at_libraries"]
    assert client.get("/sok/status", {"ids": "x"}).status_code == 400


def test_author_links_on_the_record_page_find_the_author(client: Client, county: County) -> None:
    record = client.get(f"/post/{county.cluster('röda').pk}/").content.decode()
    url = "/sok/?q=author%3A%22Strindberg%2C+August%22"
    assert f'href="{url}"' in record
    titles = {hit.title for hit in client.get(url).context["hits"]}
    assert titles == {"Röda rummet", "Hemsöborna"}
