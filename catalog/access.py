"""Which libraries a signed-in person may act for: the one place staff scoping is decided, and the
`staff_required` guard that applies it to views."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse

from catalog.holdings_links import link_keys
from catalog.models import Cluster, Holding, Library, MergeOverride, SourceRecord


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


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def staff_required(view: ViewFunc) -> ViewFunc:
    """Let signed-in staff members through; send others to the login page (or 403 when signed in)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded  # type: ignore[return-value]


# Catalogue corrections (catalog.staff_views). A record belongs to its source's library, or, on
# a regional feed (no library, or marked regional), to the libraries holding it (its own holdings
# and its 004 holdings records').
# A librarian corrects their own library's records; regional staff anything.
def record_libraries(record: SourceRecord) -> set[int]:
    """Ids of the libraries this bibliographic record belongs to."""
    if record.source.library_id is not None and not record.source.regional:
        return {record.source.library_id}
    children = SourceRecord.objects.filter(
        source_id=record.source_id,
        kind=SourceRecord.Kind.HOLDINGS,
        parent_local_id__in=link_keys(record.local_id),
    )
    held = Holding.objects.filter(Q(record=record) | Q(record__in=children))
    return set(held.values_list("library_id", flat=True))


def correctable(user: AbstractBaseUser | AnonymousUser, records: Iterable[SourceRecord]) -> set[int]:
    """Ids of the given bibliographic records this user may correct."""
    records = list(records)
    if is_regional(user):
        return {record.pk for record in records}
    mine = set(staff_libraries(user).values_list("id", flat=True))
    return {record.pk for record in records if mine and mine & record_libraries(record)}


def may_correct_record(user: AbstractBaseUser | AnonymousUser, record: SourceRecord) -> bool:
    return record.pk in correctable(user, [record])


def may_correct_cluster(user: AbstractBaseUser | AnonymousUser, cluster: Cluster) -> bool:
    """A cluster holding one of the user's records: they may merge another title into it."""
    members = cluster.members.filter(kind=SourceRecord.Kind.BIB).select_related("source")
    return is_regional(user) or bool(correctable(user, members))


def may_remove_correction(user: AbstractBaseUser | AnonymousUser, override: MergeOverride) -> bool:
    """Only the author's libraries (as the author works for them, not all of them for a regional
    author) or regional staff undo a correction."""
    if is_regional(user):
        return True
    author = getattr(override.created_by, "staff", None) if override.created_by_id else None
    if author is None:
        return False
    theirs = {library.pk for library in author.libraries.all()}
    return bool(theirs & set(staff_libraries(user).values_list("id", flat=True)))
