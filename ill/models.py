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
    # The pickup date the patron was promised (moves when the request moves on to another lender), the
    # first such promise (kept for statistics) and when the item actually reached the pickup library.
    promised_arrival = models.DateField(_("expected pickup date"), null=True, blank=True)
    first_promised_arrival = models.DateField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
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
    expected_arrival = models.DateField(
        null=True, blank=True, help_text=_("Estimated when the rota was made.")
    )

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


# The county's media transport (ill.transport computes arrivals from it). Regional staff edit routes,
# stops and hubs; each library enters its own closures.
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
]


class TransportHub(models.Model):
    """Where boxes between routes are re-sorted; a box waits there `resort_days` working days."""

    name = models.CharField(_("name"), max_length=200)
    resort_days = models.PositiveSmallIntegerField(_("re-sorting days"), default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("transport hub")
        verbose_name_plural = _("transport hubs")

    def __str__(self) -> str:
        return self.name


class TransportRoute(models.Model):
    """One van's round: the libraries it visits on fixed weekdays, emptied at its hub."""

    number = models.PositiveSmallIntegerField(_("route number"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    hub = models.ForeignKey(
        TransportHub, on_delete=models.PROTECT, related_name="routes", verbose_name=_("hub")
    )
    cutoff = models.TimeField(
        _("cut-off time"), help_text=_("A box packed after this time leaves with the next transport.")
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("transport route")
        verbose_name_plural = _("transport routes")

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


class RouteStop(models.Model):
    """A library on a route and the weekdays the van visits it (it delivers and picks up each visit)."""

    route = models.ForeignKey(TransportRoute, on_delete=models.CASCADE, related_name="stops")
    library = models.OneToOneField(
        Library, on_delete=models.CASCADE, related_name="route_stop", verbose_name=_("library")
    )
    weekdays = models.JSONField(_("visit days"), default=list, help_text=_("0 = Monday … 5 = Saturday"))

    class Meta:
        ordering = ["route", "library__name"]
        verbose_name = _("route stop")
        verbose_name_plural = _("route stops")

    def __str__(self) -> str:
        return f"{self.route.number}: {self.library.code}"


class TransportClosure(models.Model):
    """Days a library neither sends nor receives boxes (e.g. summer weeks), first and last day included."""

    library = models.ForeignKey(
        Library, on_delete=models.CASCADE, related_name="transport_closures", verbose_name=_("library")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("transport closure")
        verbose_name_plural = _("transport closures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="closure_last_after_first"
            )
        ]

    def __str__(self) -> str:
        return f"{self.library.code} {self.first_day}..{self.last_day}"
