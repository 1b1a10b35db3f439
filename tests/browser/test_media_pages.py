"""The pages of issue 16 in real Chromium, in a left-to-right and a right-to-left language and in
a national minority language: a record in Arabic script, the accessible media of one work (the
"also as" line, the talking-book box, the facet), the language page and the easy-to-read page,
each audited by axe-core (WCAG 2.1 AA), with screenshots for the reviewers."""

from typing import Any

import pytest

from catalog.models import Cluster
from tests.browser.conftest import audit, screenshot
from tests.catalog import script_records
from tests.world.accessible import AccessibleCounty, build_accessible_county
from tests.world.portal import County, build_county, shelve_marc
from tests.world.shelves import Copy, index_titles

pytestmark = [pytest.mark.browser]


@pytest.fixture
def shelves(transactional_db: None) -> tuple[County, AccessibleCounty, Cluster]:
    county = build_county(index=True)
    accessible = build_accessible_county(index=True)
    arabic = shelve_marc("jahiz", script_records.arabic_book(), "9789953876503", [Copy("Na", "available")])
    index_titles([arabic])
    return county, accessible, arabic


@pytest.mark.parametrize("code", ["sv", "ar", "se"])
def test_issue_16_pages_have_no_axe_violations(
    live_server: Any, shelves: tuple[County, AccessibleCounty, Cluster], new_page: Any, code: str
) -> None:
    _, accessible, arabic = shelves
    page = new_page()
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    pages = {
        "arabic-record": f"/post/{arabic.pk}/",
        "arabic-results": "/sok/?q=%D8%A7%D9%84%D8%AC%D8%A7%D8%AD%D8%B8",  # الجاحظ
        "talking-book": f"/post/{accessible['talking_book'].pk}/",
        "ordinary-edition": f"/post/{accessible['ordinary'].pk}/",
        "accessible-facet": "/sok/?q=jonasson&accessibility=large_print",
        "languages": "/sprak/",
        "easy-read": "/lattlast/",
    }
    for name, url in pages.items():
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == code
        audit(page, f"{name} ({code})")
        screenshot(page, f"media-{code}-{name}")
    page.goto(f"{live_server.url}/post/{arabic.pk}/")
    original = page.locator(".record__original")
    assert original.is_visible()  # the title in Arabic script, read right to left on every page
    assert original.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert original.evaluate("element => element.closest('[lang]').lang") == "ar"
    page.goto(f"{live_server.url}/post/{accessible['talking_book'].pk}/")
    assert page.locator('a[href="https://www.legimus.se/"]').is_visible()
