"""Staff pages: the health of every source, one source's failures and runs, run now, confirm."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.access import is_regional, staff_required
from harvest.health import source_health, visible_sources
from harvest.models import Source
from harvest.tasks import harvest_source_task
from portal.jobs import enqueue


@staff_required
def source_list(request: HttpRequest) -> HttpResponse:
    health = [source_health(source) for source in visible_sources(request.user)]
    return render(request, "harvest/source_list.html", {"health": health})


@staff_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(visible_sources(request.user), pk=source_id)
    context = {"health": source_health(source, with_details=True), "can_confirm": is_regional(request.user)}
    return render(request, "harvest/source_detail.html", context)


@require_POST
@staff_required
def run_now(request: HttpRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(visible_sources(request.user), pk=source_id)
    enqueue(harvest_source_task, source.pk, False)
    messages.success(request, _("A harvest of %(source)s is queued and starts shortly.") % {"source": source})
    return redirect("harvest:detail", source_id=source.pk)


@require_POST
@staff_required
def confirm_deletion(request: HttpRequest, source_id: int) -> HttpResponse:
    """Regional staff let the stopped run delete what the source no longer has."""
    if not is_regional(request.user):
        raise PermissionDenied
    source = get_object_or_404(Source, pk=source_id)
    Source.objects.filter(pk=source.pk).update(mass_deletion_confirmed=True)
    enqueue(harvest_source_task, source.pk, False)
    messages.success(request, _("Deletion confirmed; the harvest continues."))
    return redirect("harvest:detail", source_id=source.pk)
