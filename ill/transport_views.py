"""Staff pages for the transport timetable: everyone reads it; regional administrators edit routes,
stops and hubs; each library's staff enter their own library's closures."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.access import is_regional, staff_libraries, staff_required
from ill.access import chosen_library
from ill.models import WEEKDAYS, TransportClosure, TransportHub, TransportRoute
from ill.transport_forms import ClosureForm, HubForm, RouteForm, StopFormSet


def _regional_only(request: HttpRequest) -> None:
    if not is_regional(request.user):
        raise PermissionDenied


@staff_required
def timetable(request: HttpRequest) -> HttpResponse:
    names = dict(WEEKDAYS)
    routes = [
        (route, [(stop, [names[int(d)] for d in sorted(stop.weekdays)]) for stop in route.stops.all()])
        for route in TransportRoute.objects.select_related("hub").prefetch_related("stops__library")
    ]
    context = {"routes": routes, "hubs": TransportHub.objects.all(), "regional": is_regional(request.user)}
    return render(request, "ill/staff/transport.html", context)


@staff_required
def route_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _regional_only(request)
    route = get_object_or_404(TransportRoute, pk=pk) if pk else TransportRoute()
    form = RouteForm(request.POST or None, instance=route)
    stops = StopFormSet(request.POST or None, instance=route)
    if request.method == "POST" and form.is_valid() and stops.is_valid():
        with transaction.atomic():
            stops.instance = form.save()
            stops.save()
        messages.success(request, _("Route saved."))
        return redirect("ill_staff:transport")
    return render(request, "ill/staff/transport_route.html", {"form": form, "stops": stops, "route": route})


@staff_required
def hub_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _regional_only(request)
    hub = get_object_or_404(TransportHub, pk=pk) if pk else TransportHub()
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Hub saved."))
        return redirect("ill_staff:transport")
    return render(request, "ill/staff/transport_hub.html", {"form": form, "hub": hub})


@staff_required
def closures(request: HttpRequest) -> HttpResponse:
    """A library's own days without transport (regional staff: any library's)."""
    library, libraries = chosen_library(request)
    form = ClosureForm(request.POST or None, instance=TransportClosure(library=library))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Closure saved."))
        return HttpResponseRedirect(f"{reverse('ill_staff:closures')}?{urlencode({'library': library.code})}")
    upcoming = library.transport_closures.filter(last_day__gte=timezone.localdate())
    context = {"form": form, "library": library, "libraries": libraries, "closures": upcoming}
    return render(request, "ill/staff/transport_closures.html", context)


@staff_required
@require_POST
def closure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    closure = get_object_or_404(TransportClosure, pk=pk, library__in=staff_libraries(request.user))
    closure.delete()
    messages.success(request, _("Closure removed."))
    return HttpResponseRedirect(
        f"{reverse('ill_staff:closures')}?{urlencode({'library': closure.library.code})}"
    )
