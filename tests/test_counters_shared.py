"""The embedded default's lockout and rate-limit counters are shared by every web process.

Several gunicorn workers without Redis: each child below is a separate process with the embedded
default's settings (no REDIS_URL, one SAMSOK_DATA_DIR), as two workers of one instance would be.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite

ROOT = Path(__file__).resolve().parent.parent

# Both children count on one key at the same moment (a start file releases them together).
COUNT_HITS = """
import os, sys, time, django
django.setup()
from ill.ratelimit import over_limit
print("ready", flush=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.001)
print(sum(over_limit("two-processes", 60, 3600) for _ in range(50)))
"""

FAIL_LOGINS = """
import sys, django
django.setup()
from portal.lockout import login_locked, record_login_failure
for _ in range(int(sys.argv[1])):
    record_login_failure("alva", sys.argv[2])
print(login_locked("alva", "192.0.2.99"))
"""


def embedded_default(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DATABASE_URL"}}
    env.pop("SAMSOK_TESTING", None)
    env.update(SAMSOK_DATA_DIR=str(data_dir), DEBUG="1", DJANGO_SETTINGS_MODULE="portal.settings")
    return env


def child(script: str, data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=embedded_default(data_dir),
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_count_every_hit_on_one_counter(tmp_path: Path) -> None:
    start = tmp_path / "go"
    workers = [child(COUNT_HITS, tmp_path / "data", str(start)) for _ in range(2)]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    start.touch()
    over = [int(worker.communicate(timeout=60)[0]) for worker in workers]
    # 100 hits on a limit of 60: hits 61-100 are over, whichever process made them.
    assert sum(over) == 40


def test_failed_logins_in_two_processes_lock_the_account_together(tmp_path: Path) -> None:
    def failures(count: int, address: str) -> str:
        out, _ = child(FAIL_LOGINS, tmp_path / "data", str(count), address).communicate(timeout=60)
        return out.strip()

    assert failures(3, "192.0.2.1") == "False"
    assert failures(2, "192.0.2.2") == "True"  # the fifth failure, counted in another process
    assert failures(0, "192.0.2.3") == "True"  # and a new process (a restart) does not forget it
