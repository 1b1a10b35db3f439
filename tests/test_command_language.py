"""The command line speaks English (issue 23): every command of ours is a portal.commands.EnglishCommand,
so its summary and errors never mix Swedish labels or messages into English sentences, whatever the
site's language (LANGUAGE_CODE is sv) or the caller's."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.utils import translation

from portal.commands import EnglishCommand
from tests.world.places import library

OUR_APPS = {"portal", "catalog", "harvest", "ill", "api", "opac", "sample"}


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_every_command_of_ours_speaks_english() -> None:
    ours = {name: app for name, app in get_commands().items() if app in OUR_APPS}
    assert {"add_library", "add_source", "add_staff", "harvest", "rebuild_index", "demo_county"} <= set(ours)
    assert {"generate_county", "run_scheduled", "ill_maintenance"} <= set(ours)
    plain = [
        name for name, app in ours.items() if not isinstance(load_command_class(app, name), EnglishCommand)
    ]
    assert plain == [], f"build these on portal.commands.EnglishCommand: {plain}"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_summaries_quote_english_labels_under_a_swedish_site(tmp_path: Path, settings: object) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path  # type: ignore[attr-defined]
    path = tmp_path / "sods.mrc"
    path.write_bytes(b"")
    library("Sods")
    with translation.override("sv"):
        summary = run("add_source", "Sods", "--protocol", "marc-file", "--url", str(path)).splitlines()[-1]
        assert translation.get_language() == "sv"  # the caller's language is given back
    assert summary.endswith(f"(MARC file or URL {path})"), summary
    assert "MARC-fil" not in summary


@pytest.mark.sqlite
@pytest.mark.django_db
def test_errors_quote_english_messages_under_a_swedish_site(tmp_path: Path, settings: object) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path / "files"  # type: ignore[attr-defined]
    library("Sods")
    with translation.override("sv"):
        with pytest.raises(CommandError, match="outside the folder that harvested files are read from"):
            run("add_source", "Sods", "--protocol", "marc-file", "--url", "/etc/passwd")
        with pytest.raises(CommandError, match="Enter a valid email address"):
            run("add_library", "Ty", "--name", "Tyresö bibliotek", "--email", "inte-en-adress")
        with pytest.raises(CommandError, match="Enter a valid email address"):
            run("add_staff", "anna", "--library", "Sods", "--email", "inte-en-adress")
