"""Which fjärrlån requests a staff user sees, and whether they see the patron's contact details.

Built on `catalog.access` (the one place staff scoping is decided): a librarian sees requests
where one of their libraries borrows or is/was asked to lend; regional staff see all. Patron
contact details only reach staff who are members of the borrowing library.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from catalog.access import is_regional, staff_libraries
from catalog.models import Library
from ill.models import Request, RotaEntry
from ill.states import Side

# Rota entries of libraries that have been asked (current or previous lenders).
ASKED_STATUSES = [s for s in RotaEntry.Status.values if s != RotaEntry.Status.WAITING]


def visible_requests(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Request]:
    if is_regional(user):
        return Request.objects.all()
    libraries = staff_libraries(user)
    lent = RotaEntry.objects.filter(library__in=libraries, status__in=ASKED_STATUSES).values("request_id")
    return Request.objects.filter(Q(pickup_library__in=libraries) | Q(pk__in=lent))


def member_library_ids(user: AbstractBaseUser | AnonymousUser) -> set[int]:
    """Libraries the user is a member of (regional rights alone do not count: contact details)."""
    staff = getattr(user, "staff", None) if user.is_authenticated else None
    return set(staff.libraries.values_list("pk", flat=True)) if staff else set()


def sees_patron(user: AbstractBaseUser | AnonymousUser, request: Request) -> bool:
    return request.pickup_library_id in member_library_ids(user)


def sides_for(user: AbstractBaseUser | AnonymousUser, request: Request) -> set[Side]:
    """The sides this user may act on: borrower (pickup library) and/or the current lender."""
    ids = set(staff_libraries(user).values_list("pk", flat=True))
    sides = set()
    if request.pickup_library_id in ids:
        sides.add(Side.BORROWER)
    if request.current_lender_id in ids or (
        request.current_lender_id is None
        and request.rota.filter(library_id__in=ids, status=RotaEntry.Status.ACCEPTED).exists()
    ):
        sides.add(Side.LENDER)
    return sides


def chosen_library(request: HttpRequest) -> tuple[Library, list[Library]]:
    """The library a staff page edits (`?library=` or the posted one among the user's own, the
    first by default; another library's code is refused) and the user's libraries to choose from."""
    libraries = list(staff_libraries(request.user))
    code = (
        request.POST.get("library") or request.GET.get("library") or (libraries[0].code if libraries else "")
    )
    library = next((lib for lib in libraries if lib.code == code), None)
    if library is None:
        raise PermissionDenied
    return library, libraries
