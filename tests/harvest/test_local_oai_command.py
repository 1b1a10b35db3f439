"""`python -m sample.local_oai DIR_OR_FILE`: the local OAI-PMH provider as a program of its own, the
quickest OAI source to try the portal with. Started here as a real process and harvested over HTTP."""

import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.models import Holding, Library, SourceRecord
from sample.marcfile import Field, iso2709
from tests.harvest.conftest import MARC_NS, marcxml

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]
URL = re.compile(r"http://127\.0\.0\.1:\d+/oai")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def county_folder(root: Path) -> Path:
    """Two libraries' exports: Södertälje's as MARCXML, Nyköping's as ISO 2709, and a file that is
    not MARC (the provider serves .mrc/.marc/.iso/.xml files only)."""
    folder = root / "exports"
    folder.mkdir()
    records = b"".join(marcxml(str(n), f"Titel {n}", sigel="Sods") for n in (1, 2, 3))
    (folder / "Sods.xml").write_bytes(
        b'<collection xmlns="' + MARC_NS.encode() + b'">' + records + b"</collection>"
    )
    fields: list[Field] = [("001", "n1"), ("008", "170327s2017    sw ||||j     |00| 0|swe d")]
    fields += [("245", "1", "0", [("a", "Nyköpingsgästabudet")]), ("852", " ", " ", [("b", "Nyks")])]
    (folder / "Nyks.mrc").write_bytes(iso2709("00000nam a2200000 a 4500", fields))
    (folder / "libraries.json").write_text("[]")
    return folder


def read_until_url(process: subprocess.Popen[str], seconds: float = 30) -> tuple[str, str]:
    """What the provider printed up to its last start-up line, and the URL in it."""
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    printed = ""
    while "Ctrl-C" not in printed:
        try:
            printed += lines.get(timeout=seconds)
        except queue.Empty:
            pytest.fail(f"the provider did not start within {seconds} s: {printed!r}")
        if process.poll() is not None and lines.empty():
            pytest.fail(f"the provider stopped: {printed!r}")
    found = URL.search(printed)
    assert found, printed
    return printed, found.group(0)


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[tuple[str, str]]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sample.local_oai",
            str(county_folder(tmp_path)),
            "--port",
            "0",
            "--page-size",
            "2",
        ],
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield read_until_url(process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_provider_serves_a_folder_and_the_portal_harvests_it(
    provider: tuple[str, str], libraries: dict[str, Library]
) -> None:
    printed, url = provider
    assert "serving 4 records" in printed and "sets: Nyks (1), Sods (3)" in printed
    assert f"python manage.py add_source CODE --protocol oai-pmh --url {url}" in printed
    assert "HARVEST_ALLOW_PRIVATE_URLS=1" in printed  # a source on 127.0.0.1 needs it
    # One source per library, each reading its own file's set, as printed.
    sods = int(
        run("add_source", "Sods", "--protocol", "oai-pmh", "--url", url, "--set", "Sods").splitlines()[0]
    )
    nyks = int(
        run("add_source", "Nyks", "--protocol", "oai-pmh", "--url", url, "--set", "Nyks").splitlines()[0]
    )
    summary = run("harvest", str(sods), str(nyks)).splitlines()[-1]
    assert summary == "harvested 2 sources: 4 added, 0 updated, 0 unchanged, 0 deleted, 0 failed"
    titles = set(SourceRecord.objects.filter(source_id=sods).values_list("data__title", flat=True))
    assert titles == {"Titel 1", "Titel 2", "Titel 3"}
    assert Holding.objects.filter(record__source_id=nyks, library__code="Nyks").count() == 1
    # The whole feed, as one regional source, holds the same four.
    regional = int(run("add_source", "-", "--protocol", "oai-pmh", "--url", url).splitlines()[0])
    assert run("harvest", str(regional)).splitlines()[-1].startswith("harvested 1 sources: 4 added")


def test_the_provider_refuses_what_it_cannot_serve(tmp_path: Path) -> None:
    empty = subprocess.run(
        [sys.executable, "-m", "sample.local_oai", str(tmp_path), "--port", "0"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert empty.returncode != 0 and "no MARC records" in empty.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "sample.local_oai", str(tmp_path / "nope"), "--port", "0"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert missing.returncode != 0 and "does not exist" in missing.stderr
