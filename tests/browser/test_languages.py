"""The interface languages in real Chromium (issue 16): the picker with and without JavaScript,
Arabic laid out right to left, axe-core in every language, screenshots for Arabic and Finnish."""

from typing import Any

import pytest
from django.conf import settings

from tests.browser.conftest import audit, screenshot
from tests.world.portal import County, build_county

pytestmark = [pytest.mark.browser]

CODES = [code for code, _ in settings.LANGUAGES]


@pytest.fixture
def county(transactional_db: None) -> County:
    return build_county(index=True)


def in_language(new_page: Any, live_server: Any, code: str, width: int = 1280) -> Any:
    page = new_page(width=width)
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
    return page


def urls(county: County) -> dict[str, str]:
    return {
        "start": "/",
        "results": "/sok/?q=lindgren&page_size=2",
        "record": f"/post/{county.cluster('pippi').pk}/",
        "ill-form": f"/fjarrlan/ny/?record={county.cluster('röda').pk}",
    }


def box(page: Any, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not on the page"
    return dict(found)


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_choosing_suomi_in_the_picker_reloads_the_same_url_in_finnish(
    live_server: Any, county: County, new_page: Any, javascript: bool
) -> None:
    page = new_page(javascript=javascript)
    url = f"{live_server.url}/sok/?q=lindgren&sort=year_asc"
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "sv"
    picker = page.locator("details.lang-picker")
    assert not picker.get_by_role("button", name="Suomi").is_visible()  # closed until asked
    picker.locator("summary").click()
    suomi = picker.get_by_role("button", name="Suomi")
    assert suomi.get_attribute("lang") == "fi"
    suomi.click()
    page.wait_for_url(url)
    assert page.locator("html").get_attribute("lang") == "fi"
    assert page.locator("details.lang-picker button[aria-current=true]").get_attribute("value") == "fi"
    assert {c["name"]: c["value"] for c in page.context.cookies()}["django_language"] == "fi"
    page.goto(f"{live_server.url}/bibliotek/Ty/")  # remembered on the next page
    assert page.locator("html").get_attribute("lang") == "fi"


def test_the_picker_fits_a_phone_and_opens_within_the_page(
    live_server: Any, county: County, new_page: Any
) -> None:
    for code in ("sv", "ar"):
        page = in_language(new_page, live_server, code, width=375)
        page.goto(live_server.url + "/")
        page.locator("details.lang-picker summary").click()
        for button in page.locator("details.lang-picker button").all():
            edge = button.bounding_box()
            assert edge and edge["x"] >= 0 and edge["x"] + edge["width"] <= 375, (code, button.inner_text())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{code}: the open picker scrolls sideways at 375 px"


def test_an_arabic_results_page_is_laid_out_right_to_left(
    live_server: Any, county: County, new_page: Any
) -> None:
    url = live_server.url + "/sok/?q=lindgren&page_size=1&page=2"
    swedish = in_language(new_page, live_server, "sv")
    swedish.goto(url)
    arabic = in_language(new_page, live_server, "ar")
    arabic.goto(url)
    assert arabic.locator("html").get_attribute("dir") == "rtl"
    assert swedish.locator("html").get_attribute("dir") == "ltr"

    def columns(page: Any) -> tuple[float, float]:
        return box(page, ".results-layout__main")["x"], box(page, ".results-layout__facets")["x"]

    main, facets = columns(swedish)
    assert main < facets  # left to right: the titles first, the filters on the right
    main, facets = columns(arabic)
    assert facets < main  # right to left: mirrored, the filters on the left
    # The "next" arrow points the way the page reads: left in Arabic, right in Swedish.
    for page, points_left in ((swedish, False), (arabic, True)):
        arrow = page.locator(".pagination a[rel=next] svg")
        transform = arrow.evaluate("element => getComputedStyle(element).transform")
        assert (transform == "matrix(-1, 0, 0, 1, 0, 0)") == points_left, transform
        previous, following = box(page, ".pagination a[rel=prev]"), box(page, ".pagination a[rel=next]")
        assert (following["x"] < previous["x"]) == points_left
    # Holdings and breadcrumbs on a record mirror too: the table's first column on the right.
    arabic.goto(f"{live_server.url}/post/{county.cluster('pippi').pk}/")
    first, last = box(arabic, "#holdings thead th:first-child"), box(arabic, "#holdings thead th:last-child")
    assert first["x"] > last["x"]
    screenshot(arabic, "languages-ar-record-rtl-1280")


@pytest.mark.parametrize("code", CODES)
def test_axe_finds_no_violations_in_every_language(
    live_server: Any, county: County, new_page: Any, code: str
) -> None:
    page = in_language(new_page, live_server, code)
    for name, url in urls(county).items():
        page.goto(live_server.url + url)
        assert page.locator("html").get_attribute("lang") == code
        audit(page, f"{name} ({code})")
    page.locator("details.lang-picker summary").click()  # the open picker too
    audit(page, f"open language picker ({code})")


def test_screenshots_of_arabic_and_finnish_at_phone_and_desktop_width(
    live_server: Any, county: County, new_page: Any
) -> None:
    pages = {name: url for name, url in urls(county).items() if name != "ill-form"}
    for code in ("ar", "fi"):
        for width in (375, 1280):
            page = in_language(new_page, live_server, code, width)
            for name, url in pages.items():
                page.goto(live_server.url + url)
                path = screenshot(page, f"languages-{code}-{name}-{width}")
                assert path.stat().st_size > 0
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, f"{name} ({code}) scrolls sideways at {width} px"
