"""Where records come from (Source) and what each harvest did (HarvestRun)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from harvest.protocols import PROTOCOLS, protocol_choices


class Source(models.Model):
    """One library system's feed. A regional feed (library empty) carries many libraries' holdings."""

    class State(models.TextChoices):
        OK = "ok", _("ok")
        FAILING = "failing", _("failing")
        NEEDS_ATTENTION = "needs_attention", _("needs attention")

    class HoldingsProfile(models.TextChoices):
        AUTO = "auto", _("detect")
        F852 = "852", "852"
        F949 = "949", "949"
        F952 = "952", _("952 (Koha)")
        LIBRIS = "libris", _("LIBRIS holdings records (004)")

    library = models.ForeignKey(
        "catalog.Library", null=True, blank=True, on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(max_length=200, blank=True)
    protocol = models.CharField(max_length=20, choices=protocol_choices)
    url = models.CharField(_("URL or path"), max_length=1000)
    metadata_prefix = models.CharField(max_length=50, default="marcxml")
    set_spec = models.CharField(_("set"), max_length=200, blank=True)
    holdings_profile = models.CharField(
        max_length=10, choices=HoldingsProfile.choices, default=HoldingsProfile.AUTO
    )
    regional = models.BooleanField(
        _("regional"),
        default=False,
        help_text=_(
            "Carries many libraries' holdings: a title counts as held only by the libraries its "
            "holdings name, never by the source's own library."
        ),
    )
    export_profile = models.TextField(
        _("export profile"),
        blank=True,
        help_text=_("LIBRIS MARC export: the export profile (a properties file) posted with each request."),
    )
    schedule_minutes = models.PositiveIntegerField(
        _("harvest every (minutes)"), default=24 * 60, help_text=_("0 = only when started by hand.")
    )
    enabled = models.BooleanField(default=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.OK)
    attention_reason = models.TextField(blank=True)
    mass_deletion_confirmed = models.BooleanField(
        default=False, help_text=_("Lets the next run delete more than the guard allows; reset after use.")
    )
    harvest_from = models.DateTimeField(
        null=True, blank=True, help_text=_("Start of the next incremental window.")
    )
    last_success_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or f"{self.get_protocol_display()} {self.url}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.protocol in PROTOCOLS.entries() and PROTOCOLS.get(self.protocol).regional:
            self.regional = True  # the protocol carries many libraries by nature (LIBRIS export)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Refuse a location a source may not read (harvest.locations; checked again on every run),
        and what its protocol refuses in its settings (e.g. a LIBRIS export profile)."""
        from harvest.locations import LocationRefused, check_source_location

        try:
            check_source_location(self.protocol, self.url)
        except LocationRefused as exc:
            raise ValidationError({"url": str(exc)}) from exc
        if self.protocol in PROTOCOLS.entries():
            PROTOCOLS.get(self.protocol).validate_source(self)

    @property
    def library_code(self) -> str | None:
        """The sigel holdings fall back to when a record names no library (None: no library).
        A regional source has none: only its holdings say who holds a title."""
        if self.regional:
            return None
        return self.library.code if self.library_id and self.library else None


class HarvestRun(models.Model):
    """One harvest of one source; its saved state lets a crashed run resume."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        COMPLETE = "complete", _("complete")
        FAILED = "failed", _("failed")
        STOPPED = "stopped", _("stopped for attention")

    class Phase(models.TextChoices):
        LISTING = "listing", _("reading records")
        LISTED = "listed", _("all records read")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.LISTING)
    record_count = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Live records of the source when the run finished.")
    )
    holding_count = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Holdings of the source when the run finished.")
    )
    full = models.BooleanField(default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    window_from = models.DateTimeField(null=True, blank=True)
    window_until = models.DateTimeField(null=True, blank=True)
    resumption_token = models.TextField(blank=True)
    position = models.BigIntegerField(
        default=0, help_text=_("Records or bytes consumed, for resuming files.")
    )
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    deleted = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    # Ids of records the run found deleted at the source, applied together only when the run
    # ends under the mass-deletion guard (or is confirmed): saved with each page, so a resumed
    # run still knows them.
    staged_deletions = models.JSONField(default=list, blank=True)
    attempts = models.PositiveIntegerField(
        default=1, help_text=_("Times this run was started or resumed (retries back off with it).")
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class SeenPage(models.Model):
    """The stored records one page of a full run delivered live, as packed 8-byte ids.

    A full run deletes at its end what none of its pages delivered (``harvest.convergence``).
    One row a page, written with the page, instead of a write to every unchanged record; kept
    until the source's next complete run, so a resumed or confirmed run still knows what it saw.
    """

    run = models.ForeignKey(HarvestRun, on_delete=models.CASCADE, related_name="seen_pages")
    record_ids = models.BinaryField()

    def __str__(self) -> str:
        return f"run {self.run_id}: {len(self.record_ids) // 8} records seen"
