"""Staff access: the `staff_required` view guard (the login lockout is in portal.lockout).

Who counts as staff is decided in `catalog.access`; this module only applies that decision to views.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from catalog.access import is_staff_member

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
