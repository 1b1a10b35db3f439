"""Regional fjärrlån statistics per month: who lends to whom, fill rate, turnaround, refusals, and the
transport: boxes per route and weekday, how often the promised pickup date held, days to pickup.

A promise held when the item reached the pickup library (`arrived_at`, the "received" step) on or
before the promised day; both the last promise (after any refusals) and the first are counted.
Transport volume counts each shipment ("shipped" to the borrower, "return shipped" back) on the
sending library's route, as the timetable has it now, and the weekday it was sent.

Computed from requests, rota entries and events only, none of which retention removes, so the
figures survive anonymization.
"""

import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from ill.models import Event, IsoTransaction, LibrisEscalation, Request, RotaEntry
from ill.states import RefusalReason, State
from ill.transport import Timetable

WEEKDAY_CODES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# A request counts as filled once the borrowing library received the item.
FILLED_STATES = {
    State.RECEIVED,
    State.NOTIFIED,
    State.PICKED_UP,
    State.RETURN_SHIPPED,
    State.RETURN_RECEIVED,
}


# The borrower column of loans to a partner outside the county (ISO 18626), which has no sigel here.
PARTNER_BORROWER = "ISO 18626"


@dataclass
class MonthStatistics:
    month: str
    requests: int = 0
    filled: int = 0
    unfilled: int = 0
    turnaround_days: list[float] = field(default_factory=list)
    matrix: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lender, borrower) -> count
    refusals: Counter[str] = field(default_factory=Counter)
    promises_checked: int = 0  # arrived requests that had a promise
    promises_held: int = 0
    first_promises_held: int = 0
    pickup_days: list[float] = field(default_factory=list)
    transport: Counter[tuple[int, int]] = field(default_factory=Counter)  # (route, weekday) -> shipments

    @property
    def promise_rate(self) -> float | None:
        return round(self.promises_held / self.promises_checked, 3) if self.promises_checked else None

    @property
    def median_pickup_days(self) -> float | None:
        return round(stats.median(self.pickup_days), 1) if self.pickup_days else None

    @property
    def fill_rate(self) -> float | None:
        decided = self.filled + self.unfilled
        return round(self.filled / decided, 3) if decided else None

    @property
    def median_turnaround_days(self) -> float | None:
        return round(stats.median(self.turnaround_days), 1) if self.turnaround_days else None


def _month(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m")


def monthly(since: date | None = None, until: date | None = None) -> list[MonthStatistics]:
    """Statistics per month of request creation, oldest month first."""
    requests: QuerySet[Request] = Request.objects.select_related("pickup_library")
    if since:
        requests = requests.filter(created_at__date__gte=since)
    if until:
        requests = requests.filter(created_at__date__lte=until)
    months: dict[str, MonthStatistics] = defaultdict(lambda: MonthStatistics(""))
    received = dict(
        Event.objects.filter(request__in=requests, action="receive")
        .values_list("request_id")
        .annotate(at=Min("at"))
    )
    was_filled = set(received)
    for req in requests:
        m = months[_month(req.created_at)]
        m.month = _month(req.created_at)
        m.requests += 1
        if req.pk in was_filled or req.state in FILLED_STATES:
            m.filled += 1
            if req.pk in received:
                m.turnaround_days.append((received[req.pk] - req.created_at).total_seconds() / 86400)
        elif req.state in {State.NOT_FULFILLED, State.EXHAUSTED, State.ESCALATED}:
            m.unfilled += 1
    _count_promises_and_pickups(requests, months)
    _count_transport(requests, months)
    entries = RotaEntry.objects.filter(request__in=requests).select_related(
        "library", "request__pickup_library"
    )
    for entry in entries:
        m = months[_month(entry.request.created_at)]
        if entry.status == RotaEntry.Status.ACCEPTED:
            borrower = entry.request.pickup_library
            m.matrix[(entry.library.code, borrower.code if borrower else PARTNER_BORROWER)] += 1
        elif entry.status in (RotaEntry.Status.REFUSED, RotaEntry.Status.EXPIRED):
            m.refusals[entry.refusal_reason or "no_answer"] += 1
    return [months[k] for k in sorted(months)]


def _count_promises_and_pickups(requests: QuerySet[Request], months: dict[str, MonthStatistics]) -> None:
    picked_up = dict(
        Event.objects.filter(request__in=requests, action="pick_up")
        .values_list("request_id")
        .annotate(at=Min("at"))
    )
    for req in requests.filter(arrived_at__isnull=False, promised_arrival__isnull=False):
        m = months[_month(req.created_at)]
        arrived = timezone.localdate(req.arrived_at)  # type: ignore[arg-type]
        m.promises_checked += 1
        m.promises_held += arrived <= req.promised_arrival  # type: ignore[operator]
        m.first_promises_held += bool(req.first_promised_arrival and arrived <= req.first_promised_arrival)
    for req in requests.filter(pk__in=list(picked_up)):
        months[_month(req.created_at)].pickup_days.append(
            (picked_up[req.pk] - req.created_at).total_seconds() / 86400
        )


def _count_transport(requests: QuerySet[Request], months: dict[str, MonthStatistics]) -> None:
    routes = {library_id: stop.route_number for library_id, stop in Timetable.load().stops.items()}
    lenders = dict(
        RotaEntry.objects.filter(request__in=requests, status=RotaEntry.Status.ACCEPTED).values_list(
            "request_id", "library_id"
        )
    )
    shipments = Event.objects.filter(request__in=requests, action__in=["ship", "ship_return"]).select_related(
        "request"
    )
    for event in shipments:
        sender = lenders.get(event.request_id) if event.action == "ship" else event.request.pickup_library_id
        if sender in routes:
            day = timezone.localdate(event.at).weekday()
            months[_month(event.request.created_at)].transport[(routes[sender], day)] += 1  # type: ignore[index]


def reason_label(code: str) -> str:
    if code == "no_answer":
        return str(RotaEntry.Status.EXPIRED.label)
    return str(dict(RefusalReason.choices).get(code, code))


def csv_rows(months: list[MonthStatistics]) -> list[list[str]]:
    """One flat table: month, measure, lender, borrower/reason, value."""
    rows = [["month", "measure", "lender", "borrower_or_reason", "value"]]
    for m in months:
        rows.append([m.month, "requests", "", "", str(m.requests)])
        rows.append([m.month, "filled", "", "", str(m.filled)])
        rows.append([m.month, "fill_rate", "", "", "" if m.fill_rate is None else str(m.fill_rate)])
        median = m.median_turnaround_days
        rows.append([m.month, "median_turnaround_days", "", "", "" if median is None else str(median)])
        rows.append([m.month, "promises_checked", "", "", str(m.promises_checked)])
        rows.append([m.month, "promises_held", "", "", str(m.promises_held)])
        rows.append([m.month, "first_promises_held", "", "", str(m.first_promises_held)])
        pickup = m.median_pickup_days
        rows.append([m.month, "median_days_to_pickup", "", "", "" if pickup is None else str(pickup)])
        for (route, weekday), n in sorted(m.transport.items()):
            rows.append([m.month, "transport", f"route {route}", WEEKDAY_CODES[weekday], str(n)])
        for (lender, borrower), n in sorted(m.matrix.items()):
            rows.append([m.month, "loans", lender, borrower, str(n)])
        for reason, n in sorted(m.refusals.items()):
            rows.append([m.month, "refusals", "", reason, str(n)])
    return rows


# --- Requests that left the county: LIBRIS fjärrlån (recorded by hand) and ISO 18626 partners ---


@dataclass
class LeftCounty:
    """Requests of the county's patrons passed on outside it, and loans to partners outside it."""

    libris: int = 0
    libris_filled: int = 0
    libris_unfilled: int = 0
    to_partners: int = 0
    to_partners_filled: int = 0
    lent_to_partners: int = 0


def left_county(since: date | None = None, until: date | None = None) -> LeftCounty:
    """Counted by request creation date, like `monthly`."""
    requests: QuerySet[Request] = Request.objects.all()
    if since:
        requests = requests.filter(created_at__date__gte=since)
    if until:
        requests = requests.filter(created_at__date__lte=until)
    libris = LibrisEscalation.objects.filter(request__in=requests)
    asked = IsoTransaction.objects.filter(request__in=requests, role=IsoTransaction.Role.REQUESTER)
    return LeftCounty(
        libris=libris.count(),
        libris_filled=libris.filter(outcome=LibrisEscalation.Outcome.FILLED).count(),
        libris_unfilled=libris.filter(outcome=LibrisEscalation.Outcome.UNFILLED).count(),
        to_partners=asked.count(),
        to_partners_filled=Event.objects.filter(
            request__in=asked.values("request"), action="partner_loaned"
        ).aggregate(n=Count("request", distinct=True))["n"],
        lent_to_partners=Event.objects.filter(
            request__in=requests, request__iso__role=IsoTransaction.Role.SUPPLIER, action="ship"
        ).aggregate(n=Count("request", distinct=True))["n"],
    )


def left_county_rows(left: LeftCounty) -> list[list[str]]:
    """The CSV rows of `left_county` (month empty: the whole period asked for)."""
    return [["", f"left_county_{name}", "", "", str(value)] for name, value in vars(left).items()]
