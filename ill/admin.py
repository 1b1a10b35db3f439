from django.contrib import admin

from ill.models import Event, LendingRule, OutboxMessage, Request, RotaEntry


@admin.register(LendingRule)
class LendingRuleAdmin(admin.ModelAdmin):
    list_display = ["library", "formats_not_lent", "newer_than_months"]


class RotaInline(admin.TabularInline):
    model = RotaEntry
    extra = 0
    readonly_fields = [
        "library",
        "position",
        "status",
        "available",
        "asked_at",
        "answered_at",
        "refusal_reason",
    ]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    readonly_fields = ["action", "from_state", "to_state", "actor", "by_patron", "library", "note", "at"]


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    # Read-only: state changes go through the staff pages so every step is checked and recorded.
    list_display = ["number", "title", "pickup_library", "current_lender", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["number", "title"]
    inlines = [RotaInline, EventInline]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "created_at", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["kind"]
    readonly_fields = ["last_error"]
