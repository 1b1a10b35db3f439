"""Staff login: the guard, the lockout per account and per address, POST-only logout."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from catalog.models import Library, StaffMember
from portal.staff import MAX_FAILURES_PER_ACCOUNT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def _forget_failures() -> None:
    # Not cache.clear(): on Redis that flushes the database every other test run shares.
    keys = [f"staff-login:account:{name}" for name in ("alva", "nobody", *(f"guess{i}" for i in range(20)))]
    cache.delete_many([*keys, "staff-login:address:127.0.0.1", "staff-login:address:10.0.0.9"])


@pytest.fixture
def librarian() -> User:
    user = User.objects.create_user("alva", password=PASSWORD)
    staff = StaffMember.objects.create(user=user)
    staff.libraries.add(Library.objects.create(code="Sods", name="Söderbyn"))
    return user


@pytest.mark.sqlite
def test_dashboard_redirects_anonymous_to_login(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/")


def test_signed_in_non_staff_gets_403(client: Client) -> None:
    User.objects.create_user("patron", password=PASSWORD)
    client.login(username="patron", password=PASSWORD)
    assert client.get("/staff/").status_code == 403


@pytest.mark.sqlite
def test_librarian_signs_in_and_sees_dashboard(client: Client, librarian: User) -> None:
    response = client.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Söderbyn" in page.content.decode()


def test_account_is_locked_after_repeated_failures(client: Client, librarian: User) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        client.post("/staff/login/", {"username": "alva", "password": "wrong"})
    response = client.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked"
    # Another account from another address is unaffected.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/staff/login/", {"username": "nobody", "password": "x"}).status_code == 200


def test_address_is_locked_after_many_failures_across_accounts(client: Client, librarian: User) -> None:
    for i in range(20):
        client.post("/staff/login/", {"username": f"guess{i}", "password": "wrong"})
    response = client.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_logout_is_post_only(client: Client, librarian: User) -> None:
    client.login(username="alva", password=PASSWORD)
    assert client.get("/staff/logout/").status_code == 405
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302
