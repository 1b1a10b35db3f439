"""Staff login: the guard, the lockout per account and per address, POST-only logout."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Library, StaffMember
from portal.lockout import MAX_FAILURES_PER_ACCOUNT

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


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


@pytest.fixture
def superuser() -> User:
    # Regional staff are superusers: the admin login is a way in to everything.
    return User.objects.create_superuser("root", password=PASSWORD)


def test_admin_login_is_locked_too(superuser: User) -> None:
    client = Client(REMOTE_ADDR="10.0.1.1")
    for _ in range(30):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_staff_and_admin_logins_share_one_counter(superuser: User) -> None:
    staff_login, admin_login = Client(REMOTE_ADDR="10.0.1.2"), Client(REMOTE_ADDR="10.0.1.3")
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 2):
        staff_login.post("/staff/login/", {"username": "root", "password": "wrong"})
    for _ in range(2):
        admin_login.post("/admin/login/", {"username": "root", "password": "wrong"})
    response = staff_login.post("/staff/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in staff_login.session
    assert response.context["form"].errors.as_data()["__all__"][0].code == "locked"
    admin_login.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" not in admin_login.session


def test_a_good_login_forgets_the_accounts_earlier_failures(superuser: User) -> None:
    client = Client(REMOTE_ADDR="10.0.1.4")
    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    client.post("/admin/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" in client.session
    other = Client(REMOTE_ADDR="10.0.1.5")
    other.post("/staff/login/", {"username": "root", "password": "wrong"})
    other.post("/staff/login/", {"username": "root", "password": PASSWORD})
    assert "_auth_user_id" in other.session


def test_behind_the_proxy_each_client_has_its_own_address_counter(
    librarian: User, settings: pytest.FixtureRequest
) -> None:
    settings.TRUSTED_PROXY_HOPS = 1  # type: ignore[attr-defined]
    guesser = Client(REMOTE_ADDR="10.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for i in range(20):
        guesser.post("/staff/login/", {"username": f"guess{i}", "password": "wrong"})
    colleague = Client(REMOTE_ADDR="10.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    colleague.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert "_auth_user_id" in colleague.session
    # The guesser cannot get out by writing another address first: the proxy appends the real one.
    forged = Client(REMOTE_ADDR="10.0.2.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5")
    forged.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert "_auth_user_id" not in forged.session


def test_without_a_trusted_proxy_forwarded_for_is_not_believed(librarian: User) -> None:
    for i in range(20):
        Client(REMOTE_ADDR="10.0.2.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").post(
            "/staff/login/", {"username": f"guess{i}", "password": "wrong"}
        )
    client = Client(REMOTE_ADDR="10.0.2.2", HTTP_X_FORWARDED_FOR="198.51.100.99")
    client.post("/staff/login/", {"username": "alva", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
