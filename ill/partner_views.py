"""Beyond the county: the ISO 18626 endpoint, the partner register, asking a partner, LIBRIS escalation."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from catalog.access import is_regional, staff_required
from ill import partners
from ill.access import sides_for, visible_requests
from ill.forms import IsoPartnerForm, LibrisEscalationForm
from ill.models import IsoPartner, LibrisEscalation, Request
from ill.states import Side, State
from ill.workflow import Actor, InvalidTransition, perform
from portal.proxy import client_address

MAX_MESSAGE_BYTES = 1024 * 1024


@csrf_exempt
@require_POST
def endpoint(request: HttpRequest) -> HttpResponse:
    """POST /ill/iso18626: a partner's ISO 18626 message in, its confirmation out (always 200)."""
    body = request.read(MAX_MESSAGE_BYTES + 1)
    if len(body) > MAX_MESSAGE_BYTES:
        body = b""  # answered as badly formed, stored empty
    answer = partners.receive(body, timezone.now(), client_address(request))
    return HttpResponse(answer, content_type="application/xml; charset=utf-8")


@staff_required
def partner_list(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Regional staff register the partners outside the county (add on the list, edit by id)."""
    if not is_regional(request.user):
        raise PermissionDenied
    partner = get_object_or_404(IsoPartner, pk=pk) if pk else None
    form = IsoPartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Partner saved."))
        return redirect("ill_staff:partners")
    context = {
        "form": form,
        "partner": partner,
        "partners": IsoPartner.objects.all(),
        "endpoint": request.build_absolute_uri(reverse("ill_iso:endpoint")),
    }
    return render(request, "ill/staff/partners.html", context)


def _as_borrower(request: HttpRequest, pk: int) -> tuple[Request, Actor]:
    ill = get_object_or_404(visible_requests(request.user).select_related("pickup_library"), pk=pk)
    if Side.BORROWER not in sides_for(request.user, ill):
        raise PermissionDenied
    return ill, Actor(Side.BORROWER, user=request.user, library=ill.pickup_library)  # type: ignore[arg-type]


@staff_required
@require_POST
def ask_partner(request: HttpRequest, pk: int) -> HttpResponse:
    ill, actor = _as_borrower(request, pk)
    partner = IsoPartner.objects.filter(pk=request.POST.get("partner") or 0, active=True).first()
    if partner is None:
        messages.error(request, _("Choose a partner."))
    else:
        try:
            partners.ask_partner(ill.pk, partner, actor, timezone.now())
            messages.success(request, _("Sent to %s over ISO 18626.") % partner)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
    return redirect("ill_staff:detail", pk=ill.pk)


@staff_required
@require_POST
def withdraw_from_partner(request: HttpRequest, pk: int) -> HttpResponse:
    ill, actor = _as_borrower(request, pk)
    try:
        partners.ask_partner_to_cancel(ill, actor, timezone.now())
        messages.success(request, _("The partner is asked to cancel; its answer decides."))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect("ill_staff:detail", pk=ill.pk)


@staff_required
@require_POST
def record_libris(request: HttpRequest, pk: int) -> HttpResponse:
    """The borrowing library records the LIBRIS fjärrlån request it placed by hand, and its outcome."""
    ill, actor = _as_borrower(request, pk)
    existing = LibrisEscalation.objects.filter(request=ill).first()
    form = LibrisEscalationForm(request.POST, instance=existing)
    if not form.is_valid():
        messages.error(request, _("Give the LIBRIS request number."))
        return redirect("ill_staff:detail", pk=ill.pk)
    now = timezone.now()
    try:
        if ill.state == State.EXHAUSTED:
            perform(ill.pk, "escalate", actor, note=f"LIBRIS {form.cleaned_data['libris_number']}", now=now)
        escalation = form.save(commit=False)
        escalation.request, escalation.recorded_by, escalation.recorded_at = ill, request.user, now
        escalation.save()
        messages.success(request, _("LIBRIS request recorded."))
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    return redirect("ill_staff:detail", pk=ill.pk)
