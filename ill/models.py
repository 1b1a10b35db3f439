"""Fjärrlån (interlibrary loan) requests, their lender rota, history, outbox and lending rules."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Cluster, Library
from ill.states import FINAL_STATES, RefusalReason, State


def new_status_token() -> str:
    """The patron's private status link: 192 random bits, unguessable."""
    return secrets.token_urlsafe(24)


class LendingRule(models.Model):
    """What one library does not lend to other libraries (absent: lends everything lendable)."""

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="lending_rule")
    formats_not_lent = models.JSONField(
        _("formats not lent"), default=list, blank=True, help_text=_("e.g. film, game, serial")
    )
    newer_than_months = models.PositiveIntegerField(
        _("titles newer than this many months are not lent"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.library.code}"


class Request(models.Model):
    """One patron's fjärrlån request, picked up at (and borrowed by) `pickup_library`.

    Patron fields (name, card, contact, message) are blanked by retention after the request is
    final; everything else stays for statistics.
    """

    number = models.CharField(_("request number"), max_length=20, unique=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_status_token, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW, db_index=True)
    # The cluster may be re-merged away; the title fields below keep what the patron asked for.
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    author = models.CharField(_("author"), max_length=300, blank=True)
    year = models.CharField(_("year"), max_length=20, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=40, blank=True)
    format = models.CharField(max_length=30, blank=True)
    pickup_library = models.ForeignKey(
        Library, on_delete=models.PROTECT, related_name="ill_borrowed", verbose_name=_("pickup library")
    )
    current_lender = models.ForeignKey(
        Library, null=True, blank=True, on_delete=models.PROTECT, related_name="ill_current"
    )
    deadline = models.DateTimeField(null=True, blank=True, help_text=_("The current lender answers by then."))
    needed_before = models.DateField(_("needed before"), null=True, blank=True)
    any_edition = models.BooleanField(_("any edition is fine"), default=False)
    patron_name = models.CharField(_("name"), max_length=200, blank=True)
    card_number = models.CharField(_("library card number"), max_length=40, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=200, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    anonymized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["pickup_library", "state"]),
        ]
        constraints = [
            # The duplicate check in the form can race a double-clicked submit; this cannot.
            models.UniqueConstraint(
                fields=["card_number", "cluster"],
                condition=~models.Q(state__in=sorted(FINAL_STATES)) & ~models.Q(card_number=""),
                name="one_open_request_per_card_and_title",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RotaEntry(models.Model):
    """One library in a request's lender rota, in the order they are asked."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("not yet asked")
        ASKED = "asked", _("asked")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        EXPIRED = "expired", _("no answer")
        WITHDRAWN = "withdrawn", _("withdrawn")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="rota")
    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="ill_rota_entries")
    position = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    available = models.BooleanField(
        default=False, help_text=_("Had a copy on the shelf when the rota was made.")
    )
    call_number = models.CharField(max_length=200, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(max_length=20, choices=RefusalReason.choices, blank=True)

    class Meta:
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="rota_position_unique"),
            models.UniqueConstraint(fields=["request", "library"], name="rota_library_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.position} {self.library_id}"


class Event(models.Model):
    """One recorded transition: who did what, when, with what note."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    # null: the patron (status page) or the system (deadline clock); see `by_patron`.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_patron = models.BooleanField(default=False)
    library = models.ForeignKey(Library, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class OutboxMessage(models.Model):
    """An e-mail to a patron, stored first and sent later so a failing mail server never loses it."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("request received")
        READY = "ready", _("ready for pickup")
        NOT_POSSIBLE = "not_possible", _("not possible")
        CANCELLED = "cancelled", _("cancelled")
        # To the borrowing library, not the patron: no library could lend, decide what to do.
        ROTA_EXHAUSTED = "rota_exhausted", _("no lender found (to the borrowing library)")

    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbox"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
