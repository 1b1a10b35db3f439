"""Making librarians and regional staff without a shell: `add_staff` and the admin (issue 23)."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, ManagementUtility, call_command
from django.test import Client

from catalog.models import Library, StaffMember
from tests.world.places import library, persona, staff

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def add_staff(*args: str) -> list[str]:
    out = StringIO()
    call_command("add_staff", *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def libraries_of(username: str) -> list[str]:
    member = StaffMember.objects.get(user__username=username)
    return sorted(member.libraries.values_list("code", flat=True))


def test_a_new_user_is_created_without_a_password_and_told_how_to_set_one() -> None:
    library("Sods"), library("Nyks")
    lines = add_staff(
        "anna", "--library", "Sods", "--library", "Nyks", "--email", "anna@sodertalje.example.se"
    )
    user = User.objects.get(username="anna")
    assert not user.has_usable_password()
    assert user.email == "anna@sodertalje.example.se"
    assert (user.is_staff, user.is_superuser) == (False, False)  # the staff pages, not the admin
    assert libraries_of("anna") == ["Nyks", "Sods"]
    assert "python manage.py changepassword anna" in lines[0]
    assert lines[-1] == "added staff anna: libraries Nyks, Sods"


def test_an_existing_user_gains_libraries_and_keeps_the_ones_they_had() -> None:
    persona("sara"), library("Nyks")  # she works for Sods and has a password
    lines = add_staff("sara", "--library", "Nyks")
    assert libraries_of("sara") == ["Nyks", "Sods"]
    assert User.objects.get(username="sara").has_usable_password()
    assert not any("changepassword" in line for line in lines)  # she has a password already
    assert lines[-1] == "updated staff sara (added library Nyks): libraries Nyks, Sods"
    assert add_staff("sara", "--library", "Nyks")[-1] == "staff sara unchanged: libraries Nyks, Sods"


def test_a_user_without_a_staff_membership_becomes_staff() -> None:
    library("Li")
    User.objects.create_user("lars", password="a-long-enough-password")
    assert add_staff("lars", "--library", "Li")[-1] == "updated staff lars (added library Li): library Li"
    client = Client()
    client.force_login(User.objects.get(username="lars"))
    assert client.get("/staff/").status_code == 200


def test_an_unknown_library_code_changes_nothing_and_exits_non_zero() -> None:
    library("Sods")
    with pytest.raises(CommandError, match=r"unknown library code\(s\): sods"):  # codes are case-sensitive
        add_staff("anna", "--library", "Sods", "--library", "sods")
    assert not User.objects.filter(username="anna").exists()
    with pytest.raises(CommandError, match="--library"):
        add_staff("anna")  # neither a library nor --regional


def test_regional_staff_act_for_every_library() -> None:
    library("Sods"), library("Nyks")
    lines = add_staff("regina", "--regional")
    member = StaffMember.objects.get(user__username="regina")
    assert member.regional and libraries_of("regina") == []
    assert lines[-1] == "added staff regina: regional staff (every library; no library of their own)"
    persona("nils")
    assert add_staff("nils", "--regional")[-1] == (
        "updated staff nils (added regional): regional staff (every library; library Nyks)"
    )
    client = Client()
    client.force_login(User.objects.get(username="regina"))
    assert client.get("/staff/").status_code == 200


def test_add_staff_from_the_real_command_line_exits_non_zero_on_an_unknown_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        ManagementUtility(["manage.py", "add_staff", "anna", "--library", "Nope"]).execute()
    assert stopped.value.code != 0
    assert "unknown library code(s): Nope" in capsys.readouterr().err


# -- the admin ---------------------------------------------------------------------------------


def superuser_client() -> Client:
    admin = User.objects.create_superuser("admin", "admin@example.org", "a-long-enough-password")
    client = Client()
    client.force_login(admin)
    return client


# The staff inline's management form, as the admin's user pages (add and change) render it.
EMPTY_STAFF_INLINE = {
    "staff-TOTAL_FORMS": "1",
    "staff-INITIAL_FORMS": "0",
    "staff-MIN_NUM_FORMS": "0",
    "staff-MAX_NUM_FORMS": "1",
}


def user_form(user: User, **extra: object) -> dict[str, object]:
    """The admin's change form for the user as it stands, with the staff inline's fields."""
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        **EMPTY_STAFF_INLINE,
    }
    data.update(extra)
    return data


def test_a_superuser_gives_a_user_a_library_in_the_admin_and_the_user_reaches_the_staff_pages() -> None:
    nyks = library("Nyks")
    admin = superuser_client()
    made = admin.post(
        "/admin/auth/user/add/",
        {
            "username": "nora",
            "usable_password": "true",
            "password1": "Svår-lösen-1",
            "password2": "Svår-lösen-1",
            **EMPTY_STAFF_INLINE,
        },
    )
    assert made.status_code == 302, made.content.decode()[:2000]
    nora = User.objects.get(username="nora")
    librarian = Client()
    librarian.force_login(nora)
    assert librarian.get("/staff/").status_code == 403  # a plain user is no librarian

    page = admin.get(f"/admin/auth/user/{nora.pk}/change/")
    assert page.status_code == 200 and 'name="staff-0-libraries"' in page.content.decode()
    saved = admin.post(
        f"/admin/auth/user/{nora.pk}/change/", user_form(nora, **{"staff-0-libraries": [nyks.pk]})
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert libraries_of("nora") == ["Nyks"]
    assert librarian.get("/staff/").status_code == 200
    listing = admin.get("/admin/auth/user/?q=nora").content.decode()
    assert re.search(r'<td class="field-works_for">Nyks</td>', listing)


def test_a_superuser_makes_a_user_regional_staff_in_the_admin() -> None:
    admin = superuser_client()
    user = User.objects.create_user("rut")
    saved = admin.post(f"/admin/auth/user/{user.pk}/change/", user_form(user, **{"staff-0-regional": "on"}))
    assert saved.status_code == 302
    assert StaffMember.objects.get(user=user).regional


def test_the_library_page_lists_its_staff() -> None:
    sods, nyks = library("Sods"), library("Nyks")
    staff("sara", sods)
    staff("siv", sods, nyks)
    staff("nils", nyks)
    admin = superuser_client()
    page = admin.get(f"/admin/catalog/library/{sods.pk}/change/").content.decode()
    assert "sara" in page and "siv" in page and "nils" not in page
    sara = User.objects.get(username="sara")
    assert f"/admin/auth/user/{sara.pk}/change/" in page  # where her libraries are changed
    listing = admin.get("/admin/catalog/library/?q=Sods").content.decode()
    assert "Södertälje stadsbibliotek" in listing
    empty = Library.objects.create(code="Ty", name="Tyresö bibliotek")
    assert "add_staff" in admin.get(f"/admin/catalog/library/{empty.pk}/change/").content.decode()
