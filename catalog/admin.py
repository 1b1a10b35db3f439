"""Django admin for libraries and who works for them.

Staff are people who act for libraries on the staff pages (`catalog.access`): a user with a
StaffMember row naming their libraries, or marked regional (every library). Both are edited on
the user's admin page (the "Staff of libraries" section below the user's own fields); each
library's page lists its staff. `manage.py add_staff` does the same from the command line.
The harvest app adds the library's sources to the library page (harvest/admin.py).
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from catalog.models import Branch, Library, StaffMember

User = get_user_model()
USER_CHANGE = f"admin:{User._meta.app_label}_{User._meta.model_name}_change"


class StaffMemberInline(admin.StackedInline):
    """On the user's page: the libraries they work for, or regional staff (every library)."""

    model = StaffMember
    can_delete = True
    max_num = 1
    extra = 1
    fields = ["libraries", "regional"]
    filter_horizontal = ["libraries"]
    verbose_name = _("staff of libraries")
    verbose_name_plural = _("staff of libraries")


class StaffUserAdmin(UserAdmin):  # type: ignore[type-arg]
    """django.contrib.auth's user admin with the libraries the user works for."""

    inlines = [StaffMemberInline]  # django.contrib.auth's has none
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "works_for"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "staff__regional"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:  # type: ignore[type-arg]
        return super().get_queryset(request).select_related("staff").prefetch_related("staff__libraries")

    @admin.display(description=_("works for"))
    def works_for(self, user: object) -> str:
        member = getattr(user, "staff", None)
        if member is None:
            return "—"
        if member.regional:
            return str(_("every library (regional)"))
        return ", ".join(library.code for library in member.libraries.all()) or "—"


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


@admin.register(Library)
class LibraryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality", "email", "staff_count"]
    search_fields = ["code", "name", "municipality"]
    readonly_fields = ["staff_list"]
    inlines = [BranchInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Library]:
        return super().get_queryset(request).annotate(staff_total=Count("staff", distinct=True))

    @admin.display(description=_("staff"), ordering="staff_total")
    def staff_count(self, library: Library) -> int:
        return int(getattr(library, "staff_total", 0))

    @admin.display(description=_("staff"))
    def staff_list(self, library: Library) -> str:
        """The people who work for this library, each linked to their user page (where their
        libraries are changed); regional staff act for every library and are not repeated here."""
        members = library.staff.select_related("user").order_by("user__username") if library.pk else []
        if not members:
            return str(_("No staff yet: add the library on a user's page, or use manage.py add_staff."))
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>{}</li>',
                (
                    (
                        reverse(USER_CHANGE, args=[member.user_id]),
                        member.user.get_username(),
                        f" ({member.user.get_full_name()})" if member.user.get_full_name() else "",
                    )
                    for member in members
                ),
            ),
        )
