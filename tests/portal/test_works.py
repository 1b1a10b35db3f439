"""The work page, the record page's editions and the result list's link to a work."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import Work
from tests.world.portal import County

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_the_work_page_lists_every_edition_with_its_holders(client: Client, county: County) -> None:
    swedish, english = county.cluster("pippi"), county.cluster("pippi-en")
    response = client.get(f"/verk/{swedish.work_id}/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="sv"' in html
    # Named by the edition most libraries hold; each edition a row of the table.
    assert '<h1 id="work-title">Pippi Långstrump</h1>' in html
    assert '<h2 id="editions-heading">2 utgåvor och format</h2>' in html
    assert [row.id for row in response.context["editions"]] == [english.pk, swedish.pk]  # books, newest first
    assert f'<a href="/post/{english.pk}/" lang="en">Pippi Longstocking</a>' in html
    assert "3 bibliotek" in html and "inne på 2 bibliotek" in html and "Engelska" in html
    assert f'href="/sok/?work={swedish.work_id}"' in html


def test_an_unknown_or_empty_work_is_no_longer_held(client: Client, county: County) -> None:
    empty = Work.objects.create(key="ingen|alls")
    for url in ["/verk/999999/", f"/verk/{empty.pk}/", "/verk/99999999999999999999999/"]:
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Den här titeln finns inte längre" in client.get(f"/verk/{empty.pk}/").content.decode()


def test_the_record_page_shows_the_other_editions_and_links_the_work(client: Client, county: County) -> None:
    swedish, english = county.cluster("pippi"), county.cluster("pippi-en")
    html = client.get(f"/post/{english.pk}/").content.decode()
    assert f'<a href="/post/{swedish.pk}/">Pippi Långstrump</a>' in html
    assert f'<a href="/verk/{swedish.work_id}/">Alla 2 utgåvor och format på en sida</a>' in html
    assert "3 bibliotek" in html and "inne på 2 bibliotek" in html
    alone = client.get(f"/post/{county.cluster('emil').pk}/").content.decode()
    assert "/verk/" not in alone and "Andra format och utgåvor" not in alone


def test_result_lists_link_a_work_with_more_editions(client: Client, county: County) -> None:
    work_id = county.cluster("pippi").work_id
    html = client.get("/sok/", {"q": "pippi"}).content.decode()
    link = f'<a href="/verk/{work_id}/">2 utgåvor och format<span class="visually-hidden">: Pippi'
    assert html.count(link) == 2
    assert "utgåvor och format" not in client.get("/sok/", {"q": "emil"}).content.decode()


def test_a_search_narrowed_to_a_work_says_so_in_a_chip(client: Client, county: County) -> None:
    work_id = county.cluster("pippi").work_id
    response = client.get("/sok/", {"work": str(work_id)})
    assert {hit.id for hit in response.context["hits"]} == {
        county.cluster("pippi").pk,
        county.cluster("pippi-en").pk,
    }
    assert [chip.label for chip in response.context["chips"]] == ["Utgåvor av Pippi Långstrump"]
    assert response.context["chips"][0].remove_url == "/sok/"
    assert client.get("/sok/", {"work": "pippi"}).status_code == 400


def test_the_result_list_counts_editions_in_one_query_for_the_page(client: Client, county: County) -> None:
    def queries(q: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sok/", {"q": q}).status_code == 200
        return len(captured.captured_queries)

    queries("röda rummet")  # what the process keeps (library names) is read once
    assert queries("lindgren") == queries("doktor glas")  # four hits, one hit: the same queries


def test_the_work_page_in_english(english: Client, county: County) -> None:
    html = english.get(f"/verk/{county.cluster('pippi').work_id}/").content.decode()
    assert '<html lang="en"' in html and "2 editions and formats" in html and "3 libraries" in html
