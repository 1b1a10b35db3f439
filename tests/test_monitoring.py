"""Dead workers and a dead scheduler are seen: /healthz, the container checks, compose's settings."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portal import heartbeat
from portal.beat import HeartbeatScheduler
from portal.celery import app
from portal.models import Heartbeat

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.sqlite
@pytest.mark.django_db
def test_healthz_is_ok_with_a_fresh_scheduler_heartbeat(client: Client) -> None:
    heartbeat.record(now=timezone.now() - timedelta(minutes=1))
    response = client.get("/healthz")
    assert response.json()["checks"]["scheduler"] == "ok"
    assert response.status_code == 200, response.json()


@pytest.mark.sqlite
@pytest.mark.django_db
def test_healthz_is_503_naming_a_stale_scheduler(client: Client) -> None:
    heartbeat.record(now=timezone.now() - timedelta(minutes=6))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "stale since" in response.json()["checks"]["scheduler"]
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_healthz_is_503_when_no_scheduler_ever_ran(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert "no heartbeat yet" in response.json()["checks"]["scheduler"]


@pytest.mark.sqlite
@pytest.mark.django_db
def test_celery_beat_writes_the_heartbeat_on_its_loop(tmp_path: Path) -> None:
    assert settings.CELERY_BEAT_SCHEDULER == "portal.beat.HeartbeatScheduler"
    scheduler = HeartbeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"), lazy=False)
    try:
        delay = scheduler.tick()  # nothing is due on a fresh schedule: nothing is sent
    finally:
        scheduler.close()
    assert delay <= heartbeat.INTERVAL
    assert timezone.now() - Heartbeat.objects.get(name="scheduler").at < timedelta(seconds=30)


@pytest.mark.sqlite
@pytest.mark.django_db
def test_run_scheduled_writes_the_heartbeat() -> None:
    call_command("run_scheduled", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert heartbeat.problem() is None


def healthcheck(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SAMSOK_TESTING": "1"}
    command = [sys.executable, "-m", "portal.healthcheck", *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=60)


def test_the_worker_health_check_pings_a_real_worker(celery_worker: object) -> None:
    answered = healthcheck("--worker", celery_worker.hostname)  # type: ignore[attr-defined]
    assert answered.returncode == 0, answered.stderr
    absent = healthcheck("--worker", f"nobody-{os.getpid()}")
    assert absent.returncode == 1
    assert "did not answer a ping" in absent.stderr


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def seconds(duration: str) -> int:
    """A compose duration such as 35s, 10m or 1m30s, in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    return sum(int(n) * units[unit] for n, unit in re.findall(r"(\d+)([hms])", duration))


@pytest.mark.sqlite
def test_compose_checks_the_workers_and_beat() -> None:
    services = compose()["services"]
    for name in ["worker", "indexer"]:
        command, test = services[name]["command"], services[name]["healthcheck"]["test"]
        node = command[command.index("--hostname") + 1].split("@")[0] if "--hostname" in command else "celery"
        assert test == ["CMD", "python", "-m", "portal.healthcheck", "--worker", node], name
    assert services["beat"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "-m",
        "portal.healthcheck",
        "--scheduler",
    ]


@pytest.mark.sqlite
def test_workers_get_time_to_finish_and_tasks_are_not_handed_out_twice() -> None:
    services = compose()["services"]
    for name in ["worker", "indexer"]:  # compose's default is 10 s: a harvest would be killed
        assert seconds(services[name]["stop_grace_period"]) >= 300, name
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    # Longer than the longest countdown a task waits (the outbox's retry, at most an hour).
    assert timeout > 3600
