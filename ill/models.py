"""Fjärrlån (interlibrary loan) requests, their lender rota, history, outbox and lending rules."""

import ipaddress
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Cluster, Library
from ill.states import FINAL_STATES, RefusalReason, State


def new_status_token() -> str:
    """The patron's private status link: 192 random bits, unguessable."""
    return secrets.token_urlsafe(24)


class CardNotChecked(models.TextChoices):
    """Why the home library's system could not check the card; the request was stored anyway."""

    TIMEOUT = "timeout", _("the library system did not answer in time")
    DOWN = "down", _("the library system is down")
    GARBAGE = "garbage", _("the library system answered nonsense")


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
    # Empty only for a partner's ISO 18626 request to one of the county's libraries (see IsoTransaction).
    pickup_library = models.ForeignKey(
        Library,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ill_borrowed",
        verbose_name=_("pickup library"),
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
    # The interface language the patron asked in: their e-mails are written in it (blanked by retention).
    language = models.CharField(_("language"), max_length=10, blank=True)
    escalated_to = models.CharField(_("escalated to"), max_length=200, blank=True)
    # The pickup date the patron was promised (moves when the request moves on to another lender), the
    # first such promise (kept for statistics) and when the item actually reached the pickup library.
    promised_arrival = models.DateField(_("expected pickup date"), null=True, blank=True)
    first_promised_arrival = models.DateField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    # The card check at the home library (SIP2): when it said the card is valid, or why it could not ask.
    card_checked_at = models.DateTimeField(_("card checked at"), null=True, blank=True)
    card_not_checked = models.CharField(
        _("card not checked"), max_length=10, choices=CardNotChecked.choices, blank=True
    )
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
        PARTNER_UNFILLED = "partner_unfilled", _("the partner cannot lend (to the borrowing library)")

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


# --- Card check at the home library, partners beyond the county (ISO 18626), LIBRIS escalation ---


class CardCheck(models.Model):
    """How a library's own system checks a patron's card over SIP2 (Patron Status 23/24).

    `options` take the SIP2 provider's keys: institution, terminal_password, login_user,
    login_password, location, encoding.
    """

    library = models.OneToOneField(Library, on_delete=models.CASCADE, related_name="card_check")
    enabled = models.BooleanField(_("check cards when a fjärrlån is requested"), default=True)
    sip2_address = models.CharField(_("SIP2 address (host:port)"), max_length=200)
    options = models.JSONField(default=dict, blank=True)
    requires_pin = models.BooleanField(_("the patron gives the card's PIN too"), default=False)

    class Meta:
        verbose_name = _("card check (SIP2)")
        verbose_name_plural = _("card checks (SIP2)")

    def __str__(self) -> str:
        return f"{self.library.code} {self.sip2_address}"


class IsoPartner(models.Model):
    """A library outside the county that exchanges fjärrlån with us over ISO 18626."""

    name = models.CharField(_("name"), max_length=200)
    agency_id = models.CharField(
        _("agency id (ISIL)"), max_length=100, unique=True, help_text=_("e.g. DK-820010 or SE-Ldb")
    )
    endpoint_url = models.URLField(_("ISO 18626 endpoint"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    # The endpoint has no login: a message counts as the partner's only from these addresses.
    networks = models.TextField(
        _("addresses the partner sends from"),
        blank=True,
        help_text=_(
            "One IP address or network per line (e.g. 192.0.2.10 or 192.0.2.0/24). Messages in the "
            "partner's name from anywhere else are refused; with none, every message is refused."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("ISO 18626 partner")
        verbose_name_plural = _("ISO 18626 partners")

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_id})"

    def clean(self) -> None:
        for line in self.networks.split():
            try:
                ipaddress.ip_network(line, strict=False)
            except ValueError:
                raise ValidationError(
                    {"networks": _("%(value)s is not an IP address or network.") % {"value": line}}
                ) from None

    def sends_from(self, address: str) -> bool:
        """Whether a message from `address` may be the partner's."""
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(line, strict=False) for line in self.networks.split())


class IsoTransaction(models.Model):
    """A request exchanged with a partner: we borrow from it (requester) or lend to it (supplier)."""

    class Role(models.TextChoices):
        REQUESTER = "requester", _("we borrow from the partner")
        SUPPLIER = "supplier", _("we lend to the partner")

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="iso")
    partner = models.ForeignKey(IsoPartner, on_delete=models.PROTECT, related_name="transactions")
    role = models.CharField(max_length=10, choices=Role.choices)
    # The partner's own id: supplyingAgencyRequestId (we request) or requestingAgencyRequestId (we supply).
    partner_request_id = models.CharField(max_length=200, blank=True, db_index=True)
    # The agency id the county library goes by in this exchange (as the partner addressed it).
    our_agency_id = models.CharField(max_length=100, blank=True)
    last_status = models.CharField(_("last ISO 18626 status"), max_length=30, blank=True)

    def __str__(self) -> str:
        return f"{self.request_id} {self.role} {self.partner_id}"


class IsoMessage(models.Model):
    """One ISO 18626 message in or out, kept with the request's history; outgoing ones are an outbox."""

    class Direction(models.TextChoices):
        IN = "in", _("received")
        OUT = "out", _("sent")

    request = models.ForeignKey(
        Request, null=True, blank=True, on_delete=models.SET_NULL, related_name="iso_messages"
    )
    partner = models.ForeignKey(
        IsoPartner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=50, blank=True)  # request, supplyingAgencyMessage, ...
    summary = models.CharField(max_length=200, blank=True)  # e.g. "Loaned", "Cancel"
    body = models.TextField()
    error = models.TextField(blank=True)  # schema or content error of this message, or the partner's ERROR
    confirmation = models.TextField(blank=True)  # our answer (in) or the partner's answer (out)
    at = models.DateTimeField()
    # Outgoing only: delivered by ill.outbox with backoff, like the patron e-mail.
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("ISO 18626 message")
        verbose_name_plural = _("ISO 18626 messages")

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.summary}"


class LibrisEscalation(models.Model):
    """A request the borrowing library passed on to LIBRIS fjärrlån by hand, and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        FILLED = "filled", _("lent by a library outside the county")
        UNFILLED = "unfilled", _("no library could lend")

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="libris")
    libris_number = models.CharField(_("LIBRIS request number"), max_length=50)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("LIBRIS escalation")
        verbose_name_plural = _("LIBRIS escalations")

    def __str__(self) -> str:
        return f"{self.request_id} LIBRIS {self.libris_number}"
