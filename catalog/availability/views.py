"""JSON endpoints: live status of one title, and result-list summaries in one batch."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from catalog.availability.lines import holding_lines
from catalog.availability.summary import cluster_summaries
from catalog.clustering.redirects import current_cluster_id
from catalog.models import Cluster
from portal.params import parse_id

MAX_BATCH = 100


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


def parse_ids(raw: str) -> list[int]:
    """'1,2,3' → [1, 2, 3] (order kept, duplicates dropped); ValueError on anything else."""
    ids = [parse_id(part.strip()) for part in raw.split(",") if part.strip()]
    if not ids or len(ids) > MAX_BATCH or None in ids:
        raise ValueError(raw)
    return list(dict.fromkeys(i for i in ids if i is not None))


@require_GET
def record_availability(request: HttpRequest, pk: int) -> HttpResponse:
    """GET /api/v1/records/<id>/availability[?home=SIGEL] → live status per holding.

    `unanswered` lists the libraries whose system did not answer in time (or whose circuit
    breaker is open); their lines carry harvested status and its age.
    """
    cluster = Cluster.objects.filter(pk=pk).first()
    if cluster is None:
        moved_to = current_cluster_id(pk)
        if moved_to is not None:
            return _moved(request, moved_to)
        return _json({"error": "No such record."}, status=404)
    lines = holding_lines(cluster, request.GET.get("home") or None, live=True)
    unanswered = sorted({line.library_code for line in lines if line.live_failed})
    return _json({"id": pk, "holdings": [line.as_dict() for line in lines], "unanswered": unanswered})


def _moved(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """301 to the availability of the title the records were merged into (CORS: fetch follows)."""
    url = reverse("api-record-availability", args=[cluster_id])
    query = request.META.get("QUERY_STRING", "")
    response = HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def availability_batch(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/availability?ids=1,2,3 → {"records": {"1": summary, ...}} in one lookup."""
    try:
        ids = parse_ids(request.GET.get("ids", ""))
    except ValueError:
        return _json({"error": f"ids must be 1 to {MAX_BATCH} record ids, comma-separated."}, status=400)
    summaries = cluster_summaries(ids, live=True)
    return _json({"records": {str(pk): summary for pk, summary in summaries.items()}})
