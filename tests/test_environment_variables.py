"""Three lists agree: the README's "Environment variables" table, what portal/settings.py reads,
and what docker-compose.yml passes to the containers."""

import ast
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
# Set by the test suite for its own subprocesses, never by an operator.
INTERNAL = {"SAMSOK_TESTING"}
# Fixed by the compose stack itself (its own PostgreSQL, Redis and Elasticsearch).
COMPOSE_FIXED = {"DATABASE_URL", "REDIS_URL", "SEARCH_BACKEND", "ELASTICSEARCH_URL"}

pytestmark = pytest.mark.sqlite


def readme_variables() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}


def settings_variables() -> set[str]:
    """First arguments of the portal.env helpers (env_str, env_int …) in settings.py and env.py."""
    names = set()
    for module in ["portal/settings.py", "portal/env.py"]:
        for node in ast.walk(ast.parse((REPO / module).read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id.startswith("env_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names - INTERNAL


def app_services() -> dict[str, dict]:
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]
    return {name: service for name, service in services.items() if "build" in service}


def test_every_variable_settings_read_is_documented_and_every_documented_one_is_read() -> None:
    documented, read = readme_variables(), settings_variables()
    assert {"SITE_URL", "LOG_LEVEL", "HARVEST_OAI_TIMEOUT", "SECRET_KEY"} <= read
    assert read - documented == set(), "read by settings, missing from the README's table"
    assert documented - read == set(), "in the README's table, read by nothing"


def test_compose_passes_every_documented_variable_to_every_samsok_container() -> None:
    services = app_services()
    assert set(services) >= {"migrate", "web", "worker", "indexer", "beat"}
    for name, service in services.items():
        env_files = service.get("env_file", [])
        assert ".env" in ([env_files] if isinstance(env_files, str) else env_files), name
        for variable, value in service.get("environment", {}).items():
            assert variable in readme_variables(), f"{name}: {variable} is not documented"
            # Anything else is the operator's to set in .env, not overridden here.
            assert variable in COMPOSE_FIXED or str(value).startswith("${" + variable), f"{name}: {variable}"
        assert "DEFAULT_FROM_EMAIL" not in service.get("environment", {}), name


def test_compose_requires_site_url_and_publishes_gunicorn_on_loopback_only() -> None:
    services = app_services()
    assert services["web"]["environment"]["SITE_URL"].startswith("${SITE_URL:?")
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
