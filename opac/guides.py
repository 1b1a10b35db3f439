"""The pages that explain the service: what Samsök is, how to borrow, how a fjärrlån works —
in the interface language, and in easy-to-read Swedish (lättläst) whatever the interface language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "opac/about.html")


def easy_read(request: HttpRequest) -> HttpResponse:
    return render(request, "opac/easy_read.html")
