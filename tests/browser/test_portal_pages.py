"""The patron pages in real Chromium: accessibility audits, screenshots, keyboard, no-JS, language."""

from typing import Any

import pytest

from tests.browser.conftest import audit, screenshot
from tests.world.portal import County, build_county

pytestmark = [pytest.mark.browser]


@pytest.fixture
def county(transactional_db: None) -> County:
    return build_county(index=True)


@pytest.fixture
def county_unindexed(transactional_db: None) -> County:
    return build_county(index=False)


def page_urls(county: County) -> dict[str, str]:
    return {
        "start": "/",
        "results": "/sok/?q=lindgren",
        "no-hits": "/sok/?q=qwxzvbnm",
        "record": f"/post/{county.cluster('pippi').pk}/",
        "work": f"/verk/{county.cluster('pippi').work_id}/",
        "work-search": f"/sok/?work={county.cluster('pippi').work_id}",
        "library": "/bibliotek/Ty/",
        "statement": "/tillganglighet/",
        "languages": "/sprak/",
        "about": "/om/",
        "easy-read": "/lattlast/",
    }


@pytest.mark.parametrize("language", ["sv", "en"])
def test_axe_finds_no_violations(live_server: Any, county: County, new_page: Any, language: str) -> None:
    page = new_page()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for name, url in page_urls(county).items():
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == language
        audit(page, f"{name} ({language})")


def test_screenshots_at_phone_and_desktop_width(live_server: Any, county: County, new_page: Any) -> None:
    for width in (375, 1280):
        page = new_page(width=width)
        page.context.add_cookies([{"name": "samsok_bibliotek", "value": "Ty", "url": live_server.url}])
        for name, url in page_urls(county).items():
            page.goto(live_server.url + url)
            screenshot(page, f"portal-{name}-{width}")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways at {width} px"
    english = new_page(language="en-GB")
    english.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    for name, url in page_urls(county).items():
        english.goto(live_server.url + url)
        screenshot(english, f"portal-{name}-1280-en")


def test_every_page_reflows_at_320_px(live_server: Any, county: County, new_page: Any) -> None:
    """WCAG 1.4.10: 320 CSS px (= 1280 px zoomed to 400 %) without scrolling sideways."""
    page = new_page(width=320)
    urls = {**page_urls(county), "record-many-fields": f"/post/{county.cluster('röda').pk}/"}
    for name, url in urls.items():
        page.goto(live_server.url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at 320 px"


def test_language_switch(live_server: Any, county_unindexed: County, new_page: Any) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/bibliotek/Ty/")
    assert page.locator("html").get_attribute("lang") == "sv"
    page.locator("details.lang-picker summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"{live_server.url}/bibliotek/Ty/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Visit and contact").is_visible()
    page.locator("details.lang-picker summary").click()
    page.get_by_role("button", name="Svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"


def test_print_stylesheet_hides_navigation_on_the_record_page(
    live_server: Any, county_unindexed: County, new_page: Any
) -> None:
    page = new_page()
    page.goto(f"{live_server.url}/post/{county_unindexed.cluster('pippi').pk}/")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("#record-title").is_visible()
    assert page.locator("#holdings").is_visible()
    assert page.locator(".permalink-print").is_visible()
    page.emulate_media(media="screen")
    assert not page.locator(".permalink-print").is_visible()
