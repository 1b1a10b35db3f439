"""Statement pages required of a public service (the accessibility statement)."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# When the statement was last reviewed against the site (update together with its text).
ACCESSIBILITY_REVIEWED = date(2026, 11, 22)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "opac/accessibility.html", {"reviewed": ACCESSIBILITY_REVIEWED})
