"""Staff login with lockout, and logout."""

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.utils.translation import gettext_lazy as _

from portal.lockout import LOCKOUT_SECONDS, address_of, login_locked


class LockoutAuthenticationForm(AuthenticationForm):
    """Says "locked" instead of "wrong password" while locked; the refusal itself is portal.lockout's."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed sign-in attempts. Sign-in is blocked for %(minutes)d minutes; "
            "try again later or ask the regional library to help."
        ),
    }

    def clean(self) -> dict[str, Any]:
        if login_locked(self.cleaned_data.get("username") or "", address_of(self.request)):
            raise forms.ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": LOCKOUT_SECONDS // 60}
            )
        return super().clean()


class AdminLockoutAuthenticationForm(LockoutAuthenticationForm, AdminAuthenticationForm):
    """The admin's login form (admin.site.login_form, portal/urls.py) with the same message."""

    error_messages = {**LockoutAuthenticationForm.error_messages, **AdminAuthenticationForm.error_messages}


class StaffLoginView(LoginView):
    template_name = "staff/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class StaffLogoutView(LogoutView):
    http_method_names = ["post", "options"]
    next_page = "/staff/login/"
