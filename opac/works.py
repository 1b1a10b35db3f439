"""The work page (`/verk/<id>/`): every edition and format of one title at once, and the edition
rows the record page's "other formats and editions" shares with it."""

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from catalog.editions import editions, find_work, work_heading
from opac.errors import RecordNotHeld
from opac.record_view import author_links


@dataclass
class EditionRow:
    """One edition as a row: what tells it apart, who holds it, where a copy is in."""

    id: int
    title: str
    subtitle: str
    formats: list[str]
    year: int | None
    edition: str
    publisher: str
    languages: list[str]
    holders: int
    available: int
    title_lang: dict[str, str] = field(default_factory=dict)
    original: dict[str, Any] = field(default_factory=dict)  # the title in its own script (880)
    accessibility: list[str] = field(default_factory=list)  # catalog.accessible codes


def edition_rows(documents: list[dict[str, Any]]) -> list[EditionRow]:
    return [
        EditionRow(
            id=int(document["id"]),
            title=str(document.get("title") or ""),
            subtitle=str(document.get("subtitle") or ""),
            formats=list(document.get("formats") or ["other"]),
            year=document.get("year"),
            edition=str(document.get("edition") or ""),
            publisher=str(document.get("publisher") or ""),
            languages=list(document.get("languages") or []),
            holders=len(document.get("libraries") or ()),
            available=len(document.get("available_at") or ()),
            title_lang=dict(document.get("title_lang") or {}),
            original=dict(document.get("original") or {}),
            accessibility=list(document.get("accessibility") or []),
        )
        for document in documents
    ]


def work_page(request: HttpRequest, pk: int) -> HttpResponse:
    work = find_work(pk)
    documents = editions(work.pk) if work is not None else []
    if work is None or not documents:
        raise RecordNotHeld(f"no work {pk}")
    heading = work_heading(documents)
    context = {
        "work": work,
        "title": heading["title"],
        "title_lang": next(
            (d.get("title_lang") for d in documents if d.get("title") == heading["title"]), {}
        ),
        "authors": author_links(heading["authors"]),
        "editions": edition_rows(documents),
        "search_url": f"{reverse('site:search')}?work={work.pk}",
        "permalink": request.build_absolute_uri(reverse("site:work", args=[work.pk])),
    }
    return render(request, "opac/work.html", context)
