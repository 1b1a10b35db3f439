"""Records in other scripts on the patron pages: both forms shown, each with its lang and dir
(WCAG 3.1.2 Language of Parts), and found from either."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from catalog.models import Cluster
from tests.catalog import script_records
from tests.world.portal import County, shelve_marc
from tests.world.shelves import Copy, index_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def arabic(county: County) -> Cluster:
    cluster = shelve_marc("jahiz", script_records.arabic_book(), "9789953876503", [Copy("Na", "available")])
    index_titles([cluster])
    return cluster


def results(client: Client, q: str) -> str:
    return client.get("/sok/?" + urlencode({"q": q})).content.decode()


@pytest.mark.parametrize("q", ["كتاب الحيوان", "كِتَابُ الحَيَوَانِ", "kitab al-hayawan", "الجاحظ"])
def test_found_in_arabic_script_and_romanized(client: Client, arabic: Cluster, q: str) -> None:
    assert f'href="/post/{arabic.pk}/"' in results(client, q)


def test_result_list_shows_both_forms_with_lang_and_dir(client: Client, arabic: Cluster) -> None:
    html = results(client, "الحيوان")
    assert f'<a href="/post/{arabic.pk}/" lang="ar-Latn">Kitāb al-ḥayawān</a>' in html
    assert '<p class="hit__original" lang="ar" dir="rtl">كِتَابُ الحَيَوَانِ – الجاحظ، عمرو بن بحر</p>' in html
    assert "<bdi>Jāḥiẓ, ʻAmr ibn Baḥr</bdi>" in html


def test_a_title_in_the_page_language_gets_no_lang(client: Client, english: Client, county: County) -> None:
    pippi = county.cluster("pippi").pk
    assert f'<a href="/post/{pippi}/">Pippi Långstrump</a>' in results(client, "pippi långstrump")
    assert f'<a href="/post/{pippi}/" lang="sv">Pippi Långstrump</a>' in results(english, "pippi långstrump")


def test_on_an_arabic_page_the_arabic_form_needs_nothing_and_latin_titles_say_ltr(
    arabic: Cluster, county: County
) -> None:
    client = Client()
    client.cookies["django_language"] = "ar"
    html = results(client, "الحيوان")
    assert '<p class="hit__original">كِتَابُ الحَيَوَانِ' in html
    assert f'<a href="/post/{arabic.pk}/" lang="ar-Latn" dir="ltr">Kitāb al-ḥayawān</a>' in html
    pippi = county.cluster("pippi").pk
    assert f'<a href="/post/{pippi}/" lang="sv" dir="ltr">Pippi Långstrump</a>' in results(client, "pippi")


def test_record_page_shows_the_original_script_in_its_own_direction(client: Client, arabic: Cluster) -> None:
    html = client.get(f"/post/{arabic.pk}/").content.decode()
    assert '<h1 id="record-title" lang="ar-Latn">Kitāb al-ḥayawān</h1>' in html
    assert '<p class="record__original" lang="ar" dir="rtl">كِتَابُ الحَيَوَانِ</p>' in html
    assert '<p class="record__by record__by--original" lang="ar" dir="rtl">الجاحظ، عمرو بن بحر</p>' in html
    assert "<dt>Utgiven i originalskrift</dt>" in html
    assert '<dd lang="ar" dir="rtl">\n            <bdi>بيروت, دار الكتب العلمية</bdi>' in html
    # Catalogue values are isolated: a romanized "al-Ṭabʻah 3." keeps its full stop at its own end
    # on a right-to-left page.
    assert "<bdi>al-Ṭabʻah 3.</bdi>" in html
    assert "<dt>Serie i originalskrift</dt>" in html and "سلسلة التراث" in html


def test_the_work_page_heading_says_its_language(english: Client, county: County) -> None:
    html = english.get(f"/verk/{county.cluster('pippi').work_id}/").content.decode()
    assert '<h1 id="work-title" lang="sv">Pippi Långstrump</h1>' in html
