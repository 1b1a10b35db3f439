"""Facet groups and selected-filter chips for the result page, labelled for people."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from catalog.accessible import accessible_label
from catalog.fields import FACETS, YEAR_RANGES, year_range_value
from catalog.search.backends.base import FacetValue, SearchResult
from opac.labels import audience_label, format_label, language_label
from opac.search_state import SearchState

VISIBLE_VALUES = 6
MAX_VALUES = 20


@dataclass
class FacetLink:
    label: str
    count: int
    url: str
    selected: bool


@dataclass
class FacetGroup:
    name: str
    label: str | Promise
    links: list[FacetLink] = field(default_factory=list)
    filtered: bool = False  # a filter of this kind is set, even one no link stands for

    @property
    def visible(self) -> list[FacetLink]:
        return self.links[:VISIBLE_VALUES]

    @property
    def more(self) -> list[FacetLink]:
        return self.links[VISIBLE_VALUES:MAX_VALUES]

    @property
    def open(self) -> bool:
        return (
            self.filtered or any(link.selected for link in self.links) or self.name in {"library", "format"}
        )


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def year_label(value: str) -> str:
    low, _sep, high = value.partition("-")
    if not low:
        return _("before %(year)s") % {"year": int(high) + 1}
    if not high:
        return _("%(year)s and later") % {"year": low}
    return f"{low}\u2013{high}"


def value_label(facet: str, value: str, libraries: dict[str, str], engine_label: str = "") -> str:
    if facet == "work":
        return _("Editions of %(title)s") % {"title": engine_label or value}
    if facet == "library":
        return libraries.get(value) or engine_label or value
    if facet == "format":
        return format_label(value)
    if facet == "accessibility":
        return accessible_label(value)
    if facet == "language":
        return language_label(value)
    if facet == "year":
        return year_label(value)
    if facet == "audience":
        return audience_label(value)
    return engine_label or value


def _year_bounds(value: str) -> tuple[int | None, int | None]:
    for low, high in YEAR_RANGES:
        if year_range_value(low, high) == value:
            return low, high
    return None, None


def _links(
    state: SearchState, name: str, values: list[FacetValue], libraries: dict[str, str]
) -> list[FacetLink]:
    request = state.request
    links = []
    for facet_value in values:
        label = value_label(name, facet_value.value, libraries, facet_value.label)
        if name == "year":
            low, high = _year_bounds(facet_value.value)
            selected = (request.year_from, request.year_to) == (low, high) and (low, high) != (None, None)
            url = state.years_url(None, None) if selected else state.years_url(low, high)
        else:
            selected = facet_value.value in request.filters.get(name, ())
            url = state.toggle_url(name, facet_value.value)
        links.append(FacetLink(label, facet_value.count, url, selected))
    return links


def facet_groups(state: SearchState, result: SearchResult, libraries: dict[str, str]) -> list[FacetGroup]:
    groups = []
    for facet in FACETS:
        values = [value for value in result.facets.get(facet.name, []) if value.count > 0]
        selected = set(state.request.filters.get(facet.name, ()))
        # A selected value the engine did not return (count 0) still needs a way to be removed.
        values += [FacetValue(value, 0) for value in selected - {v.value for v in values}]
        if values:
            links = _links(state, facet.name, values, libraries)
            years = state.request.year_from is not None or state.request.year_to is not None
            groups.append(FacetGroup(facet.name, facet.label, links, filtered=facet.ranged and years))
    return groups


def chips(state: SearchState, libraries: dict[str, str], works: dict[str, str] | None = None) -> list[Chip]:
    """One chip per selected filter; ``works`` names the works a `work` filter selects."""
    request = state.request
    titles = works or {}
    result = [
        Chip(value_label(name, value, libraries, titles.get(value, "")), state.toggle_url(name, value))
        for name, values in request.filters.items()
        for value in values
    ]
    if request.year_from is not None or request.year_to is not None:
        low = "" if request.year_from is None else str(request.year_from)
        high = "" if request.year_to is None else str(request.year_to)
        result.append(
            Chip(_("Year %(range)s") % {"range": f"{low}\u2013{high}"}, state.years_url(None, None))
        )
    if request.available:
        result.append(Chip(_("Available now"), state.available_url(False)))
    return result
