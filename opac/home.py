"""The start page: search box, what Samsök is, and the county's libraries."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.home_library import home_library
from catalog.models import Cluster, Library


def start(request: HttpRequest) -> HttpResponse:
    home = home_library(request)
    libraries = sorted(Library.objects.all(), key=lambda library: library != home)
    context = {"libraries": libraries, "title_count": Cluster.objects.count(), "home": home}
    return render(request, "opac/start.html", context)
