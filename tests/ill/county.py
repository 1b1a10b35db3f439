"""A small county for fjärrlån tests: four libraries, one title held by three, named staff users."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from catalog.models import Cluster, Holding, ItemStatus, Library, SourceRecord, StaffMember
from harvest.models import Source
from ill.models import Request
from ill.patron import create_request

PASSWORD = "a-long-enough-password"


@dataclass
class County:
    sods: Library  # borrowing (pickup) library in most tests
    nyks: Library  # lender, near Söderbyn, copy on the shelf
    li: Library  # lender, far away, copy on the shelf
    g: Library  # holds it on loan only
    cluster: Cluster
    sods_librarian: User
    nyks_librarian: User
    li_librarian: User
    regional: User


def library(code: str, name: str, lat: float, lon: float, **extra: object) -> Library:
    return Library.objects.create(
        code=code, name=name, latitude=lat, longitude=lon, email=f"{code.lower()}@bibl.example", **extra
    )


def hold(cluster: Cluster, lib: Library, status: str, call_number: str = "Hc", fmt: str = "book") -> Holding:
    source, _ = Source.objects.get_or_create(
        library=lib, defaults={"protocol": "marc-file", "url": "/dev/null"}
    )
    record = SourceRecord.objects.create(
        source=source,
        local_id=f"{lib.code}-{cluster.pk}",
        cluster=cluster,
        data={"formats": [fmt], "year": 2015},
    )
    return Holding.objects.create(record=record, library=lib, status=status, call_number=call_number)


def staff(username: str, *libraries: Library, regional: bool = False) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    member = StaffMember.objects.create(user=user, regional=regional)
    member.libraries.set(libraries)
    return user


def make_county() -> County:
    sods = library("Sods", "Söderbyns bibliotek", 59.20, 17.60, card_number_pattern=r"\d{10}")
    nyks = library("Nyks", "Nyköpings bibliotek", 58.75, 17.01)
    li = library("Li", "Linköpings bibliotek", 58.41, 15.62)
    g = library("G", "Göteborgs bibliotek", 57.70, 11.97, accepts_ill_pickup=False)
    cluster = Cluster.objects.create(
        data={
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
        sods_librarian=staff("sara", sods),
        nyks_librarian=staff("nils", nyks),
        li_librarian=staff("lina", li),
        regional=staff("regina", regional=True),
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
