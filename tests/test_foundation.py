"""The foundation: health endpoint, production settings, the compose file, the Celery worker."""

import http.client
import os
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml
from django.test import Client

from portal import heartbeat

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.sqlite
@pytest.mark.django_db
def test_healthz_reports_every_part(client: Client) -> None:
    heartbeat.record()  # the scheduler (beat, run_scheduled) is running
    response = client.get("/healthz")
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker", "search", "scheduler"}
    assert response.status_code == 200, body
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client: Client, settings: object) -> None:
    heartbeat.record()
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # type: ignore[attr-defined]  # discard port
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("error: ")
    assert response.json()["checks"]["database"] == "ok"


def production_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SAMSOK_TESTING"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x7Qp9" * 10,
        ALLOWED_HOSTS="samsok.example.org",
        SITE_URL="https://samsok.example.org",
        **extra,
    )
    return env


@pytest.mark.sqlite
def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO,
        env=production_env(SAMSOK_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.sqlite
def test_production_refuses_to_start_without_secret_key(tmp_path: Path) -> None:
    env = production_env(SAMSOK_DATA_DIR=str(tmp_path))
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.sqlite
def test_production_refuses_to_start_without_site_url(tmp_path: Path) -> None:
    """Mail sent by background jobs has no request to take the address from."""
    env = production_env(SAMSOK_DATA_DIR=str(tmp_path))
    del env["SITE_URL"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SITE_URL must be set when DEBUG is off" in result.stderr


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


@pytest.mark.sqlite
def test_compose_has_the_full_stack_with_health_checks() -> None:
    services = compose()["services"]
    assert set(services) >= {"db", "redis", "elasticsearch", "migrate", "web", "worker", "indexer", "beat"}
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["elasticsearch"]["image"].split(":")[-1].startswith("8.")
    for name in ["db", "redis", "elasticsearch", "web"]:
        assert services[name]["healthcheck"]["test"], name
    assert set(compose()["volumes"]) >= {"pg-data", "es-data", "samsok-data"}


@pytest.mark.sqlite
def test_compose_commands_refer_to_what_the_repo_has() -> None:
    from django.conf import settings
    from django.core.management import get_commands

    services = compose()["services"]
    assert (REPO / services["web"]["build"]).joinpath("Dockerfile").is_file()
    gunicorn_target = services["web"]["command"][1]
    module, attribute = gunicorn_target.split(":")
    assert hasattr(__import__(module, fromlist=[attribute]), attribute)
    assert services["migrate"]["command"][1:3] == ["manage.py", "migrate"]
    assert "migrate" in get_commands()
    celery_queues = set()
    for name in ["worker", "indexer", "beat"]:
        command = services[name]["command"]
        assert command[:3] == ["celery", "-A", "portal"], name
        assert (REPO / "portal" / "celery.py").is_file()
        if "--queues" in command:
            celery_queues.add(command[command.index("--queues") + 1])
    assert settings.CELERY_TASK_DEFAULT_QUEUE in celery_queues
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert routed <= celery_queues
    indexer = services["indexer"]["command"]
    assert indexer[indexer.index("--concurrency") + 1] == "1"  # tantivy: one writer


@pytest.mark.sqlite
def test_nothing_generated_or_secret_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    assert not [path for path in tracked if path.startswith(("var/", ".venv/", "node_modules/"))]
    assert "secret_key" not in {Path(path).name for path in tracked}


@pytest.mark.sqlite
def test_compose_shell_health_checks_cannot_pass_by_accident() -> None:
    """An unquoted `&` in a CMD-SHELL check backgrounds the command, so the check always passes."""
    for name, service in compose()["services"].items():
        test = service.get("healthcheck", {}).get("test", [])
        if test[:1] == ["CMD-SHELL"]:
            lexer = shlex.shlex(test[1], posix=True, punctuation_chars=True)
            assert not {"&", ";"} & set(lexer), f"{name}: {test[1]}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.sqlite
@pytest.fixture
def throwaway_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for a process that migrates: never the suite's DATABASE_URL itself,
    whose schema may hold other branches' migrations (a PostgreSQL one is created and dropped)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path}/health.sqlite3"
        return
    name = f"samsok_health_{os.getpid()}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {name}")
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_web_health_check_passes_against_production_settings(
    tmp_path: Path, throwaway_database_url: str
) -> None:
    """The compose `web` check, run against gunicorn with DEBUG off, HTTPS redirect and a real host name."""
    env = production_env(SAMSOK_DATA_DIR=str(tmp_path), DATABASE_URL=throwaway_database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True, timeout=120
    )
    record_heartbeat = "from portal.heartbeat import record; record()"  # as beat does
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", record_heartbeat], cwd=REPO, env=env, check=True
    )
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=REPO,
        env=env,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    check = [sys.executable, "-m", "portal.healthcheck", url]
    try:
        for _ in range(100):
            result = subprocess.run(check, cwd=REPO, env=env, capture_output=True, text=True, timeout=30)
            if "Connection refused" not in result.stderr:
                break
            time.sleep(0.1)
        assert result.returncode == 0, result.stderr
        # What the check guards against: a plain request is redirected to HTTPS.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz", headers={"Host": "samsok.example.org"})
        assert connection.getresponse().status == 301
    finally:
        server.terminate()
        server.wait(timeout=30)
    down = subprocess.run(check, cwd=REPO, env=env, capture_output=True, text=True, timeout=30)
    assert down.returncode == 1 and down.stderr.startswith("unhealthy:")
