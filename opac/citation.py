"""What citation managers and link resolvers read from a page: COinS (an OpenURL 1.0 ContextObject
in `<span class="Z3988">`) and schema.org JSON-LD with availability per library.

Both are built from Cluster.data (or a search hit, which carries the same keys).
"""

import json
from collections.abc import Iterable
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from catalog.availability import HoldingLine
from opac.hits import Hit
from opac.record_view import as_list, full_title, names

BOOK_FORMATS = {"book", "large_print", "ebook"}
SCHEMA = "https://schema.org/"
# Inside <script> only "</script" or "<!--" could end the data early; JSON may spell < > & as
# \u escapes, so a harvested title never closes the element.
_JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _is_book(data: dict[str, object]) -> bool:
    formats = as_list(data.get("formats"))
    return not formats or formats[0] in BOOK_FORMATS


def openurl(data: dict[str, object], permalink: str) -> str:
    """The ContextObject as KEV (Z39.88-2004, book metadata format), the title="…" of COinS."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"),
        ("rfr_id", "info:sid/samsok"),
        ("rft_id", permalink),
        ("rft.genre", "book" if _is_book(data) else "document"),
        ("rft.btitle", full_title(data)),
        *(("rft.au", name) for name in names(data.get("authors"))),
        ("rft.date", " ".join(as_list(data.get("year")))),
        ("rft.pub", " ".join(as_list(data.get("publisher")))),
        ("rft.place", " ".join(as_list(data.get("place")))),
        ("rft.edition", " ".join(as_list(data.get("edition")))),
        *(("rft.isbn", isbn) for isbn in as_list(data.get("isbns"))),
    ]
    return urlencode([(key, value) for key, value in pairs if value])


def with_openurls(request: HttpRequest, hits: list[Hit], documents: list[dict[str, object]]) -> list[Hit]:
    """Each result-list hit gets the COinS of its search document (extra["openurl"])."""
    for hit, document in zip(hits, documents, strict=True):
        permalink = request.build_absolute_uri(reverse("site:record", args=[hit.id]))
        hit.extra["openurl"] = openurl(document, permalink)
    return hits


def _offers(lines: Iterable[HoldingLine], request: HttpRequest) -> list[dict[str, object]]:
    """One Offer per library: in stock when any of its copies is on the shelf."""
    libraries: dict[str, dict[str, object]] = {}
    for line in lines:
        offer = libraries.setdefault(
            line.library_code,
            {
                "@type": "Offer",
                "availability": SCHEMA + "OutOfStock",
                "offeredBy": {
                    "@type": "Library",
                    "name": line.library_name,
                    "url": request.build_absolute_uri(reverse("site:library", args=[line.library_code])),
                },
            },
        )
        if line.status == "available":
            offer["availability"] = SCHEMA + "InStock"
    return list(libraries.values())


def json_ld(
    data: dict[str, object], permalink: str, lines: Iterable[HoldingLine], request: HttpRequest
) -> dict[str, object]:
    """schema.org Book (CreativeWork for other formats); each holding library's offer links its page."""
    described: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Book" if _is_book(data) else "CreativeWork",
        "@id": permalink,
        "url": permalink,
        "name": full_title(data),
        "author": [{"@type": "Person", "name": name} for name in names(data.get("authors"))],
        "datePublished": " ".join(as_list(data.get("year"))),
        "inLanguage": as_list(data.get("languages")),
        "publisher": {"@type": "Organization", "name": name}
        if (name := " ".join(as_list(data.get("publisher"))))
        else None,
        "isbn": as_list(data.get("isbns")) if _is_book(data) else [],
        "bookEdition": " ".join(as_list(data.get("edition"))) if _is_book(data) else "",
        "offers": _offers(lines, request),
    }
    return {key: value for key, value in described.items() if value}


def json_ld_script_body(described: dict[str, object]) -> SafeString:
    """JSON safe to put between <script type="application/ld+json"> and </script>."""
    return mark_safe(json.dumps(described, ensure_ascii=False).translate(_JSON_IN_HTML))  # noqa: S308
