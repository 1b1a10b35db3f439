"""Which records hold a match key, for following keys from record to record (``assignment.connected``).

A big run knows its own records' keys (it has just stored them) and asks PostgreSQL once, in one
join it plans as a whole, which other records hold any of them; following a key is then a
dictionary look-up. Otherwise every key is an index probe, batch after batch: at a million
records, four million probes, a seventh of the run. A key no record of the run holds (one a
changed record no longer has, one of another record) is looked up in the database as before.
"""

from collections.abc import Iterable


class KeyHolders:
    """The holders of the keys of one run's records: the run's from memory, others' as asked."""

    def __init__(self, run_keys: dict[int, list[str]], others: dict[str, list[int]]) -> None:
        # One holder (most keys) as a bare id: a list per key would double the memory.
        self._run: dict[str, int | list[int]] = {}
        for record_id, keys in run_keys.items():
            for key in keys:
                held = self._run.setdefault(key, record_id)
                if isinstance(held, list):
                    held.append(record_id)
                elif held != record_id:
                    self._run[key] = [held, record_id]
        self._others = others

    def holders(self, keys: Iterable[str]) -> set[int]:
        """Every record holding one of these keys (all of them keys of the run)."""
        found: set[int] = set()
        for key in keys:
            held = self._run[key]
            if isinstance(held, list):
                found.update(held)
            else:
                found.add(held)
            found.update(self._others.get(key, ()))
        return found

    def split(self, keys: Iterable[str]) -> tuple[list[str], list[str]]:
        """(keys of the run, other keys)."""
        mine: list[str] = []
        other: list[str] = []
        for key in keys:
            (mine if key in self._run else other).append(key)
        return mine, other
