import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import env

pytestmark = pytest.mark.sqlite


def test_bool_accepts_common_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for word, expected in [("1", True), ("yes", True), ("False", False), ("off", False)]:
        monkeypatch.setenv("SAMSOK_FLAG", word)
        assert env.env_bool("SAMSOK_FLAG") is expected


def test_bad_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMSOK_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SAMSOK_FLAG='perhaps'"):
        env.env_bool("SAMSOK_FLAG")
    monkeypatch.setenv("SAMSOK_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SAMSOK_NUMBER"):
        env.env_int("SAMSOK_NUMBER", 1)
    monkeypatch.setenv("SAMSOK_NUMBER", "-3")
    with pytest.raises(ImproperlyConfigured, match="at least 0"):
        env.env_int("SAMSOK_NUMBER", 1, minimum=0)
    monkeypatch.setenv("SAMSOK_NUMBER", "5000")
    with pytest.raises(ImproperlyConfigured, match="at most 4000"):
        env.env_int("SAMSOK_NUMBER", 1, maximum=4000)
    monkeypatch.setenv("SEARCH_BACKEND", "solr")
    with pytest.raises(ImproperlyConfigured, match="tantivy, elasticsearch"):
        env.env_choice("SEARCH_BACKEND", ["tantivy", "elasticsearch"], "tantivy")


def test_database_urls() -> None:
    pg = env.database_from_url("postgres://lib:s%40cret@db.example:5433/samsok?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "lib",
        "s@cret",
        "db.example",
        "5433",
        "samsok",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    lite = env.database_from_url("sqlite:////tmp/x.sqlite3")
    assert lite["NAME"] == "/tmp/x.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="unsupported scheme 'mysql'"):
        env.database_from_url("mysql://x/y")


def test_secret_key_required_without_debug(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env.secret_key(tmp_path, debug=False)
    key = env.secret_key(tmp_path, debug=True)
    assert len(key) >= 50
    assert env.secret_key(tmp_path, debug=True) == key  # generated once, then reused
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


# Each child generates the key of 30 new data dirs, released together with the others.
GENERATE_KEYS = """
import os, sys, time
from pathlib import Path
from portal.env import secret_key
while not os.path.exists(sys.argv[1]):
    time.sleep(0.001)
print(" ".join(secret_key(Path(sys.argv[2]) / str(n), debug=True) for n in range(30)))
"""


def test_processes_starting_together_on_a_new_data_dir_share_one_whole_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    start = tmp_path / "go"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", GENERATE_KEYS, str(start), str(tmp_path / "data")],
            cwd=Path(__file__).resolve().parent.parent,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    start.touch()
    keys = [child.communicate(timeout=60)[0].split(" ") for child in children]
    assert all(len(each) == 30 for each in keys)  # an empty key would shorten the line
    assert all(each == keys[0] for each in keys)
    assert all(len(key.strip()) >= 50 for key in keys[0])
    assert sorted(path.name for path in (tmp_path / "data" / "0").iterdir()) == ["secret_key"]


def settings_in_subprocess(
    tmp_path: Path, names: list[str], **environment: str
) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="1", SAMSOK_DATA_DIR=str(tmp_path), **environment)
    code = "from django.conf import settings; " + "; ".join(f"print(settings.{name})" for name in names)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "--command", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_operator_settings_come_from_the_environment(tmp_path: Path) -> None:
    names = ["ILL_ANSWER_WORKING_DAYS", "ILL_OUTBOX_RETRY_SECONDS", "HARVEST_OAI_HTTP", "SITE_URL"]
    result = settings_in_subprocess(
        tmp_path,
        names,
        ILL_ANSWER_WORKING_DAYS="4",
        ILL_OUTBOX_RETRY_SECONDS="30",
        HARVEST_OAI_TIMEOUT="15",
        HARVEST_OAI_RETRIES="0",
        SITE_URL="https://samsok.example.org/",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == ["4", "30"]
    assert "'timeout': 15" in lines[2] and "'retries': 0" in lines[2]
    assert lines[3] == "https://samsok.example.org"


def test_a_bad_operator_setting_stops_start_up(tmp_path: Path) -> None:
    result = settings_in_subprocess(tmp_path, ["ILL_ANSWER_WORKING_DAYS"], ILL_ANSWER_WORKING_DAYS="0")
    assert result.returncode != 0
    assert "ILL_ANSWER_WORKING_DAYS=0 must be at least 1" in result.stderr
