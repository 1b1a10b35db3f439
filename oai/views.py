"""/oai: the OAI-PMH 2.0 provider over the merged titles (README, "OAI-PMH"). GET and POST."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from oai import arguments, envelope, verbs
from oai.errors import OaiError
from oai.formats import Repository


def context(request: HttpRequest) -> verbs.Context:
    """The base URL and identifier domain: SITE_URL's when set (stable whichever name the request
    used), else the request's."""
    site = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    domain = urlsplit(site).hostname or "localhost"
    return verbs.Context(f"{site}/oai", Repository(domain, site), timezone.now(), settings.OAI_ADMIN_EMAIL)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    ctx = context(request)
    params = request.POST if request.method == "POST" else request.GET
    oai_request = None
    try:
        oai_request = arguments.parse(list(params.lists()))
        root = envelope.document(ctx.base_url, ctx.now, oai_request)
        verbs.ANSWERS[oai_request.verb](ctx, oai_request, root)
    except OaiError as error:
        root = envelope.error_document(ctx.base_url, ctx.now, oai_request, error)
    return HttpResponse(envelope.serialize(root), content_type="text/xml; charset=utf-8")
