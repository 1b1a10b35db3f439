"""The v1 JSON API's endpoints: search, records, works, libraries, suggest, availability, OpenAPI.

Views only parse, call a service (search layer, availability) and serialize; `json_api` gives every
one the same convention (JSON, CORS, GET only, `{"error": "..."}` with 400/404/405/503).
"""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from api.openapi import openapi_document
from api.responses import error, json_api, json_response
from api.serializers import record_json, search_json, work_json
from catalog.availability.lines import holding_lines
from catalog.availability.summary import cluster_summaries
from catalog.clustering.redirects import current_cluster_id
from catalog.models import Cluster, Library
from catalog.search import get_backend
from catalog.search.query import parse_search_params
from portal.params import MAX_BATCH, parse_id, parse_ids

MAX_SUGGEST_CHARS = 100


@json_api
def search(request: HttpRequest) -> HttpResponse:
    search_request = parse_search_params(request.GET)
    result = get_backend().search(search_request)
    return json_response(search_json(search_request, result))


@json_api
def record(request: HttpRequest, pk: str) -> HttpResponse:
    record_id = parse_id(pk)
    body = record_json(record_id) if record_id is not None else None
    # A title merged into another: 301 to the record it is now part of (clients follow it).
    moved_to = current_cluster_id(record_id) if record_id is not None and body is None else None
    if moved_to is not None:
        return HttpResponsePermanentRedirect(reverse("api-record", args=[moved_to]))
    if body is None:
        return error(_("No such record; the title may no longer be held by any library."), 404)
    return json_response(body)


@json_api
def work(request: HttpRequest, pk: str) -> HttpResponse:
    work_id = parse_id(pk)
    body = work_json(work_id) if work_id is not None else None
    if body is None:
        return error(_("No such work; no library holds an edition of it any more."), 404)
    return json_response(body)


@json_api
def libraries(request: HttpRequest) -> HttpResponse:
    rows = Library.objects.order_by("name").values("code", "name", "municipality")
    return json_response({"libraries": list(rows)})


@json_api
def suggest(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:MAX_SUGGEST_CHARS]
    return json_response({"q": q, "suggestions": get_backend().suggest(q)})


@json_api
def not_found(request: HttpRequest, path: str) -> HttpResponse:
    return error(_("No such API address; see /api/v1/openapi.json."), 404)


@json_api
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(openapi_document(request.build_absolute_uri("/api/v1")))


@json_api
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
        return error(_("No such record; the title may no longer be held by any library."), 404)
    lines = holding_lines(cluster, request.GET.get("home") or None, live=True)
    unanswered = sorted({line.library_code for line in lines if line.live_failed})
    return _fresh(
        json_response({"id": pk, "holdings": [line.as_dict() for line in lines], "unanswered": unanswered})
    )


def _moved(request: HttpRequest, cluster_id: int) -> HttpResponse:
    """301 to the availability of the title the records were merged into (CORS: fetch follows)."""
    url = reverse("api-record-availability", args=[cluster_id])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


@json_api
def availability_batch(request: HttpRequest) -> HttpResponse:
    """GET /api/v1/availability?ids=1,2,3 → {"records": {"1": summary, ...}} in one lookup."""
    try:
        ids = parse_ids(request.GET.get("ids", ""))
    except ValueError:
        return error(_("ids must be 1 to %(most)d record ids, comma-separated.") % {"most": MAX_BATCH}, 400)
    summaries = cluster_summaries(ids, live=True)
    return _fresh(json_response({"records": {str(pk): summary for pk, summary in summaries.items()}}))


def _fresh(response: HttpResponse) -> HttpResponse:
    # Live status: a browser or proxy may keep it, but must ask again before using it.
    response["Cache-Control"] = "no-cache"
    return response
