"""Facets, sort options, searchable fields and hit fields, declared once.

The indexer (catalog.search.documents), the query builders (catalog.search.backends.*), the
request parser (catalog.search.query), the JSON API and the templates all read these tuples, so
adding a facet or a sort order is one edit here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Facet:
    """One facet: `name` is the API key, the request parameter and the document key."""

    name: str
    label: str | Promise
    size: int = 30  # how many values the engine returns
    ranged: bool = False  # values are year ranges ("2010-2019"), filtered with year_from/year_to


FACETS: tuple[Facet, ...] = (
    Facet("library", _("Library"), size=100),
    Facet("municipality", _("Municipality"), size=100),
    Facet("format", _("Format"), size=20),
    # Accessible media (catalog.accessible): versions and properties of a title, one facet.
    Facet("accessibility", _("Accessible media"), size=10),
    # Every language a county holds (the language page lists them all; counties hold 50-100).
    Facet("language", _("Language"), size=150),
    Facet("year", _("Year"), ranged=True),
    Facet("subject", _("Subject"), size=30),
    Facet("audience", _("Audience"), size=10),
)
FACETS_BY_NAME = {facet.name: facet for facet in FACETS}
# Facets filtered by repeatable `name=value` parameters (OR within one facet, AND across).
TERM_FACETS: tuple[str, ...] = tuple(facet.name for facet in FACETS if not facet.ranged)
# Filters that are no facet: `work` narrows a search to the editions of one work (its id).
FILTER_ONLY: tuple[str, ...] = ("work",)
TERM_FILTERS: tuple[str, ...] = (*TERM_FACETS, *FILTER_ONLY)

# Year facet buckets: (from, to) inclusive, None = open end. Value strings are "from-to".
YEAR_RANGES: tuple[tuple[int | None, int | None], ...] = (
    (None, 1899),
    (1900, 1949),
    (1950, 1979),
    (1980, 1999),
    (2000, 2009),
    (2010, 2019),
    (2020, None),
)


def year_range_value(low: int | None, high: int | None) -> str:
    """The facet value of a year bucket, e.g. "2010-2019", "-1899", "2020-"."""
    return f"{'' if low is None else low}-{'' if high is None else high}"


SORTS: dict[str, str | Promise] = {
    "relevance": _("Relevance"),
    "year_desc": _("Newest first"),
    "year_asc": _("Oldest first"),
    "title": _("Title A-Ö"),
}
DEFAULT_SORT = "relevance"

# Searchable text: field prefix in the query syntax -> relative weight. Title and author rank
# above subject, subject above notes (summary, contents, series, publisher).
SEARCH_FIELDS: dict[str, float] = {"title": 4.0, "author": 4.0, "subject": 2.0, "notes": 1.0}

# Every hit (API, result list) carries exactly these keys.
HIT_FIELDS: tuple[str, ...] = (
    "id",
    "title",
    "authors",
    "year",
    "formats",
    "accessibility",
    "languages",
    "isbns",
    "libraries",
    "available_at",
    "work",
)
# Extra stored fields the result list may show (not part of the API hit contract). `title_lang`:
# the title's lang and dir; `original`: its original-script form (880) with names, lang and dir.
EXTRA_STORED_FIELDS: tuple[str, ...] = ("subtitle", "publisher", "edition", "library_count")
EXTRA_STORED_FIELDS += ("title_lang", "original")

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 500  # deep paging is what crawlers do; 500 x 100 hits is plenty for a person
