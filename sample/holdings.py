"""Holdings inside each library's own bibliographic records, in the library system's profile.

- ``852`` (LIBRIS-like): one field per shelf, $b sigel $c shelf $h call number $t copies; no status.
- ``949``: one field per item, $a sigel $b branch $c shelf $d call number $i barcode $s status
  (Swedish words) $q due date.
- ``952`` (Koha): one field per item, $a/$b home/holding branch $c location $o call number
  $p barcode $y item type $d acquired, $q due date (on loan), $7 not for loan (-1 = ordered),
  $1 lost.
"""

from datetime import date, timedelta
from random import Random

from sample import vocabulary as v
from sample.libraries import SampleLibrary
from sample.works import Manifestation

DataField = tuple[str, str, str, list[tuple[str, str]]]
# (status, share) for physical items; e-books and online audio are always available.
STATUSES = (
    ("available", 0.56),
    ("on_loan", 0.30),
    ("in_transit", 0.03),
    ("on_hold_shelf", 0.04),
    ("ordered", 0.02),
    ("not_for_loan", 0.03),
    ("lost", 0.02),
)
STATUS_TEXT_949 = {
    "available": "Tillgänglig",
    "on_loan": "Utlånad",
    "in_transit": "Under transport",
    "on_hold_shelf": "Reserverad, väntar på avhämtning",
    "ordered": "Beställd",
    "not_for_loan": "Referensexemplar, ej hemlån",
    "lost": "Förkommen",
}
KOHA_LOCATIONS = {"Vuxen": "VUX", "Barn": "BARN", "Unga": "UNGA", "Fakta": "FAKTA", "Språk": "SPRAK"}
KOHA_ITEM_TYPES = {
    "book": "BOK",
    "large_print": "STORSTIL",
    "ebook": "EBOK",
    "audiobook": "LJUDBOK",
    "talking_book": "TALBOK",
    "music": "CD",
    "film": "DVD",
    "game": "SPEL",
    "map": "KARTA",
    "serial": "TIDSKR",
    "other": "PASE",
}


class HoldingsWriter:
    def __init__(self, library: SampleLibrary, rng: Random, as_of: date, index: int) -> None:
        self.library = library
        self.rng = rng
        self.as_of = as_of
        self.next_barcode = 10_000_000 * (index + 1)
        self.acquired_dates = [(as_of - timedelta(days=d)).isoformat() for d in range(3000)]
        self.due_dates = [(as_of + timedelta(days=d)).isoformat() for d in range(1, 29)]
        cumulative, running = [], 0.0
        for status, share in STATUSES:
            running += share
            cumulative.append((status, running))
        self.statuses = tuple(cumulative)

    def fields(self, m: Manifestation) -> list[DataField]:
        profile = self.library.holdings_profile
        items = self._items(m)
        if profile == "852":
            return self._852(m, items)
        return [self._949(m, item) if profile == "949" else self._952(m, item) for item in items]

    def _items(self, m: Manifestation) -> list[tuple[str, str, str]]:
        """(branch code, shelf, status) per item: popular titles have more copies."""
        rng, branches = self.rng, self.library.branches
        online = m.carrier == "online"
        count = 1 if online else 1 + int((3.5 if m.work.popular else 1.3) * rng.random() ** 2)
        shelf = _shelf(m)
        items = []
        for _ in range(count):
            branch = branches[0][0] if rng.random() < 0.5 else branches[int(len(branches) * rng.random())][0]
            items.append((branch, shelf, "available" if online else self._status()))
        return items

    def _status(self) -> str:
        draw = self.rng.random()
        return next((status for status, limit in self.statuses if draw < limit), "available")

    def _barcode(self) -> str:
        self.next_barcode += 1
        return f"{self.next_barcode}"

    def _due(self) -> str:
        return self.due_dates[int(28 * self.rng.random())]

    def _852(self, m: Manifestation, items: list[tuple[str, str, str]]) -> list[DataField]:
        shelves: dict[str, int] = {}
        for _, shelf, _ in items:
            shelves[shelf] = shelves.get(shelf, 0) + 1
        call_number = _call_number(m)
        return [
            ("852", " ", " ", [("b", self.library.code), ("c", shelf), ("h", call_number), ("t", str(count))])
            for shelf, count in shelves.items()
        ]

    def _949(self, m: Manifestation, item: tuple[str, str, str]) -> DataField:
        branch, shelf, status = item
        subfields = [
            ("a", self.library.code),
            ("b", branch),
            ("c", shelf),
            ("d", _call_number(m)),
            ("i", self._barcode()),
            ("s", STATUS_TEXT_949[status]),
        ]
        if status == "on_loan":
            subfields.append(("q", self._due()))
        return ("949", " ", " ", subfields)

    def _952(self, m: Manifestation, item: tuple[str, str, str]) -> DataField:
        branch, shelf, status = item
        acquired = self.acquired_dates[int(3000 * self.rng.random())]
        subfields = [
            ("a", branch),
            ("b", branch),
            ("c", KOHA_LOCATIONS.get(shelf, shelf.upper()[:8])),
            ("d", acquired),
            ("o", _call_number(m)),
            ("p", self._barcode()),
            ("y", KOHA_ITEM_TYPES[m.format]),
        ]
        if status == "on_loan":
            subfields.append(("q", self._due()))
        elif status in ("not_for_loan", "ordered"):
            subfields.append(("7", "1" if status == "not_for_loan" else "-1"))
        elif status == "lost":
            subfields.append(("1", "1"))
        return ("952", " ", " ", subfields)


def _shelf(m: Manifestation) -> str:
    work = m.work
    if m.format != "book":
        return v.BRANCH_SHELVES[m.format][0]
    if work.language != "swe":
        return "Språk"
    if work.audience == "j":
        return "Barn"
    return "Fakta" if work.kind == "nonfiction" else "Vuxen"


def _call_number(m: Manifestation) -> str:
    """SAB class plus the filing word, as on the spine label: "Hc Lindgren", "Qcc", "Im Huset"."""
    work = m.work
    if work.author is not None:
        word = work.author.surname
    elif work.corporate:
        word = work.corporate.split(" ")[0]
    else:
        word = work.title.text.split(" ")[0]
    return f"{work.sab} {word}" if work.sab else word
