"""Authors, translators, readers and directors: drawn from name pools with a popularity skew."""

from dataclasses import dataclass
from random import Random

from sample import vocabulary as v

POOLS: dict[str, tuple[list[str], list[str]]] = {
    "swe": (v.SWEDISH_FIRST, v.SWEDISH_LAST),
    "eng": (v.ENGLISH_FIRST, v.ENGLISH_LAST),
    "ara": (v.ARABIC_FIRST, v.ARABIC_LAST),
    "per": (v.PERSIAN_FIRST, v.PERSIAN_LAST),
    "som": (v.SOMALI_FIRST, v.SOMALI_LAST),
    "fin": (v.FINNISH_FIRST, v.FINNISH_LAST),
    "ukr": (v.UKRAINIAN_FIRST, v.UKRAINIAN_LAST),
    "sme": (v.SAMI_FIRST, v.SAMI_LAST),
    "fit": (v.MEANKIELI_FIRST, v.MEANKIELI_LAST),
}


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # pool and index: stable identity of the person within one county
    surname: str
    forename: str
    dates: str  # "1955-", "1907-2002" or ""

    @property
    def inverted(self) -> str:
        return f"{self.surname}, {self.forename}"

    @property
    def direct(self) -> str:
        return f"{self.forename} {self.surname}"


def _dates(index: int) -> str:
    if index % 5 == 0:
        return ""
    born = 1925 + (index * 37) % 75
    if born < 1945 and index % 3:
        return f"{born}-{born + 68 + index % 25}"
    return f"{born}-"


class PersonPools:
    """Every name pool as first names times last names; a few prolific names, a long tail of others."""

    def __init__(self) -> None:
        self._people: dict[tuple[str, int], Person] = {}

    def size(self, pool: str) -> int:
        first, last = POOLS[pool]
        return len(first) * len(last)

    def person(self, pool: str, index: int) -> Person:
        found = self._people.get((pool, index))
        if found is None:
            first, last = POOLS[pool]
            # A bijection of index onto (forename, surname): two people never share a name, and
            # neighbouring indexes (the prolific few) get different surnames.
            row, column = divmod(index, len(first))
            forename = first[column]
            surname = last[(row + 3 * column) % len(last)]
            found = Person(f"{pool}:{index}", surname, forename, _dates(index))
            self._people[(pool, index)] = found
        return found

    def draw(self, pool: str, rng: Random) -> tuple[Person, str]:
        index = int(self.size(pool) * rng.random() ** 1.5)
        person = self.person(pool, index)
        return person, person.key
