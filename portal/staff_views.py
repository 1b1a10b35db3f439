"""Staff login with lockout, logout and the staff dashboard."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from catalog.access import is_regional, staff_libraries
from portal.staff import (
    LOCKOUT_SECONDS,
    clear_login_failures,
    client_address,
    login_locked,
    record_login_failure,
    staff_required,
)


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form that refuses to even try a password while the account or address is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-in attempts. Sign-in is blocked for %(minutes)d minutes; "
            "try again later or ask the regional library to help."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else "unknown"
        if login_locked(username, address):
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": LOCKOUT_SECONDS // 60}
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            record_login_failure(username, address)
            raise
        clear_login_failures(username)
        return cleaned


class StaffLoginView(LoginView):
    template_name = "staff/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class StaffLogoutView(LogoutView):
    http_method_names = ["post", "options"]
    next_page = "/staff/login/"


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from ill.queues import queue_counts  # here: ill's modules import portal.staff

    libraries = list(staff_libraries(request.user))
    context = {
        "libraries": libraries,
        "regional": is_regional(request.user),
        "counts": queue_counts(request.user),
    }
    return render(request, "staff/dashboard.html", context)
