"""availability.js in a real Chromium: harvested status first, then live status, announced; CSP-clean."""

from typing import Any

import pytest

from tests.availability.conftest import (
    AVAILABLE_DAIA,
    add_holding,
    daia_responder,
    make_cluster,
    make_library,
)
from tests.browser.conftest import audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_page_updates_to_live_status_and_announces_it(live_server: object, chromium: Any) -> None:
    cluster = make_cluster()
    with daia_responder(AVAILABLE_DAIA) as server:
        holding = add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        context = chromium.new_context()
        try:
            _check_live_update(context.new_page(), f"{live_server.url}/post/{cluster.pk}/", holding.pk)  # type: ignore[attr-defined]
        finally:
            context.close()


def _check_live_update(page: object, url: str, holding_id: int) -> None:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)  # type: ignore[attr-defined]
    response = page.goto(url)  # type: ignore[attr-defined]
    assert response.status == 200
    row = page.locator(f'tr[data-holding-id="{holding_id}"]')  # type: ignore[attr-defined]
    row.locator('[data-source="live"]').wait_for(timeout=5000)
    assert "status--available" in row.locator('[data-field="status_label"]').get_attribute("class")
    updated = page.locator("section#holdings").get_attribute("data-msg-updated")  # type: ignore[attr-defined]
    assert page.locator(".availability-announcement").inner_text().strip() == updated  # type: ignore[attr-defined]
    assert page.locator("section#holdings").get_attribute("aria-busy") is None  # type: ignore[attr-defined]
    assert problems == []  # no CSP violation, no script error
    audit(page, "holdings on the record page", "#holdings")


def test_check_now_link_works_without_javascript(live_server: object) -> None:
    from django.test import Client

    cluster = make_cluster()
    with daia_responder(AVAILABLE_DAIA) as server:
        add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        first = Client().get(f"/post/{cluster.pk}/").content.decode()
        assert 'data-source="harvested"' in first and 'href="?live=1#holdings"' in first
        checked = Client().get(f"/post/{cluster.pk}/?live=1").content.decode()
        assert 'data-source="live"' in checked and "status--available" in checked
