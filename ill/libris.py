"""Escalation to LIBRIS fjärrlån stays manual: the borrowing librarian gets the request prefilled.

Only what identifies the title and the date goes into the block: LIBRIS id, ISBN, title, author,
year, needed-before date and our request number. No patron data.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext as _

from ill.models import Request

# LIBRIS's record page by LIBRIS id, and its search (where the fjärrlån order starts) by ISBN or title.
LIBRIS_RECORD = "https://libris.kb.se/bib/{}"
LIBRIS_SEARCH = "https://libris.kb.se/hitlist?d=libris&q={}"


@dataclass(frozen=True)
class LibrisPrefill:
    libris_id: str
    text: str
    url: str


def libris_id(request: Request) -> str:
    ids = (request.cluster.data or {}).get("libris_ids") if request.cluster else None
    return str(ids[0]) if ids else ""


def prefill(request: Request) -> LibrisPrefill:
    """The copyable block and the LIBRIS link for this request."""
    record = libris_id(request)
    lines = [
        (_("LIBRIS id"), record),
        ("ISBN", request.isbn),
        (_("Title"), request.title),
        (_("Author"), request.author),
        (_("Year"), request.year),
        (_("Needed before"), request.needed_before.isoformat() if request.needed_before else ""),
        (_("Our request number"), request.number),
    ]
    text = "\n".join(f"{label}: {value}" for label, value in lines if value)
    if record:
        url = LIBRIS_RECORD.format(quote(record))
    else:
        query = f"isbn:{request.isbn}" if request.isbn else request.title
        url = LIBRIS_SEARCH.format(quote(query))
    return LibrisPrefill(record, text, url)
