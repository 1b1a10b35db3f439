"""The staff source-health pages: who sees which sources, run now (POST + CSRF), confirm."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Library
from harvest.models import Source
from harvest.services import harvest_source
from tests.harvest.conftest import file_source, marcxml
from tests.world.places import staff as staff_member

pytestmark = pytest.mark.django_db


def staff(username: str, libraries: list[Library], regional: bool = False) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_member(username, *libraries, regional=regional))
    return client


@pytest.fixture
def sources(tmp_path: Path, libraries: dict[str, Library]) -> dict[str, Source]:
    good = tmp_path / "sods.xml"
    good.write_bytes(marcxml("1", "Sommarboken", sigel="Sods"))
    bad = tmp_path / "li.mrc"
    bad.write_bytes(b"not marc at all")
    made = {"Sods": file_source(good, libraries["Sods"]), "Li": file_source(bad, libraries["Li"])}
    for source in made.values():
        harvest_source(source.pk)
    return made


def test_regional_staff_see_every_source(sources: dict[str, Source], libraries: dict[str, Library]) -> None:
    page = staff("regional", [], regional=True).get("/staff/sources/")
    assert page.status_code == 200
    text = page.content.decode()
    assert str(sources["Sods"].url) in text and str(sources["Li"].url) in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_librarian_sees_own_library_only(sources: dict[str, Source], libraries: dict[str, Library]) -> None:
    client = staff("anna", [libraries["Sods"]])
    text = client.get("/staff/sources/").content.decode()
    assert str(sources["Sods"].url) in text and str(sources["Li"].url) not in text
    assert client.get(f"/staff/sources/{sources['Li'].pk}/").status_code == 404


def test_failed_records_are_shown_with_their_reason(
    sources: dict[str, Source], libraries: dict[str, Library]
) -> None:
    text = staff("bo", [libraries["Li"]]).get(f"/staff/sources/{sources['Li'].pk}/").content.decode()
    assert "not an ISO 2709 record" in text


def test_run_now_needs_post_and_csrf(
    sources: dict[str, Source], libraries: dict[str, Library], django_capture_on_commit_callbacks: object
) -> None:
    client = staff("anna", [libraries["Sods"]])
    url = f"/staff/sources/{sources['Sods'].pk}/run/"
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token
    token = client.get("/staff/sources/").cookies["csrftoken"].value
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and len(callbacks) == 1


def test_patrons_are_sent_to_login(sources: dict[str, Source]) -> None:
    assert Client().get("/staff/sources/").status_code == 302


def test_only_regional_staff_confirm_mass_deletion(
    sources: dict[str, Source], libraries: dict[str, Library]
) -> None:
    source = sources["Sods"]
    librarian = staff("anna", [libraries["Sods"]])
    librarian.cookies["csrftoken"] = "x" * 32
    url = f"/staff/sources/{source.pk}/confirm-deletion/"
    assert librarian.post(url, {"csrfmiddlewaretoken": "x" * 32}).status_code == 403
    regional = staff("region", [], regional=True)
    regional.cookies["csrftoken"] = "y" * 32
    assert regional.post(url, {"csrfmiddlewaretoken": "y" * 32}).status_code == 302
    source.refresh_from_db()
    assert source.mass_deletion_confirmed


def test_admin_pages_for_libraries_sources_runs_and_records(sources: dict[str, Source]) -> None:
    admin = User.objects.create_superuser("admin", password="pw-123456789")
    client = Client()
    client.force_login(admin)
    record = sources["Sods"].records.first()
    run = sources["Sods"].runs.first()
    for url in (
        "/admin/catalog/library/",
        f"/admin/catalog/library/{sources['Sods'].library_id}/change/",
        "/admin/harvest/source/",
        f"/admin/harvest/source/{sources['Sods'].pk}/change/",
        "/admin/harvest/harvestrun/",
        f"/admin/harvest/harvestrun/{run.pk}/change/",
        "/admin/catalog/sourcerecord/",
        f"/admin/catalog/sourcerecord/{record.pk}/change/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_regional_source_says_so_beside_its_library(tmp_path: Path, libraries: dict[str, Library]) -> None:
    path = tmp_path / "lan.xml"
    path.write_bytes(marcxml("1", "Sommarboken", sigel="Sods"))
    source = Source.objects.create(
        protocol="marc-file", url=str(path), library=libraries["Nyks"], regional=True
    )
    page = staff("regional", [], regional=True).get(f"/staff/sources/{source.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Bibliotek Nyks (Nyks); regional feed (many libraries)" in page.content.decode()
