"""Fixtures shared by every suite: shared test data, named staff users, a real Celery worker."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

SHARED_TESTDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL (DATABASE_URL)"
)
needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


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
    with start_worker(app, queues=[celery_worker_queue], perform_ping_check=False, pool="solo") as worker:
        yield worker
