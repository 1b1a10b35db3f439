"""Which libraries a signed-in person may act for: the one place staff scoping is decided."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from catalog.models import Library


def is_regional(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    staff = getattr(user, "staff", None)
    return bool(staff and staff.regional)


def staff_libraries(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Library]:
    """The libraries this user works for (all of them for regional staff, none for patrons)."""
    if is_regional(user):
        return Library.objects.all()
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    if staff is None:
        return Library.objects.none()
    return staff.libraries.all()


def is_staff_member(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_regional(user) or staff_libraries(user).exists()
