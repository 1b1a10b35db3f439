"""What a source may read: files under the harvest file root only, URLs of public hosts only —
checked when the source is added (command, admin) and again when it is harvested. Messages are
read in Swedish, the default language."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from catalog.models import Library, SourceRecord
from harvest.models import HarvestRun, Source
from harvest.services import harvest_source
from sample.local_oai import LocalOaiServer
from tests.harvest.conftest import fill, marcxml

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict(settings: pytest.FixtureRequest) -> None:
    """The production defaults: no internal URLs, files under the data dir's files/ and demo/."""
    settings.HARVEST_ALLOW_PRIVATE_URLS = False  # type: ignore[attr-defined]
    settings.HARVEST_FILE_ROOT = None  # type: ignore[attr-defined]


def _refused(source: Source, words: str) -> HarvestRun:
    run = harvest_source(source.pk)
    assert run.status == HarvestRun.Status.FAILED
    assert words in run.errors[-1]["message"], run.errors
    assert not SourceRecord.objects.filter(source=source).exists()
    return run


@pytest.mark.sqlite
def test_a_stored_source_cannot_read_files_outside_the_root(
    strict: None, libraries: dict[str, Library]
) -> None:
    """Sources stored before the rule (or behind the form's back) are refused when harvested."""
    data_dir = Path(django_settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "secret_key").write_text("not-so-secret")
    for location in ("/etc/passwd", str(data_dir / "secret_key"), "file:///etc/passwd"):
        _refused(Source.objects.create(protocol="marc-file", url=location), "utanför mappen")


@pytest.mark.sqlite
def test_files_under_the_root_are_read_and_links_out_of_it_are_not(
    strict: None, libraries: dict[str, Library]
) -> None:
    files = Path(django_settings.DATA_DIR) / "files"
    files.mkdir(parents=True)
    (files / "export.xml").write_bytes(marcxml("1", "Hemma"))
    (files / "passwd.mrc").symlink_to("/etc/passwd")
    inside = [str(files / "export.xml"), (files / "export.xml").as_uri()]
    for location in inside:
        run = harvest_source(Source.objects.create(protocol="marc-file", url=location).pk)
        assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 1), run.errors
    for location in (str(files / "passwd.mrc"), str(files / ".." / "secret_key")):
        _refused(Source.objects.create(protocol="marc-file", url=location), "utanför mappen")


@pytest.mark.sqlite
def test_harvest_file_root_setting_moves_the_folder(
    tmp_path: Path, settings: pytest.FixtureRequest, libraries: dict[str, Library]
) -> None:
    settings.HARVEST_FILE_ROOT = tmp_path / "exports"  # type: ignore[attr-defined]
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "a.xml").write_bytes(marcxml("1", "Ett"))
    (tmp_path / "b.xml").write_bytes(marcxml("2", "Två"))
    ok = harvest_source(
        Source.objects.create(protocol="marc-file", url=str(tmp_path / "exports" / "a.xml")).pk
    )
    assert ok.status == HarvestRun.Status.COMPLETE
    _refused(Source.objects.create(protocol="marc-file", url=str(tmp_path / "b.xml")), "utanför mappen")


def test_oai_and_file_urls_to_internal_addresses_are_refused(
    strict: None, oai_server: LocalOaiServer, libraries: dict[str, Library]
) -> None:
    """127.0.0.1, and a host name that resolves to it; the OAI-PMH and the MARC-file protocol."""
    fill(oai_server, 3)
    port = oai_server.url.split(":")[2].split("/")[0]
    for url in (oai_server.url, f"http://localhost:{port}/oai"):
        _refused(Source.objects.create(protocol="oai-pmh", url=url), "intern adress")
    _refused(Source.objects.create(protocol="marc-file", url=f"http://localhost:{port}/oai"), "intern adress")


def test_internal_oai_provider_is_harvested_when_allowed(
    settings: pytest.FixtureRequest, oai_server: LocalOaiServer, libraries: dict[str, Library]
) -> None:
    settings.HARVEST_ALLOW_PRIVATE_URLS = True  # type: ignore[attr-defined]
    fill(oai_server, 3)
    run = harvest_source(Source.objects.create(protocol="oai-pmh", url=oai_server.url).pk)
    assert (run.status, run.added) == (HarvestRun.Status.COMPLETE, 3)


def test_add_source_refuses_what_a_harvest_would_refuse(strict: None, libraries: dict[str, Library]) -> None:
    # The command line speaks English (portal.commands.EnglishCommand), the site Swedish.
    refused = {
        "/etc/passwd": "outside the folder",
        "file:///etc/passwd": "outside the folder",
        "http://127.0.0.1:8000/export.mrc": "an internal address",
        "http://localhost/export.mrc": "an internal address",
        "http://169.254.169.254/latest/meta-data/": "an internal address",
        "http://[::1]/oai": "an internal address",
    }
    for url, words in refused.items():
        with pytest.raises(CommandError, match=words):
            call_command("add_source", "Sods", "--protocol", "marc-file", "--url", url, stdout=StringIO())
    with pytest.raises(CommandError, match="an internal address"):
        call_command(
            "add_source", "Sods", "--protocol", "oai-pmh", "--url", "http://10.0.0.8/oai", stdout=StringIO()
        )
    assert not Source.objects.exists()
    files = Path(django_settings.DATA_DIR) / "files"
    files.mkdir(parents=True)
    out = StringIO()
    call_command(
        "add_source", "Sods", "--protocol", "marc-file", "--url", str(files / "sods.mrc"), stdout=out
    )
    assert Source.objects.get().url == str(files / "sods.mrc")


def test_admin_form_refuses_a_file_outside_the_root(strict: None, libraries: dict[str, Library]) -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("admin", password="pw-123456789"))
    form = {
        "library": libraries["Sods"].pk,
        "name": "",
        "protocol": "marc-file",
        "url": "/etc/passwd",
        "metadata_prefix": "marcxml",
        "set_spec": "",
        "holdings_profile": "auto",
        "schedule_minutes": 1440,
        "enabled": "on",
        "state": "ok",
        "attention_reason": "",
    }
    response = client.post("/admin/harvest/source/add/", form, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert "utanför mappen" in response.content.decode()  # the Swedish message, on the form
    assert not Source.objects.exists()
    files = Path(django_settings.DATA_DIR) / "files"
    response = client.post("/admin/harvest/source/add/", {**form, "url": str(files / "sods.mrc")})
    assert response.status_code == 302
    assert Source.objects.get().url == str(files / "sods.mrc")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_the_check_is_made_again_when_a_link_changes(strict: None, libraries: dict[str, Library]) -> None:
    """Allowed when added, refused when the file has become a link out of the root."""
    files = Path(django_settings.DATA_DIR) / "files"
    files.mkdir(parents=True)
    (files / "export.xml").write_bytes(marcxml("1", "Hemma"))
    call_command(
        "add_source", "Sods", "--protocol", "marc-file", "--url", str(files / "export.xml"), stdout=StringIO()
    )
    (files / "export.xml").unlink()
    (files / "export.xml").symlink_to("/etc/passwd")
    _refused(Source.objects.get(), "utanför mappen")
