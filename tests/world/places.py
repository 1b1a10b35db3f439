"""The county's libraries and the staff who work at them, each made the first time it is needed."""

from dataclasses import asdict, dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from catalog.models import Branch, Library, StaffMember
from harvest.models import Source

PASSWORD = "a-long-enough-password"


@dataclass(frozen=True)
class Place:
    name: str
    municipality: str
    latitude: float | None = None
    longitude: float | None = None
    card_number_pattern: str = ""
    accepts_ill_pickup: bool = True


LIBRARIES = {
    "Nyks": Place("Nyköpings stadsbibliotek", "Nyköping", 58.75, 17.01),
    "Ty": Place("Tyresö bibliotek", "Tyresö", 59.24, 18.23),
    "Na": Place("Nacka stadsbibliotek", "Nacka", 59.31, 18.16),
    # The fjärrlån tests' pickup library: its patrons' cards have ten digits.
    "Sods": Place("Södertälje stadsbibliotek", "Södertälje", 59.20, 17.60, card_number_pattern=r"\d{10}"),
    "Li": Place("Linköpings bibliotek", "Linköping", 58.41, 15.62),
    # Holds the fjärrlån title on loan only, and patrons may not pick up there.
    "G": Place("Göteborgs bibliotek", "Göteborg", 57.70, 11.97, accepts_ill_pickup=False),
}

# Who works where: the librarians of Södertälje, Nyköping and Linköping, and the regional library's staff.
STAFF: dict[str, tuple[str, ...]] = {"sara": ("Sods",), "nils": ("Nyks",), "lina": ("Li",), "regina": ()}
REGIONAL = {"regina"}


def library(code: str, **details: object) -> Library:
    """The library with this sigel, made from the table above (or from `details` for one outside it)."""
    found = Library.objects.filter(code=code).first()
    return found or _new_library(code, **details)


def _new_library(code: str, **details: object) -> Library:
    place = LIBRARIES.get(code, Place(code, ""))
    site = code.lower()
    fields: dict[str, object] = {
        **asdict(place),
        "email": f"fjarrlan@{site}.example.se",
        "phone": "08-123 456 00",
        "address": f"Biblioteksgatan 1\n123 45 {place.municipality}",
        "homepage": f"https://{site}.example.se/",
        "catalogue_url": f"https://{site}.example.se/katalog",
    }
    made = Library.objects.create(code=code, **{**fields, **details})
    Branch.objects.create(library=made, code="HB", name=f"{made.municipality} huvudbibliotek")
    return made


def source(
    lib: Library | None, name: str = "", protocol: str = "marc-file", url: str = "/dev/null"
) -> Source:
    """A library's own system (`lib`) or a regional feed (`lib` None), made once by name."""
    if lib and not name:
        name = f"{lib.code} ILS"
    return Source.objects.get_or_create(library=lib, name=name, defaults={"protocol": protocol, "url": url})[
        0
    ]


def staff(username: str, *libraries: Library, regional: bool = False) -> User:
    """A staff member of these libraries (or of the regional library), password PASSWORD."""
    user = User.objects.create(username=username, password=_hashed(tuple(settings.PASSWORD_HASHERS)))
    member = StaffMember.objects.create(user=user, regional=regional)
    member.libraries.set(libraries)
    return user


def persona(username: str) -> User:
    """One of the named staff in STAFF, with their libraries."""
    libraries = [library(code) for code in STAFF[username]]
    return staff(username, *libraries, regional=username in REGIONAL)


@cache
def _hashed(hashers: tuple[str, ...]) -> str:
    # Hashing is slow on purpose; the same password under the same hashers need be hashed once a run.
    return make_password(PASSWORD)
