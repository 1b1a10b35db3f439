"""Patron side of fjärrlån (no login): request form, confirmation, private status page, privacy notice."""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.home_library import home_library
from catalog.models import Cluster
from ill.cardcheck import check_card, refusal_message
from ill.forms import RequestForm
from ill.models import Request
from ill.patron import (
    create_request,
    open_duplicate,
    over_submission_limits,
    own_library_has_copy,
    resend_confirmation,
)
from ill.states import PATRON_CANCELLABLE, State
from ill.workflow import PATRON, InvalidTransition, perform
from portal.params import parse_id
from portal.proxy import client_address


def _cluster_from(request: HttpRequest) -> Cluster | None:
    raw = request.GET.get("record") or request.POST.get("record") or ""
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return get_object_or_404(Cluster, pk=pk)


def new_request(request: HttpRequest) -> HttpResponse:
    cluster = _cluster_from(request)
    if request.method != "POST":
        return _blank_form(request, cluster)
    form = RequestForm(request.POST, needs_title=cluster is None)
    context: dict[str, object] = {"form": form, "cluster": cluster}
    if not form.is_valid():
        return render(request, "ill/request_form.html", context, status=400)
    data = form.cleaned_data
    if form.filled_honeypot():  # a bot: the answer of a success, nothing stored or sent
        return redirect("ill:received")
    if not data.get("own_copy_ack") and own_library_has_copy(cluster, data["pickup_library"]):
        acknowledged = request.POST.copy()
        acknowledged["own_copy_ack"] = "True"
        context.update(form=RequestForm(acknowledged, needs_title=False), own_copy=data["pickup_library"])
        return render(request, "ill/request_form.html", context)
    # Counted before the duplicate check too: a duplicate re-sends the patron's link by e-mail.
    if over_submission_limits(client_address(request), data["card_number"], data.get("email") or ""):
        return render(request, "ill/rate_limited.html", status=429)
    now = timezone.now()
    card = check_card(data["pickup_library"], data["card_number"], data.get("pin") or "", now)
    if card.refused:
        assert card.verdict is not None
        form.add_error("card_number", refusal_message(card.verdict, data["pickup_library"]))
        return render(request, "ill/request_form.html", context, status=400)
    data.update(card_checked_at=card.checked_at, card_not_checked=card.not_checked)
    duplicate = open_duplicate(data["card_number"], cluster)
    if duplicate is None:
        try:
            create_request(cluster, data, now, request.build_absolute_uri("/"))
        except IntegrityError:  # the same request committed a moment ago (a double click)
            duplicate = open_duplicate(data["card_number"], cluster)
            if duplicate is None:
                raise
    if duplicate is not None:
        resend_confirmation(duplicate, request.build_absolute_uri("/"))
    # New or duplicate, the same answer: whoever knows a card number learns nothing about its requests.
    return redirect("ill:received")


def received(request: HttpRequest) -> HttpResponse:
    return render(request, "ill/received.html")


def _blank_form(request: HttpRequest, cluster: Cluster | None) -> HttpResponse:
    """The empty form; the patron's "my library" (portal cookie) is the pickup library if it takes pickups."""
    home = home_library(request)
    initial: dict[str, object] = {"pickup_library": home.pk} if home and home.accepts_ill_pickup else {}
    own_copy = home if home and own_library_has_copy(cluster, home) else None
    if own_copy:
        initial["own_copy_ack"] = True  # already told: sending the form means they still want fjärrlån
    context = {
        "form": RequestForm(initial=initial, needs_title=cluster is None),
        "cluster": cluster,
        "own_copy": own_copy,
    }
    return render(request, "ill/request_form.html", context)


# Before the item arrives the patron is told when it is expected.
WAITING_STATES = [State.NEW, State.SENT, State.ACCEPTED, State.SHIPPED]


def _by_token(token: str) -> Request:
    return get_object_or_404(
        Request.objects.select_related("pickup_library"), token=token, anonymized_at=None
    )


def confirmation(request: HttpRequest, token: str) -> HttpResponse:
    ill = _by_token(token)
    return render(request, "ill/confirmation.html", {"ill": ill})


def status(request: HttpRequest, token: str) -> HttpResponse:
    ill = _by_token(token)
    context = {
        "ill": ill,
        # State changes only: moving on to the next lender (sent → sent) is not the patron's concern.
        "events": [
            e for e in ill.events.order_by("at", "pk") if e.action == "create" or e.from_state != e.to_state
        ],
        "cancellable": ill.state in PATRON_CANCELLABLE,
        "waiting_states": WAITING_STATES,
    }
    return render(request, "ill/status.html", context)


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    ill = _by_token(token)
    try:
        perform(ill.pk, "cancel", PATRON, note=_("Cancelled by the patron."))
        messages.success(request, _("Your request is cancelled."))
    except InvalidTransition:
        messages.error(
            request,
            _(
                "The request has already been sent to a lending library and can no longer "
                "be cancelled here. Contact your library."
            ),
        )
    return redirect("ill:status", token=ill.token)


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "ill/privacy.html", {"retention_days": settings.ILL_RETENTION_DAYS})
