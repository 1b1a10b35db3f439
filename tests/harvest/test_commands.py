"""add_library, add_source, harvest: one-line summary last, non-zero exit with a message on error."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Library
from harvest.models import Source
from tests.harvest.conftest import marcxml

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.sqlite
def test_register_and_harvest_from_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "one.xml"
    path.write_bytes(marcxml("1", "Mumintrollet", sigel="Sods"))
    assert run("add_library", "Sods", "--name", "Söderhamns bibliotek", "--municipality", "Söderhamn")
    output = run("add_source", "Sods", "--protocol", "marc-file", "--url", str(path)).splitlines()
    source = Source.objects.get(pk=int(output[0]))
    assert source.library == Library.objects.get(code="Sods")
    summary = run("harvest", str(source.pk)).splitlines()[-1]
    assert summary == "harvested 1 sources: 1 added, 0 updated, 0 unchanged, 0 deleted, 0 failed"
    assert run("harvest", "--all", "--full").splitlines()[-1].endswith("1 unchanged, 0 deleted, 0 failed")


def test_errors_exit_non_zero_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown library"):
        run("add_source", "Nope", "--protocol", "marc-file", "--url", "x")
    with pytest.raises(CommandError, match="unknown source id"):
        run("harvest", "999")
    with pytest.raises(CommandError, match="SOURCE_ID"):
        run("harvest")
    Library.objects.create(code="Sods", name="S")
    with pytest.raises(CommandError, match="exists already"):
        run("add_library", "Sods", "--name", "S")
    source = Source.objects.create(protocol="marc-file", url=str(tmp_path / "missing.mrc"))
    with pytest.raises(CommandError, match="1 problems"):
        run("harvest", str(source.pk))
