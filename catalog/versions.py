"""Where the county also holds a title's work in an accessible medium ("Finns också som storstil
på 2 bibliotek, som talbok på 1 bibliotek").

Read from search documents (catalog.search.documents), which carry each edition's accessible
media and holders: the record page passes the editions it has loaded anyway; a result list asks
the search engine once for every work on the page (``for_works``), never the database per hit.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from catalog.accessible import ACCESSIBLE, ACCESSIBLE_CODES, AccessibleKind
from catalog.search import get_backend
from catalog.search.backends.base import SearchRequest, SearchUnavailable

# Editions of accessible media read for one result page (a work with more is rare: the Bible).
MAX_VERSIONS = 100


@dataclass
class AlsoAs:
    """One accessible medium of the work, held elsewhere in the county: the editions and holders."""

    kind: AccessibleKind
    work: int
    editions: list[int] = field(default_factory=list)
    libraries: set[str] = field(default_factory=set)

    @property
    def code(self) -> str:
        return self.kind.code

    @property
    def text(self) -> str:
        return self.kind.also_as(len(self.libraries))


def also_as(documents: Iterable[dict[str, Any]], own: dict[str, Any], work: int) -> list[AlsoAs]:
    """The accessible media of ``documents`` (editions of ``work``) that the edition ``own`` has
    not itself, each with the libraries holding it; media nobody holds are left out."""
    mine = set(own.get("accessibility") or ())
    found = {kind.code: AlsoAs(kind, work) for kind in ACCESSIBLE if kind.code not in mine}
    for document in documents:
        if str(document.get("id")) == str(own.get("id")):
            continue
        for code in document.get("accessibility") or ():
            if code in found and document.get("libraries"):
                found[code].editions.append(int(document["id"]))
                found[code].libraries.update(document["libraries"])
    return [version for version in found.values() if version.libraries]


def for_works(hits: list[dict[str, Any]]) -> dict[str, list[AlsoAs]]:
    """``also_as`` for each hit (a search document with a work) by its id, from one search over
    the accessible editions of all their works; nothing when the engine cannot answer."""
    works = {str(hit["work"]) for hit in hits if hit.get("work")}
    if not works:
        return {}
    request = SearchRequest(
        filters={"work": tuple(sorted(works)), "accessibility": ACCESSIBLE_CODES},
        page_size=MAX_VERSIONS,
    )
    try:
        versions = get_backend().search(request).hits
    except SearchUnavailable:
        return {}
    by_work: dict[str, list[dict[str, Any]]] = {}
    for version in versions:
        by_work.setdefault(str(version.get("work")), []).append(version)
    return {
        str(hit["id"]): found
        for hit in hits
        if hit.get("work") and (found := also_as(by_work.get(str(hit["work"]), []), hit, int(hit["work"])))
    }
