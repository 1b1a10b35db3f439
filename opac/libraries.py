"""Library pages: the list of the county's libraries and one page per library."""

from dataclasses import dataclass

from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.home_library import library_by_code
from catalog.models import Cluster, Holding, Library


@dataclass(frozen=True)
class CatalogueShare:
    """How much of the union catalogue one library holds."""

    titles: int
    items: int
    union_titles: int

    @property
    def fraction(self) -> float:
        return self.titles / self.union_titles if self.union_titles else 0.0

    @property
    def percent(self) -> float:
        return round(100 * self.fraction, 1)


def catalogue_share(library: Library) -> CatalogueShare:
    holdings = Holding.objects.filter(library=library, record__deleted=False, record__cluster__isnull=False)
    titles = holdings.values("record__cluster").distinct().count()
    items = holdings.aggregate(total=Sum("item_count"))["total"] or 0
    return CatalogueShare(titles=titles, items=items, union_titles=Cluster.objects.count())


def library_list(request: HttpRequest) -> HttpResponse:
    return render(request, "opac/library_list.html", {"libraries": Library.objects.all()})


def library_detail(request: HttpRequest, code: str) -> HttpResponse:
    library = library_by_code(code)
    if library is None:
        raise Http404("no such library")
    context = {"library": library, "share": catalogue_share(library), "branches": library.branches.all()}
    return render(request, "opac/library_detail.html", context)
