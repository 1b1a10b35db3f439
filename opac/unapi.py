"""unAPI (https://web.archive.org/web/2015/http://unapi.info/specs/): lets Zotero and similar tools
fetch a title shown on a page (`<abbr class="unapi-id" title="ID">`) in a format they read.

    GET /unapi                    the formats this server offers (200)
    GET /unapi?id=ID              the formats for that title (300 Multiple Choices, as the spec says)
    GET /unapi?id=ID&format=NAME  the title in that format (the record page's own export)
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from lxml import etree

from opac import record
from opac.errors import RecordMoved, RecordNotHeld

Export = Callable[[HttpRequest, int], HttpResponse]
FORMATS: dict[str, tuple[str, str, Export]] = {
    "ris": (
        "application/x-research-info-systems",
        "https://en.wikipedia.org/wiki/RIS_(file_format)",
        record.export_ris,
    ),
    "bibtex": ("application/x-bibtex", "https://www.bibtex.org/Format/", record.export_bibtex),
    "marcxml": ("application/marcxml+xml", "http://www.loc.gov/standards/marcxml/", record.export_marcxml),
}


def formats_document(record_id: str | None) -> bytes:
    root = etree.Element("formats")
    if record_id is not None:
        root.set("id", record_id)
    for name, (mime, docs, _export) in FORMATS.items():
        etree.SubElement(root, "format", name=name, type=mime, docs=docs)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _record_id(value: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise RecordNotHeld(f"no record {value[:40]!r}")
    return int(value)


def unapi(request: HttpRequest) -> HttpResponse:
    record_id, name = request.GET.get("id"), request.GET.get("format")
    if record_id is None:
        return HttpResponse(formats_document(None), content_type="application/xml")
    pk = _record_id(record_id)
    try:
        return _answer(request, pk, name)
    except RecordMoved as moved:
        # The error middleware redirects by the URL's pk; here the id is a parameter.
        query = request.GET.copy()
        query["id"] = str(moved.cluster_id)
        return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def _answer(request: HttpRequest, pk: int, name: str | None) -> HttpResponse:
    if not name:
        record.get_cluster(pk)  # an unknown id is a 404 here too
        return HttpResponse(formats_document(str(pk)), content_type="application/xml", status=300)
    if name not in FORMATS:
        return HttpResponse("unknown format", status=406, content_type="text/plain; charset=utf-8")
    return FORMATS[name][2](request, pk)
