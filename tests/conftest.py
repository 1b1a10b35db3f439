"""Fixtures shared by every suite: shared test data, named staff users, a real Celery worker."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.signals import setting_changed
from django.db import connections

SHARED_TESTDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata"
CHROMIUM = Path("/usr/bin/chromium")

needs_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
)
needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


@pytest.fixture(scope="session", autouse=True)
def _compiled_messages() -> None:
    """The .mo files are generated (not committed): compile them when a .po is newer, so every
    suite (and `pytest -m sqlite` on a fresh checkout) sees the translations."""
    compiled = False
    for po in Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            compiled = True
            try:
                call_command("compilemessages", locale=[po.parent.parent.name], verbosity=0)
            except CommandError:
                # Another test process may be compiling the same catalogue at this moment.
                if not mo.exists():
                    raise
    if compiled:  # a catalogue loaded while the tests were collected was loaded without them
        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(scope="session")
def shared_testdata() -> Path:
    """../shared/testdata beside the repo; tests that use it skip cleanly where it is absent."""
    if not SHARED_TESTDATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_TESTDATA}")
    return SHARED_TESTDATA


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, settings: pytest.FixtureRequest) -> Iterator[None]:
    """Every test writes its index, mail and generated files to its own folder."""
    from catalog.search import reset_backend

    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    search = dict(settings.SEARCH)  # type: ignore[attr-defined]
    if "PATH" in search:
        search["PATH"] = tmp_path / "index"
    settings.SEARCH = search  # type: ignore[attr-defined]
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")  # type: ignore[attr-defined]
    reset_backend()
    yield
    reset_backend()


@pytest.fixture(scope="session")
def celery_worker_queue() -> str:
    """A queue name of this test run's own, so parallel runs on one Redis never steal tasks."""
    return f"samsok-test-{os.getpid()}"


@pytest.fixture
def celery_worker(transactional_db: None, celery_worker_queue: str) -> Iterator[object]:
    """A real Celery worker thread on Redis, consuming this run's queue (no eager mode)."""
    if not settings.REDIS_URL:
        pytest.skip("needs Redis (REDIS_URL) for a real Celery worker")
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.conf.task_default_queue = celery_worker_queue
    app.conf.task_routes = {}
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()  # cached at the first send, maybe by an earlier test
    # Production keeps no task results (CELERY_TASK_IGNORE_RESULT); tests read what a task returned.
    app.loader.import_default_modules()
    ignoring = {name: task.ignore_result for name, task in app.tasks.items()}
    for task in app.tasks.values():
        task.ignore_result = False
    try:
        with start_worker(app, queues=[celery_worker_queue], perform_ping_check=False, pool="solo") as worker:
            yield worker
    finally:
        for name, ignore in ignoring.items():
            app.tasks[name].ignore_result = ignore


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright, one per test module.

    Module scope on purpose: while a sync Playwright is open its event loop counts as running in
    this thread, so a second one cannot start, and Django's async-safety check must be relaxed for
    the test's own ORM calls. Both end with the module, so no other test runs under them.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        # Live-server threads must not keep connections open, or the test database cannot be dropped.
        patch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", 0)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            yield browser
            browser.close()
            # ORM calls made while Playwright's loop ran got connections of their own: close them.
            connections.close_all()
