"""The README's "Command line" and "Operations" sections say what the code does (issue 23)."""

import re
from argparse import ArgumentParser
from itertools import takewhile
from pathlib import Path

import pytest
from django.core.management import BaseCommand, get_commands, load_command_class

from sample import LIBRARIES

REPO = Path(__file__).resolve().parent.parent
OUR_APPS = {"portal", "catalog", "harvest", "ill", "api", "opac", "sample"}

pytestmark = pytest.mark.sqlite


def section(title: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_sample_county_is_counted_right() -> None:
    quick_start = section("Quick start")
    assert f"({len(LIBRARIES)} libraries," in quick_start


def options(app: str, name: str) -> set[str]:
    """The --options a command of ours adds to the ones every Django command has."""

    def long_options(parser: ArgumentParser) -> set[str]:
        return {
            option for action in parser._actions for option in action.option_strings if option[:2] == "--"
        }

    command = load_command_class(app, name)
    return long_options(command.create_parser("manage.py", name)) - long_options(
        BaseCommand().create_parser("manage.py", name)
    )


def synopsis(listing: str, name: str) -> str:
    """The command's line in the listing, with the indented lines that continue it."""
    lines = listing.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"python manage.py {name}"))
    rest = list(takewhile(lambda line: line.startswith(" "), lines[start + 1 :]))
    return " ".join([lines[start], *rest])


def test_every_command_and_every_option_of_ours_is_listed() -> None:
    listing = section("Command line")
    ours = {name: app for name, app in get_commands().items() if app in OUR_APPS}
    assert {"add_staff", "add_source", "run_scheduled"} <= set(ours)
    for name, app in ours.items():
        assert f"python manage.py {name}" in listing, f"{name} is missing from 'Command line'"
        line = synopsis(listing, name)
        for option in options(app, name):
            assert re.search(rf"{re.escape(option)}\b", line), (
                f"{name} {option} is missing from 'Command line'"
            )
    for program in [
        "python -m sample.local_oai DIR_OR_FILE [--port N]",
        "python -m portal.healthcheck [URL]",
    ]:
        assert program in listing


def test_add_source_s_defaults_are_the_documented_ones() -> None:
    parser = load_command_class("harvest", "add_source").create_parser("manage.py", "add_source")
    defaults = {action.dest: action.default for action in parser._actions}
    assert defaults["schedule_minutes"] == 1440 and "| `--schedule-minutes` | 1,440 (a day) |" in section(
        "Command line"
    )
    assert defaults["holdings_profile"] == "auto" and defaults["metadata_prefix"] == "marcxml"
    assert "every 5 minutes" in section("Command line")


def test_operations_walks_through_staff_deployment_and_monitoring() -> None:
    operations = section("Operations")
    for needed in [
        "add_staff regina --regional",
        "add_staff sara --library Sods",
        "changepassword",
        "Staff of libraries",  # the admin inline's heading
        "docker compose up -d",
        "never share a Redis database",
        "manage.py migrate",
        "compilemessages",
        "collectstatic",
        "gunicorn portal.wsgi:application",
        "run_scheduled --every 2",
        "celery -A portal worker --queues samsok ",
        "celery -A portal beat",
        "/healthz",
        "python -m portal.healthcheck URL",
        "/staff/sources/",
        "Jobs",
        "python -m sample.local_oai",
    ]:
        assert needed in operations, needed
