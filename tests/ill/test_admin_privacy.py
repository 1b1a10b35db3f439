"""The Django admin shows patron data under the staff pages' rule: the borrowing library only.

Without it superusers (regional staff) and staff with view permission would read every
patron's name, card, contact and message, and the outbox bodies, in the admin.
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from ill.models import OutboxMessage, Request
from ill.states import Side
from ill.workflow import Actor, perform
from tests.world.ill import County, place_request
from tests.world.places import PASSWORD

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATRON_DATA = ["Patrik Patron", "1234567890", "patrik@example.org", "Gärna före jul"]


def admin_client(user: User, *, superuser: bool = False) -> Client:
    """Regional staff are superusers; a librarian gets into the admin with view permissions."""
    user.is_staff, user.is_superuser = True, superuser
    user.save()
    if not superuser:
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_request", "view_outboxmessage"])
        )
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def patron_data_in(html: str) -> list[str]:
    return [value for value in PATRON_DATA if value in html]


@pytest.fixture
def req(county: County) -> Request:
    return place_request(county, NOW)


@pytest.mark.sqlite
def test_a_regional_superuser_sees_no_patron_data_on_the_change_page_or_the_list(
    county: County, req: Request
) -> None:
    client = admin_client(county.regional, superuser=True)
    change = client.get(f"/admin/ill/request/{req.pk}/change/")
    assert change.status_code == 200 and req.number in change.content.decode()
    assert patron_data_in(change.content.decode()) == []
    listing = client.get("/admin/ill/request/")
    assert req.number in listing.content.decode()
    assert patron_data_in(listing.content.decode()) == []


@pytest.mark.sqlite
def test_nobody_finds_a_request_by_patron_data_in_the_admin(county: County, req: Request) -> None:
    client = admin_client(county.regional, superuser=True)
    for query in ["Patrik", "1234567890", "patrik@example.org"]:
        assert req.number not in client.get("/admin/ill/request/", {"q": query}).content.decode(), query
    # Nor by filtering on a patron field in the address (the admin allows local-field lookups).
    for lookup in ["card_number=1234567890", "email__startswith=p", "patron_name__contains=Pat"]:
        response = client.get(f"/admin/ill/request/?{lookup}")
        assert response.status_code == 400 or req.number not in response.content.decode(), lookup
    for lookup in ["to=patrik@example.org", "body__contains=Patrik"]:
        assert client.get(f"/admin/ill/outboxmessage/?{lookup}").status_code == 400, lookup


@pytest.mark.sqlite
def test_the_borrowing_library_sees_its_patron_in_the_admin_and_a_lender_does_not(
    county: County, req: Request
) -> None:
    perform(req.pk, "send", Actor(Side.BORROWER), now=NOW)  # Nyköping is asked first
    borrower = admin_client(county.sods_librarian)
    page = borrower.get(f"/admin/ill/request/{req.pk}/change/").content.decode()
    assert patron_data_in(page) == PATRON_DATA
    lender = admin_client(county.nyks_librarian)
    response = lender.get(f"/admin/ill/request/{req.pk}/change/")
    assert response.status_code == 200 and patron_data_in(response.content.decode()) == []
    # A library not asked (yet) does not see the request at all, as on the staff pages.
    assert req.number not in admin_client(county.li_librarian).get("/admin/ill/request/").content.decode()


@pytest.mark.sqlite
def test_the_outbox_is_read_only_without_addresses_or_bodies(county: County, req: Request) -> None:
    message = OutboxMessage.objects.get(request=req, kind=OutboxMessage.Kind.CONFIRMATION)
    assert "Patrik" in message.body  # the confirmation greets the patron by name
    message.last_error = "550 5.1.1 <Patrik@example.org>: Recipient address rejected"
    message.save()
    for client in [admin_client(county.regional, superuser=True), admin_client(county.sods_librarian)]:
        for url in ["/admin/ill/outboxmessage/", f"/admin/ill/outboxmessage/{message.pk}/change/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert patron_data_in(response.content.decode()) == [], url
            assert message.body[:40] not in response.content.decode(), url
            assert "patrik@example.org" not in response.content.decode().lower(), url
        assert "Recipient address rejected" in client.get(url).content.decode()  # the error, masked
        assert client.get("/admin/ill/outboxmessage/add/").status_code == 403
        assert client.get(f"/admin/ill/outboxmessage/{message.pk}/delete/").status_code == 403
        client.post(f"/admin/ill/outboxmessage/{message.pk}/change/", {"to": "evil@example.org"})
    message.refresh_from_db()
    assert message.to == "patrik@example.org"
