"""Search-box completions in the OpenSearch suggestions format browsers read:
`["what was typed", ["completion", …]]` as application/x-suggestions+json."""

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control

from catalog.search import get_backend

MAX_PREFIX_CHARS = 100


@cache_control(max_age=300, public=True)
def suggestions(request: HttpRequest) -> HttpResponse:
    prefix = request.GET.get("q", "")[:MAX_PREFIX_CHARS]
    completions = get_backend().suggest(prefix) if prefix.strip() else []
    body = json.dumps([prefix, completions], ensure_ascii=False)
    return HttpResponse(body, content_type="application/x-suggestions+json; charset=utf-8")
