"""Real headless Chromium (Debian's, via Playwright) against pytest-django's live server."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """Pages in fresh contexts; every console CSP violation or page error fails the test."""
    contexts: list[Any] = []
    problems: list[str] = []

    def make(width: int = 1280, javascript: bool = True, language: str = "sv-SE") -> Any:
        context = chromium.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=javascript, locale=language
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda message: _console(message, problems))
        page.on("response", lambda response: _subresource(response, problems))
        page.on("request", lambda request: _external(request, problems))
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == [], problems


def _console(message: Any, problems: list[str]) -> None:
    # A 404 document (the not-found pages under test) logs "Failed to load resource"; failing
    # sub-resources are caught by _subresource instead.
    failed_load = message.text.startswith("Failed to load resource")
    if (message.type == "error" and not failed_load) or "Content Security Policy" in message.text:
        problems.append(message.text)


def _subresource(response: Any, problems: list[str]) -> None:
    if response.request.resource_type != "document" and response.status >= 400:
        problems.append(f"{response.status} {response.url}")


def _external(request: Any, problems: list[str]) -> None:
    """Everything a page needs is served by the project: no CDN, font or tracker requests."""
    host = request.url.split("/")[2] if "://" in request.url else ""
    if request.url.startswith(("http://", "https://")) and not host.startswith(("localhost", "127.0.0.1")):
        problems.append(f"external request: {request.url}")


def audit(page: Any, what: str, selector: str | None = None) -> None:
    """axe-core on the current page (or the part `selector` picks): zero violations of WCAG 2.1
    A/AA and best practice."""
    if not AXE.exists():
        pytest.skip(f"axe-core missing at {AXE} (npm install): accessibility not audited")
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async ([tags, selector]) => await axe.run(selector ? document.querySelector(selector) : document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [AXE_TAGS, selector],
    )
    violations = [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:5]) for v in result["violations"]
    ]
    assert violations == [], f"{what}: {violations}"


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
