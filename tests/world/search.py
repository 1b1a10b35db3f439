"""The indexing and API tests' county: two libraries, three titles (one held nowhere)."""

from dataclasses import dataclass
from datetime import date

from catalog.models import Cluster, ItemStatus, Library
from tests.world.places import library, source
from tests.world.shelves import Copy, shelve, title

# The API shows a holding as it was harvested: due date, branch and shelf included.
DUE = date(2026, 12, 1)


@dataclass
class County:
    nyks: Library
    ty: Library
    pippi: Cluster
    emil: Cluster
    orphan: Cluster


def make_cluster(name: str, **data: object) -> Cluster:
    return title({"title": name, "formats": ["book"], "languages": ["swe"], **data})


def copy(code: str, status: str) -> Copy:
    return Copy(code, status, shelf="Barn", branch="Huvudbiblioteket", due=DUE)


def build_county() -> County:
    nyks, ty = library("Nyks"), library("Ty")
    koha = source(nyks, "Nyköping Koha", protocol="oai-pmh", url="http://x")
    libris = source(None, "LIBRIS", protocol="oai-pmh", url="http://y")
    pippi = make_cluster(
        "Pippi Långstrump",
        authors=[{"name": "Lindgren, Astrid", "role": "author"}],
        year=1945,
        isbns=["9789129657807"],
        subjects=[{"term": "Barn", "thesaurus": "sao"}],
        publisher="Rabén & Sjögren",
    )
    emil = make_cluster(
        "Emil i Lönneberga", authors=[{"name": "Lindgren, Astrid", "role": "author"}], year=1963
    )
    orphan = make_cluster("Ingen har den")
    shelve(pippi, koha, "nyks-1", [copy("Nyks", ItemStatus.AVAILABLE)], merge_reason="isbn")
    shelve(pippi, libris, "libris-1", [copy("Ty", ItemStatus.ON_LOAN)], merge_reason="isbn")
    shelve(emil, libris, "libris-2", [copy("Ty", ItemStatus.AVAILABLE)], merge_reason="isbn")
    return County(nyks=nyks, ty=ty, pippi=pippi, emil=emil, orphan=orphan)
