from django.contrib import admin

from portal.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Waiting and failed background jobs of a deployment without a broker; only to look at."""

    list_display = ["pk", "task", "created_at", "attempts", "claimed_until", "last_error"]
    list_filter = ["task"]
    readonly_fields = ["task", "args", "created_at", "claimed_until", "attempts", "last_error"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
