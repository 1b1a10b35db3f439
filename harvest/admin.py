"""Django admin for sources, runs and harvested records (raw bytes are not editable).

Library is catalog's (catalog/admin.py: its branches and staff); here its page gains its sources.
"""

from django.contrib import admin

from catalog.admin import LibraryAdmin
from catalog.models import Library, SourceRecord
from harvest.models import HarvestRun, Source


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [
        "name",
        "protocol",
        "url",
        "metadata_prefix",
        "set_spec",
        "holdings_profile",
        "regional",
        "export_profile",
        "schedule_minutes",
    ]
    show_change_link = True


class LibraryWithSourcesAdmin(LibraryAdmin):
    """catalog's library page (branches, staff) with the library's own sources."""

    inlines = [*LibraryAdmin.inlines, SourceInline]


admin.site.unregister(Library)
admin.site.register(Library, LibraryWithSourcesAdmin)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["id", "__str__", "library", "protocol", "regional", "state", "enabled", "last_success_at"]
    list_filter = ["protocol", "regional", "state", "enabled"]
    search_fields = ["name", "url", "library__code", "library__name"]
    readonly_fields = ["harvest_from", "last_success_at", "created_at"]


@admin.register(HarvestRun)
class HarvestRunAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "status", "full", "started_at", "added", "updated", "deleted", "failed"]
    list_filter = ["status", "full"]
    readonly_fields = [field.name for field in HarvestRun._meta.fields]


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ["id", "source", "local_id", "kind", "deleted", "error", "harvested_at"]
    list_filter = ["kind", "deleted", "source"]
    search_fields = ["local_id"]
    readonly_fields = ["raw", "checksum", "repairs", "data", "cluster", "harvested_at"]
    raw_id_fields = ["source"]
