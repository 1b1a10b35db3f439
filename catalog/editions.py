"""The editions of a work (catalog.clustering.works) as the pages and the API show them.

Each edition is its cluster's search document (catalog.search.documents), so the holders and
copies on the shelf are counted the same way as in a search hit; building them is three queries
per thousand editions, never one per edition.
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min

from catalog.mapping.formats import FORMATS
from catalog.models import Cluster, Work
from catalog.search.documents import build_documents

# A work page lists at most this many editions (the Bible has hundreds; a search narrows them).
MAX_EDITIONS = 300
_FORMAT_ORDER = {code: rank for rank, code in enumerate(FORMATS)}


def edition_order(document: dict[str, Any]) -> tuple[int, int, int]:
    """Format (books first, as the format vocabulary lists them), then newest, then id."""
    formats = document.get("formats") or ["other"]
    year = document.get("year")
    return (_FORMAT_ORDER.get(formats[0], len(_FORMAT_ORDER)), -(year or 0), int(document["id"]))


def editions(work_id: int, exclude: int | None = None, limit: int = MAX_EDITIONS) -> list[dict[str, Any]]:
    """The work's clusters (but ``exclude``) as search documents, in edition order."""
    clusters = Cluster.objects.filter(work_id=work_id).order_by("pk")
    if exclude is not None:
        clusters = clusters.exclude(pk=exclude)
    return sorted(build_documents(clusters.values_list("pk", flat=True)[:limit]), key=edition_order)


def edition_counts(work_ids: Iterable[int]) -> dict[int, int]:
    """How many clusters each of these works has (one query)."""
    wanted = {int(pk) for pk in work_ids}
    if not wanted:
        return {}
    rows = Cluster.objects.filter(work_id__in=wanted).values("work_id").annotate(n=Count("id"))
    return {row["work_id"]: row["n"] for row in rows}


def work_size(work_id: int | None) -> int:
    """How many clusters (editions and formats) the work has; 0 without a work."""
    return 0 if work_id is None else Cluster.objects.filter(work_id=work_id).count()


def work_heading(documents: list[dict[str, Any]]) -> dict[str, Any]:
    """Title and authors to name the work by: the edition most libraries hold (first on a tie)."""
    best = max(documents, key=lambda document: len(document.get("libraries") or ()), default={})
    return {"title": best.get("title") or "", "authors": best.get("authors") or []}


def work_titles(work_ids: Iterable[str]) -> dict[str, str]:
    """A title for each of these works (their first cluster's), for a search filter's label."""
    ids = [int(pk) for pk in work_ids if str(pk).isdigit() and len(str(pk)) <= 18]
    if not ids:
        return {}
    firsts = Cluster.objects.filter(work_id__in=ids).values("work_id").annotate(first=Min("pk"))
    rows = Cluster.objects.filter(pk__in=firsts.values("first")).values_list("work_id", "data__title")
    return {str(work_id): str(title or "") for work_id, title in rows}


def find_work(pk: int) -> Work | None:
    return Work.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
