"""Live availability for a result page, worded like the server-rendered line (home library first).

availability.js fetches this in one batch when the page names it in
`<body data-availability-batch>`; the summaries are the availability layer's own, only re-ordered
so the patron's library leads the list, as it does before JavaScript runs.
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from catalog.availability import cluster_summaries
from catalog.home_library import home_library
from opac.hits import availability_text
from portal.params import parse_ids


@require_GET
def live_summaries(request: HttpRequest) -> JsonResponse:
    try:
        ids = parse_ids(request.GET.get("ids", ""))
    except ValueError:
        return JsonResponse({"error": "ids must be record ids, comma-separated."}, status=400)
    home = home_library(request)
    records: dict[str, object] = {}
    for pk, summary in cluster_summaries(ids, live=True).items():
        if summary["available_at"]:  # only the "available at …" wording names libraries
            line = availability_text(summary, 1, home)
            summary = {**summary, "text": line.text, "state": line.state}
        records[str(pk)] = summary
    return JsonResponse({"records": records})
