"""JSON-LD on the record page is data, not script: the CSP (script-src 'self') must not object."""

import json
from typing import Any

import pytest

from tests.world.portal import County, build_county

pytestmark = [pytest.mark.browser]


@pytest.fixture
def county(transactional_db: None) -> County:
    return build_county(index=False)


def test_record_page_json_ld_raises_no_csp_error(live_server: Any, county: County, new_page: Any) -> None:
    page = new_page()  # the fixture fails the test on any console CSP violation
    dialogs: list[str] = []  # an alert() from the harvested <script> title would open one
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for key in ("pippi", "xss"):
        page.goto(f"{live_server.url}/post/{county.cluster(key).pk}/")
        text = page.locator('script[type="application/ld+json"]').text_content()
        assert json.loads(text)["@type"] == "Book"
    assert dialogs == []
