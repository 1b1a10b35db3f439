"""Crafted ids and text get a 400 or 404 with the normal error page or JSON error, never a 500.

The cases: ids past 64 bits (SQLite cannot bind them), digits int() rejects ("²") or
that are no id ("٣"), and NUL characters (PostgreSQL refuses them) in paths, queries, forms and
cookies. PostgreSQL refuses NUL where SQLite stores it; both answer the same.
"""

from datetime import UTC, datetime

import pytest
from django.test import Client

from catalog.models import Cluster
from portal.params import MAX_DB_ID, parse_id
from tests.world.ill import make_county, place_request
from tests.world.places import PASSWORD

BIG = "99999999999999999999"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


def test_parse_id_takes_ascii_digits_within_64_bits_only() -> None:
    assert [parse_id(raw) for raw in ["1", "0042", str(MAX_DB_ID)]] == [1, 42, MAX_DB_ID]
    for raw in ["", "0", "-1", " 1", "1.0", "²", "٣", str(MAX_DB_ID + 1), BIG, "1" * 400]:
        assert parse_id(raw) is None, raw


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("ids", [BIG, f"1,{BIG}", "%C2%B2", "%D9%A3", "0", "-3"])
def test_batch_availability_answers_400_to_ids_that_are_no_record_ids(client: Client, ids: str) -> None:
    api = client.get(f"/api/v1/availability?ids={ids}")
    assert api.status_code == 400 and "error" in api.json()
    page = client.get(f"/sok/status?ids={ids}")
    assert page.status_code == 400 and "error" in page.json()


@pytest.mark.sqlite
@pytest.mark.django_db
@pytest.mark.parametrize("record", ["%C2%B2", "%D9%A3", BIG])
def test_the_request_form_answers_404_to_a_record_that_is_no_id(client: Client, record: str) -> None:
    Cluster.objects.create(pk=3, data={"title": "Tre"})  # "٣" is 3 to int(): it must not find this
    for response in [
        client.get(f"/fjarrlan/ny/?record={record}"),
        client.post(f"/fjarrlan/ny/?record={record}", {"patron_name": "P"}),
    ]:
        assert response.status_code == 404
        assert "404.html" in [template.name for template in response.templates]


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_nul_in_the_status_link_and_its_cancel_path_is_a_400(client: Client) -> None:
    county = make_county()
    req = place_request(county, NOW)
    for response in [
        client.get(f"/fjarrlan/status/{req.token}%00/"),
        client.get("/fjarrlan/tack/a%00b/"),
        client.post(f"/fjarrlan/status/{req.token}%00/avbryt/"),
    ]:
        assert response.status_code == 400
        assert "<h1>" in response.content.decode()  # the site's error page, not Django's bare one
    req.refresh_from_db()
    assert req.state == "new"


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_nul_in_staff_searches_forms_and_the_api_is_a_400() -> None:
    county = make_county()
    req = place_request(county, NOW)
    staff = Client()
    assert staff.login(username="sara", password=PASSWORD)
    assert staff.get("/staff/catalog/?q=r%00da").status_code == 400
    assert staff.get("/staff/ill/incoming/?library=%00").status_code == 400
    posted = staff.post(f"/staff/ill/{req.pk}/act/", {"action": "send", "note": "a\x00b", "state": "new"})
    assert posted.status_code == 400
    req.refresh_from_db()
    assert req.state == "new"
    api = Client().get("/api/v1/search?q=r%00da")
    assert api.status_code == 400 and "error" in api.json()
    assert Client().get("/sok/?q=r%00da&library=%00").status_code == 400


@pytest.mark.sqlite
@pytest.mark.django_db
def test_the_admin_list_filter_answers_400_to_a_nul() -> None:
    county = make_county()
    county.regional.is_staff = county.regional.is_superuser = True
    county.regional.save()
    admin = Client()
    assert admin.login(username="regina", password=PASSWORD)
    assert admin.get("/admin/ill/request/?state=%00").status_code == 400


@pytest.mark.sqlite
@pytest.mark.django_db
def test_a_session_cookie_with_a_nul_counts_as_no_session() -> None:
    crafted = Client(HTTP_COOKIE='sessionid="abcdefgh\\000ijk"')
    response = crafted.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
