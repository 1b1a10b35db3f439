"""availability.js in a real Chromium: harvested status first, then live status, announced; CSP-clean."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.availability.conftest import (
    AVAILABLE_DAIA,
    add_holding,
    daia_responder,
    make_cluster,
    make_library,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def chromium_page() -> Iterator[object]:
    """Opened after the test data is written: Playwright's loop makes the ORM refuse to run."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser.new_page()
        browser.close()


def test_record_page_updates_to_live_status_and_announces_it(live_server: object) -> None:
    cluster = make_cluster()
    with daia_responder(AVAILABLE_DAIA) as server:
        holding = add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        with chromium_page() as page:
            _check_live_update(page, f"{live_server.url}/post/{cluster.pk}/", holding.pk)  # type: ignore[attr-defined]


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
    assert axe_violations(page, "#holdings") == []


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: object, selector: str) -> list[str]:
    """axe-core's WCAG 2 A/AA findings inside `selector` (skipped where axe-core is not installed)."""
    if not AXE.is_file():
        return []
    page.evaluate(AXE.read_text())  # type: ignore[attr-defined]
    script = (
        "sel => axe.run(document.querySelector(sel), {runOnly: ['wcag2a', 'wcag2aa']})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help))"
    )
    return list(page.evaluate(script, selector))  # type: ignore[attr-defined]


def test_check_now_link_works_without_javascript(live_server: object) -> None:
    from django.test import Client

    cluster = make_cluster()
    with daia_responder(AVAILABLE_DAIA) as server:
        add_holding(cluster, make_library("Borås", "daia", server.url), status="on_loan")
        first = Client().get(f"/post/{cluster.pk}/").content.decode()
        assert 'data-source="harvested"' in first and 'href="?live=1#holdings"' in first
        checked = Client().get(f"/post/{cluster.pk}/?live=1").content.decode()
        assert 'data-source="live"' in checked and "status--available" in checked
