"""Logs: one line per event, UTC ISO 8601 with offset in every process, quiet when nothing happens."""

import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.test import Client

from portal.log_format import UtcIsoFormatter

REPO = Path(__file__).resolve().parent.parent
LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00 (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ ")


def record(message: str, created: float, exc_info: object = None) -> logging.LogRecord:
    entry = logging.LogRecord("samsok.test", logging.ERROR, __file__, 1, message, None, exc_info)  # type: ignore[arg-type]
    entry.created = created
    return entry


@pytest.mark.sqlite
def test_the_format_is_utc_iso_8601_with_its_offset() -> None:
    # 2026-12-04 15:49:07.25 in Stockholm (UTC+1), whatever the process's time zone.
    line = UtcIsoFormatter().format(record("harvest stopped", 1796395747.25))
    assert line == "2026-12-04T14:49:07.250+00:00 ERROR samsok.test harvest stopped"


@pytest.mark.sqlite
def test_a_traceback_stays_on_its_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        line = UtcIsoFormatter().format(record("failed", time.time(), sys.exc_info()))
    assert "\n" not in line and "Traceback" in line and LINE.match(line)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_wrong_host_is_one_warning_line_without_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = client.get("/", HTTP_HOST="scanner.example.net")
    assert response.status_code == 400
    logged = [entry for entry in caplog.records if entry.levelno >= logging.INFO]
    assert len(logged) == 1, [entry.getMessage() for entry in logged]
    assert (logged[0].name, logged[0].levelname) == ("django.security.DisallowedHost", "WARNING")
    assert logged[0].exc_info is None
    line = UtcIsoFormatter().format(logged[0])
    assert "\n" not in line and "scanner.example.net" in line and "Traceback" not in line


def test_an_empty_outbox_sweep_logs_nothing_at_info(
    celery_worker: object, caplog: pytest.LogCaptureFixture
) -> None:
    from ill.tasks import send_outbox

    caplog.set_level(logging.INFO)
    assert tuple(send_outbox.delay().get(timeout=30)) == (0, 0)
    time.sleep(0.2)  # the worker logs "succeeded" after it stored the result
    assert [entry.getMessage() for entry in caplog.records if entry.levelno >= logging.INFO] == []
    assert not logging.getLogger("celery.beat").isEnabledFor(logging.INFO)  # "Sending due task"


def quiet_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(SAMSOK_TESTING="1", SAMSOK_DATA_DIR=str(tmp_path), TZ="Europe/Stockholm")
    return env


@pytest.mark.sqlite
def test_celery_logs_through_django_logging(tmp_path: Path) -> None:
    """As a worker or beat starts: Django is set up, then Celery sets up logging."""
    script = (
        "import django, logging; django.setup(); from portal.celery import app; "
        "app.log.setup(loglevel='DEBUG'); logging.getLogger('celery.apps.worker').warning('ready')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=quiet_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if not LINE.match(line)] == []
    assert "WARNING celery.apps.worker ready" in result.stderr


@pytest.mark.sqlite
def test_gunicorn_logs_in_the_same_format(tmp_path: Path) -> None:
    command = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]["web"]["command"]
    config = command[command.index("--config") + 1]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "portal.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1", "--config", config],
        cwd=REPO,
        env=quiet_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = []
        assert server.stderr is not None
        for line in server.stderr:
            lines.append(line.rstrip("\n"))
            if "Booting worker" in line:
                break
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert any("Listening at" in line for line in lines), lines
    assert [line for line in lines if not LINE.match(line)] == []
