"""Django admin for fjärrlån: requests and outbox read-only, patron data under the staff pages' rule.

Patron name, card, contact and message reach members of the borrowing library only
(`ill.access.sees_patron`), here as on the staff pages: regional superusers included. Nobody
searches or filters by them, and the outbox shows what was sent when, never to whom or the mail
itself (it holds the patron's private status link).
"""

import re
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ill.access import sees_patron, visible_requests
from ill.models import (
    CardCheck,
    Event,
    IsoMessage,
    IsoPartner,
    LendingRule,
    LibrisEscalation,
    OutboxMessage,
    Request,
    RotaEntry,
    RouteStop,
    TransportClosure,
    TransportHub,
    TransportRoute,
)
from ill.retention import PATRON_FIELDS
from ill.transport_forms import RouteStopForm


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
    search_fields = ["number", "title"]  # never patron fields
    inlines = [RotaInline, EventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Request]:
        # As on the staff pages: a librarian with view permission sees their libraries' requests.
        return super().get_queryset(request).filter(pk__in=visible_requests(request.user).values("pk"))

    def get_fields(self, request: HttpRequest, obj: Request | None = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        if obj is not None and sees_patron(request.user, obj):
            return fields
        return [f for f in fields if f not in PATRON_FIELDS]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # The admin lets any local field filter the list (?card_number=…): not a patron field.
        return lookup.split("__")[0] not in PATRON_FIELDS and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from patrons, through the form that checks them

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxAdmin(admin.ModelAdmin):
    # Neither the address nor the body (it holds the patron's private status link).
    list_display = ["pk", "request", "kind", "created_at", "attempts", "sent_at", "next_attempt_at"]
    list_filter = ["kind"]
    fields = readonly_fields = (
        "request",
        "kind",
        "subject",
        "created_at",
        "next_attempt_at",
        "attempts",
        "sent_at",
        "error",
    )

    @admin.display(description=_("last error"))
    def error(self, message: OutboxMessage) -> str:
        # A mail server's refusal usually quotes the address it refused.
        if not message.to:
            return message.last_error
        return re.sub(re.escape(message.to), "…", message.last_error, flags=re.IGNORECASE)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        hidden = {"to", "subject", "body", "last_error"}
        return lookup.split("__")[0] not in hidden and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RouteStopInline(admin.TabularInline):
    model = RouteStop
    form = RouteStopForm
    extra = 1


@admin.register(TransportRoute)
class TransportRouteAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "hub", "cutoff"]
    inlines = [RouteStopInline]


@admin.register(TransportHub)
class TransportHubAdmin(admin.ModelAdmin):
    list_display = ["name", "resort_days"]


@admin.register(TransportClosure)
class TransportClosureAdmin(admin.ModelAdmin):
    list_display = ["library", "first_day", "last_day", "note"]
    list_filter = ["library"]
    date_hierarchy = "first_day"


@admin.register(CardCheck)
class CardCheckAdmin(admin.ModelAdmin):
    list_display = ["library", "sip2_address", "requires_pin", "enabled"]


@admin.register(IsoPartner)
class IsoPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "agency_id", "endpoint_url", "active"]
    search_fields = ["name", "agency_id"]


@admin.register(IsoMessage)
class IsoMessageAdmin(admin.ModelAdmin):
    # Read-only: the record of what was exchanged (we send no patron data; a partner's is dropped).
    list_display = [
        "at",
        "direction",
        "partner",
        "request",
        "kind",
        "summary",
        "sent_at",
        "attempts",
        "error",
    ]
    list_filter = ["direction", "kind"]
    readonly_fields = [f.name for f in IsoMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LibrisEscalation)
class LibrisEscalationAdmin(admin.ModelAdmin):
    list_display = ["request", "libris_number", "outcome", "recorded_at"]
    list_filter = ["outcome"]
