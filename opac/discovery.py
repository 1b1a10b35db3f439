"""How machines find the catalogue: robots.txt, sitemaps of pages, libraries and records, OpenSearch."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from catalog.models import Cluster, Library


class RecordSitemap(Sitemap):  # type: ignore[type-arg]
    """Every record page; titles never appear here, only ids, so nothing harvested is echoed."""

    limit = 10000
    changefreq = "weekly"

    def items(self) -> QuerySet[Cluster]:
        return Cluster.objects.order_by("pk").only("pk", "updated_at")

    def location(self, item: Cluster) -> str:
        return reverse("site:record", args=[item.pk])

    def lastmod(self, item: Cluster) -> Any:
        return item.updated_at


class PageSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "site:start",
            "site:libraries",
            "site:languages",
            "site:about",
            "site:easy_read",
            "site:accessibility",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class LibrarySitemap(Sitemap):  # type: ignore[type-arg]
    """Each library's page: where it is, how to reach it, how much of the catalogue it holds."""

    changefreq = "monthly"

    def items(self) -> QuerySet[Library]:
        return Library.objects.order_by("code").only("code")

    def location(self, item: Library) -> str:
        return reverse("site:library", args=[item.code])


SITEMAPS = {"pages": PageSitemap, "libraries": LibrarySitemap, "records": RecordSitemap}


@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("site:sitemap"))
    return render(request, "opac/robots.txt", {"sitemap": sitemap}, content_type="text/plain; charset=utf-8")


@cache_control(max_age=3600, public=True)
def opensearch(request: HttpRequest) -> HttpResponse:
    context = {"base": request.build_absolute_uri("/").rstrip("/")}
    return render(
        request, "opac/opensearch.xml", context, content_type="application/opensearchdescription+xml"
    )
