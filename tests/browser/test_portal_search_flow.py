"""Search -> facet -> record -> back, with a mouse, with the keyboard only, and without JavaScript."""

from typing import Any

import pytest

from tests.world.portal import County, build_county

pytestmark = [pytest.mark.browser]


@pytest.fixture
def county(transactional_db: None) -> County:
    return build_county(index=True)


def search_facet_record_back(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.get_by_label("Sök i alla länets bibliotek").fill("lindgren")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url("**/sok/?q=lindgren")
    assert page.get_by_role("status").inner_text() == "4 titlar hittades"
    language = page.locator(".facet[data-facet=language]")
    if language.get_attribute("open") is None:
        language.locator("summary").click()
    page.get_by_role("link", name="Engelska 1 titlar").click()
    page.wait_for_url("**/sok/?q=lindgren&language=eng")
    assert page.get_by_role("status").inner_text() == "1 titel hittades"
    # exact: the hit's "2 utgåvor och format: Pippi Longstocking" link names the title too
    page.get_by_role("link", name="Pippi Longstocking", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pippi Longstocking"
    page.go_back()
    page.wait_for_url("**/sok/?q=lindgren&language=eng")
    page.get_by_role("link", name="Ta bort avgränsning: Engelska").click()
    page.wait_for_url("**/sok/?q=lindgren")
    assert page.get_by_role("status").inner_text() == "4 titlar hittades"


def test_search_facet_record_back(live_server: Any, county: County, new_page: Any) -> None:
    search_facet_record_back(new_page(), live_server.url)


def test_the_same_path_without_javascript(live_server: Any, county: County, new_page: Any) -> None:
    search_facet_record_back(new_page(javascript=False), live_server.url)


def tab_to(page: Any, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got keyboard focus")


def test_keyboard_only_search_and_facets(live_server: Any, county: County, new_page: Any) -> None:
    page = new_page()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    tab_to(page, "#q-start")
    page.keyboard.type("strindberg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=strindberg")
    # Open the subject facet with the keyboard, then choose a value.
    tab_to(page, ".facet[data-facet=subject] > summary")
    page.keyboard.press("Enter")
    tab_to(page, ".facet[data-facet=subject] a.facet-value")
    label = page.evaluate("document.activeElement.querySelector('.facet-value__label').textContent")
    page.keyboard.press("Enter")
    page.wait_for_url("**&subject=*")
    chip = page.locator(".chip").first
    assert label in chip.inner_text()
    # The focus ring is visible: an outline is drawn on the focused link.
    tab_to(page, ".chip")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=strindberg")
    tab_to(page, ".hit__title a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/post/*/")
    assert page.locator("#record-title").is_visible()


def test_search_box_offers_completions_with_javascript(
    live_server: Any, county: County, new_page: Any
) -> None:
    page = new_page()
    page.goto(live_server.url + "/")
    page.locator("#q-start").press_sequentially("pipp", delay=50)
    page.locator("#q-suggestions-0 option").first.wait_for(state="attached")
    options = page.eval_on_selector_all("#q-suggestions-0 option", "nodes => nodes.map(n => n.value)")
    assert any(option.startswith("Pippi") for option in options)


def test_live_availability_keeps_my_library_first(live_server: Any, county: County, new_page: Any) -> None:
    page = new_page()
    page.context.add_cookies([{"name": "samsok_bibliotek", "value": "Ty", "url": live_server.url}])
    with page.expect_response(lambda response: "/sok/status?ids=" in response.url):
        page.goto(live_server.url + "/sok/?q=utvandrarna")
    page.wait_for_load_state("networkidle")
    text = page.locator(".availability").first.inner_text()
    assert text.startswith("Finns inne på 4 bibliotek: Tyresö bibliotek,"), text
