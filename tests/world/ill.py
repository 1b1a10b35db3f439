"""The fjärrlån tests' county: Södertälje's patrons borrow "Röda rummet", held by three others."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from catalog.models import Cluster, Holding, ItemStatus, Library
from ill.models import Request
from ill.patron import create_request
from tests.world.places import library, persona, source
from tests.world.shelves import Copy, shelve, title


@dataclass
class County:
    sods: Library  # borrowing (pickup) library in most tests
    nyks: Library  # lender, near Södertälje, copy on the shelf
    li: Library  # lender, far away, copy on the shelf
    g: Library  # holds it on loan only
    cluster: Cluster
    sods_librarian: User
    nyks_librarian: User
    li_librarian: User
    regional: User


def hold(cluster: Cluster, lib: Library, status: str, call_number: str = "Hc", fmt: str = "book") -> Holding:
    """A copy of `cluster` at `lib`, from the library's own record of it."""
    data = {"formats": [fmt], "year": 2015}
    record = shelve(
        cluster, source(lib), f"{lib.code}-{cluster.pk}", [Copy(lib.code, status, call_number)], data
    )
    return record.holdings.get()


def make_county() -> County:
    sods, nyks, li, g = (library(code) for code in ("Sods", "Nyks", "Li", "G"))
    cluster = title(
        {
            "title": "Röda rummet",
            "authors": [{"name": "Strindberg, August"}],
            "year": 2015,
            "formats": ["book"],
        }
    )
    hold(cluster, nyks, ItemStatus.AVAILABLE, "Hc Strindberg")
    hold(cluster, li, ItemStatus.AVAILABLE, "Hc.01 Str")
    hold(cluster, g, ItemStatus.ON_LOAN)
    hold(cluster, sods, ItemStatus.ON_LOAN)
    return County(
        sods,
        nyks,
        li,
        g,
        cluster,
        sods_librarian=persona("sara"),
        nyks_librarian=persona("nils"),
        li_librarian=persona("lina"),
        regional=persona("regina"),
    )


def place_request(county: County, now: datetime, **overrides: object) -> Request:
    data: dict[str, object] = {
        "pickup_library": county.sods,
        "patron_name": "Patrik Patron",
        "card_number": "1234567890",
        "email": "patrik@example.org",
        "phone": "",
        "needed_before": None,
        "any_edition": False,
        "message": "Gärna före jul",
    }
    data.update(overrides)
    cluster = data.pop("cluster", county.cluster)
    return create_request(cluster, data, now)  # type: ignore[arg-type]
