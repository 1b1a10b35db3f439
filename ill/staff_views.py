"""Staff side of fjärrlån: queues, request page with actions, pick list and labels, statistics."""

import csv
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.access import is_regional, staff_libraries, staff_required
from catalog.models import Library
from ill import iso18626, libris, statistics
from ill import picklist as picklists
from ill.access import chosen_library, sees_patron, sides_for, visible_requests
from ill.forms import LendingRuleForm, LibrisEscalationForm
from ill.models import (
    WEEKDAYS,
    IsoPartner,
    IsoTransaction,
    LendingRule,
    LibrisEscalation,
    Request,
    RotaEntry,
)
from ill.queues import INCOMING, OUTGOING, QueueFilter, counts_per_state, filter_overdue, queue, queue_counts
from ill.rota import reasoning
from ill.states import ACTIONS, RefusalReason, Side, State
from ill.transport import Timetable, expected_arrival
from ill.workflow import Actor, InvalidTransition, Seen, allowed_actions, perform
from portal.params import parse_id


def _queue_filter(request: HttpRequest, direction: str) -> QueueFilter:
    libraries = list(staff_libraries(request.user))
    code = request.GET.get("library", "")
    library = next((lib for lib in libraries if lib.code == code), None)
    state = request.GET.get("state", "")
    return QueueFilter(
        direction=direction,
        library=library,
        state=state if state in State.values else "",
        overdue_only=request.GET.get("overdue") == "1",
        libraries=libraries,
    )


@staff_required
def queue_page(request: HttpRequest, direction: str) -> HttpResponse:
    flt = _queue_filter(request, direction)
    now = timezone.now()
    base = queue(request.user, QueueFilter(direction, library=flt.library, include_final=True))
    rows = queue(request.user, flt).select_related("iso__partner")
    if flt.overdue_only:
        rows = filter_overdue(rows, now)
    overdue_ids = set(filter_overdue(rows, now).values_list("pk", flat=True))
    context = {
        "direction": direction,
        "incoming": direction == INCOMING,
        "filter": flt,
        "rows": [(r, r.pk in overdue_ids) for r in rows[:500]],
        "counts": [
            (value, label, counts.get(value, 0))
            for counts in [counts_per_state(base)]
            for value, label in State.choices
        ],
        "states": State.choices,
        "libraries": flt.libraries if not is_regional(request.user) or len(flt.libraries) < 100 else [],
    }
    return render(request, "ill/staff/queue.html", context)


@staff_required
def incoming(request: HttpRequest) -> HttpResponse:
    return queue_page(request, INCOMING)


@staff_required
def outgoing(request: HttpRequest) -> HttpResponse:
    return queue_page(request, OUTGOING)


def _visible(request: HttpRequest, pk: int) -> Request:
    qs = visible_requests(request.user).select_related("pickup_library", "current_lender")
    return get_object_or_404(qs, pk=pk)


@staff_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ill = _visible(request, pk)
    sides = sides_for(request.user, ill)
    is_borrower = Side.BORROWER in sides
    rota = ill.rota.select_related("library")
    if not is_borrower and not is_regional(request.user):
        rota = rota.exclude(status=RotaEntry.Status.WAITING)
    timetable = Timetable.load(since=timezone.localdate())
    context = {
        "ill": ill,
        "sees_patron": sees_patron(request.user, ill),
        "is_borrower": is_borrower,
        "actions": allowed_actions(ill, sides),
        "rota": [
            (entry, reasoning(entry, ill.pickup_library, timetable) if ill.pickup_library else "")
            for entry in rota
        ],
        "events": ill.events.select_related("actor", "library"),
        "reasons": RefusalReason.choices,
        "now": timezone.now(),
    }
    context.update(_beyond_the_county(ill, is_borrower))
    return render(request, "ill/staff/detail.html", context)


def _beyond_the_county(ill: Request, is_borrower: bool) -> dict[str, object]:
    """ISO 18626 exchange and messages, and (for the borrowing library) partners and LIBRIS."""
    exchange = IsoTransaction.objects.filter(request=ill).select_related("partner").first()
    escalation = LibrisEscalation.objects.filter(request=ill).first()
    # LIBRIS once no county library (nor a partner asked so far) could lend, or once recorded.
    may_escalate = is_borrower and (ill.state == State.EXHAUSTED or escalation is not None)
    return {
        "iso": exchange,
        "iso_messages": ill.iso_messages.all(),
        "partners": IsoPartner.objects.filter(active=True)
        if is_borrower and ill.state == State.EXHAUSTED
        else [],
        "libris": escalation,
        "libris_prefill": libris.prefill(ill) if may_escalate else None,
        "libris_form": LibrisEscalationForm(instance=escalation),
    }


def _seen(request: HttpRequest) -> Seen | None:
    """The state and lender the detail page showed (its hidden fields); None if absent or garbled."""
    state, lender = request.POST.get("state", ""), request.POST.get("lender", "")
    lender_id = parse_id(lender) if lender else None
    if state not in State.values or (lender and lender_id is None):
        return None
    return Seen(state, lender_id)


@staff_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    ill = _visible(request, pk)
    action = ACTIONS.get(request.POST.get("action", ""))
    sides = sides_for(request.user, ill)
    side = next(
        (s for s in (Side.LENDER, Side.BORROWER) if action and s in action.sides and s in sides), None
    )
    if action is None or side is None:
        messages.error(request, _("You cannot take that step on this request."))
        return redirect("ill_staff:detail", pk=ill.pk)
    seen = _seen(request)
    if seen is None:
        messages.error(
            request, _("The page was out of date. Nothing was done: check the request and try again.")
        )
        return redirect("ill_staff:detail", pk=ill.pk)
    library = ill.pickup_library if side == Side.BORROWER else ill.current_lender
    actor = Actor(side, user=request.user, library=library)  # type: ignore[arg-type]
    note = request.POST.get("note", "")[:2000]
    reason = request.POST.get("reason", "")
    if action.name == "refuse" and reason not in RefusalReason.values:
        messages.error(request, _("Choose a reason for refusing."))
        return redirect("ill_staff:detail", pk=ill.pk)
    try:
        perform(
            ill.pk,
            action.name,
            actor,
            note=note,
            reason=reason,
            base_url=request.build_absolute_uri("/"),
            seen=seen,
        )
        messages.success(request, _("Done: %s.") % action.label)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect("ill_staff:detail", pk=ill.pk)


@staff_required
def picklist(request: HttpRequest) -> HttpResponse:
    """Printable list for the transport box, by transport day and route: items to send to borrowers,
    returns to send back, and what the next transports bring."""
    libraries = list(staff_libraries(request.user))
    code = request.GET.get("library", "")
    chosen = [lib for lib in libraries if lib.code == code] or libraries
    visible = visible_requests(request.user).select_related("pickup_library", "current_lender")
    to_lend = visible.filter(state=State.ACCEPTED, current_lender__in=chosen).order_by(
        "pickup_library__name", "created_at"
    )
    returns = visible.filter(
        state__in=[State.PICKED_UP, State.NOTIFIED, State.RECEIVED], pickup_library__in=chosen
    ).order_by("created_at")
    coming = visible.filter(state__in=[State.ACCEPTED, State.SHIPPED], pickup_library__in=chosen).order_by(
        "promised_arrival", "created_at"
    )
    now = timezone.now()
    table = Timetable.load(since=timezone.localdate(now))

    def lender(r: Request) -> Library | None:
        return r.current_lender

    def borrower(r: Request) -> Library | None:
        return r.pickup_library  # None: a partner outside the county

    context = {
        "to_lend": picklists.outgoing(to_lend, lender, borrower, _call_number, now, table),
        "returns": picklists.outgoing(returns, borrower, lender, _call_number, now, table),
        "arriving": picklists.arriving(coming, table),
        "libraries": libraries,
        "chosen": chosen,
    }
    return render(request, "ill/staff/picklist.html", context)


def _call_number(ill: Request) -> str:
    entry = ill.rota.filter(library=ill.current_lender).first() if ill.current_lender_id else None
    return entry.call_number if entry else ""


@staff_required
def label(request: HttpRequest, pk: int) -> HttpResponse:
    ill = _visible(request, pk)
    returning = ill.state in {State.PICKED_UP, State.NOTIFIED, State.RECEIVED, State.RETURN_SHIPPED}
    sender, receiver = (
        (ill.pickup_library, ill.current_lender) if returning else (ill.current_lender, ill.pickup_library)
    )
    arrival = None
    if sender and receiver:
        arrival = expected_arrival(sender.pk, receiver.pk, timezone.now())
    context = {
        "ill": ill,
        "sender": sender,
        "receiver": receiver,
        "call_number": _call_number(ill),
        "returning": returning,
        "arrival": arrival,
    }
    return render(request, "ill/staff/label.html", context)


def _parse_date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@staff_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    if not is_regional(request.user):
        raise PermissionDenied
    since, until = _parse_date(request.GET.get("from", "")), _parse_date(request.GET.get("to", ""))
    months = statistics.monthly(since, until)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="fjarrlan-statistik.csv"'
        rows = statistics.csv_rows(months) + statistics.left_county_rows(statistics.left_county(since, until))
        csv.writer(response).writerows(rows)
        return response
    table = []
    for m in months:
        lenders = sorted({lender for lender, _b in m.matrix})
        borrowers = sorted({b for _l, b in m.matrix})
        grid = [(lender, [m.matrix.get((lender, b), 0) for b in borrowers]) for lender in lenders]
        reasons = [(statistics.reason_label(code), n) for code, n in m.refusals.most_common()]
        routes = sorted({route for route, _d in m.transport})
        transport = [(route, [m.transport.get((route, d), 0) for d, _n in WEEKDAYS]) for route in routes]
        table.append(
            {"m": m, "borrowers": borrowers, "grid": grid, "reasons": reasons, "transport": transport}
        )
    context = {
        "months": table,
        "since": since,
        "until": until,
        "weekdays": [name for _d, name in WEEKDAYS],
        "left_county": statistics.left_county(since, until),
    }
    return render(request, "ill/staff/statistics.html", context)


@staff_required
def iso18626_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The request as an ISO 18626 message, for the borrowing library to pass on when escalating."""
    ill = _visible(request, pk)
    if Side.BORROWER not in sides_for(request.user, ill):
        raise PermissionDenied
    response = HttpResponse(iso18626.request_message(ill), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ill.number}-iso18626.xml"'
    return response


@staff_required
def lending_rules(request: HttpRequest) -> HttpResponse:
    """Each library edits its own lending rules (what the rota leaves it out for)."""
    library, libraries = chosen_library(request)
    rule = LendingRule.objects.filter(library=library).first() or LendingRule(library=library)
    form = LendingRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Lending rules saved."))
        return HttpResponseRedirect(f"{reverse('ill_staff:rules')}?{urlencode({'library': library.code})}")
    return render(request, "ill/staff/rules.html", {"form": form, "library": library, "libraries": libraries})


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    libraries = list(staff_libraries(request.user))
    context = {
        "libraries": libraries,
        "regional": is_regional(request.user),
        "counts": queue_counts(request.user),
    }
    return render(request, "staff/dashboard.html", context)
