"""Deciding and writing connected sets in several processes at once.

A clustering run's connected sets (records linked by a shared key, or by the cluster they were
in before the run) are disjoint, and each is decided by its own records alone (``partition``),
so they can be decided and written side by side: on PostgreSQL, outside any
transaction of the caller's, a large run forks children (``CLUSTERING_PROCESSES``, two by
default for two cores) that each take a share of the sets, largest first onto the share with
the fewest records. A child sees what the run has decoded already (the fork copies memory on
write), writes its share in transactions of its own over its own connection and sends back the
cluster ids it touched. The first pass, storing the run's keys, is shared out the same way, every
other batch to the child (``in_shares``). The run holds the clustering lock for them all.
"""

from collections.abc import Callable, Iterable
from contextlib import ExitStack
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.db import connection

from catalog.clustering.keys import UNDATED_MARK, linked_keys
from portal.forking import can_fork, forked

T = TypeVar("T")
R = TypeVar("R")
# (record ids, their keys): one or more connected sets.
Unit = tuple[set[int], dict[int, list[str]]]
# Fewer records than this are decided in one process: forking would cost more than it saves.
PARALLEL_FROM = 4000


class Joined:
    """Records joined into sets by what links them (a key, a cluster), record by record: a
    union-find whose links may be anything hashable."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.holder: dict[object, int] = {}

    def root(self, record_id: int) -> int:
        parent = self.parent
        while parent.get(record_id, record_id) != record_id:
            parent[record_id] = parent.get(parent[record_id], parent[record_id])
            record_id = parent[record_id]
        return record_id

    def add(self, record_id: int, links: Iterable[object]) -> None:
        """A record not added before, and what links it."""
        mine = record_id  # no record added so far links to it: it is a root
        for link in links:
            other = self.holder.setdefault(link, mine)
            if other != mine:
                theirs = self.root(other)
                if theirs != mine:
                    self.parent[mine] = theirs
                    mine = theirs

    def set_of(self, record_id: int) -> int:
        return self.root(record_id) if record_id in self.parent else record_id


def components(units: list[Unit], clusters: dict[int, int]) -> list[Unit]:
    """The connected sets of these units: records sharing (or linked by) a key, or a cluster before
    the run (``clusters``: record → its cluster), transitively. Units may overlap (a record reached from
    two batches); a record is in exactly one of the sets returned."""
    keys: dict[int, list[str]] = {}
    for members, unit_keys in units:
        for record_id in members:
            keys[record_id] = unit_keys.get(record_id, [])
    # A key linking other keys (``keys.linked_keys``) links them only where some record holds it;
    # only keys with the undated block's mark link any.
    links_of = {key: linked_keys(key) for ks in keys.values() for key in ks if UNDATED_MARK in key}
    prefixes = {prefix for _block, prefix in links_of.values() if prefix}
    joined = Joined()
    for record_id, record_keys in keys.items():
        # A dated key of the undated block links its undated key's holders only.
        links: list[object] = [key for key in record_keys if key not in links_of or not links_of[key][0]]
        if prefixes:
            links += [b for key in record_keys if key in links_of and (b := links_of[key][0]) in prefixes]
        cluster = clusters.get(record_id)
        if cluster is not None:
            links.append(cluster)
        joined.add(record_id, links)
    found: dict[int, Unit] = {}
    for record_id, record_keys in keys.items():
        share = found.setdefault(joined.set_of(record_id), (set(), {}))
        share[0].add(record_id)
        share[1][record_id] = record_keys
    return list(found.values())


def shares(units: list[Unit], count: int, clusters: dict[int, int]) -> list[list[Unit]]:
    """The units' connected sets (see ``components``) dealt out to ``count`` shares of about the same
    number of records, largest first onto the share with the fewest."""
    dealt: list[list[Unit]] = [[] for _ in range(count)]
    sizes = [0] * count
    # Units already apart (a first run: no record was in a cluster, no record reached twice) are
    # dealt as they are; otherwise they are taken apart into connected sets.
    apart = len(units) >= count and not clusters
    apart = apart and sum(len(members) for members, _ in units) == len(set().union(*(m for m, _ in units)))
    for unit in sorted(units if apart else components(units, clusters), key=lambda u: -len(u[0])):
        lightest = sizes.index(min(sizes))
        dealt[lightest].append(unit)
        sizes[lightest] += len(unit[0])
    return [share for share in dealt if share]


def regroup(units: list[Unit], size: int) -> list[Unit]:
    """Small units joined into units of at least ``size`` records (one transaction each)."""
    joined: list[Unit] = []
    members: set[int] = set()
    keys: dict[int, list[str]] = {}
    for unit_members, unit_keys in units:
        members |= unit_members
        keys.update(unit_keys)
        if len(members) >= size:
            joined.append((members, keys))
            members, keys = set(), {}
    if members:
        joined.append((members, keys))
    return joined


def processes() -> int:
    """How many processes a large run may use: forking needs PostgreSQL (each child writes over its
    own connection) and no open transaction (a child could not see what it has not committed)."""
    if connection.vendor != "postgresql" or not can_fork() or connection.in_atomic_block:
        return 1
    return int(settings.CLUSTERING_PROCESSES)


def spread(dealt: list[list[T]], work: Callable[[list[T]], R]) -> list[R]:
    """``work`` on each share at once: the first in this process, the others in forked children."""
    with ExitStack() as stack:
        children = [stack.enter_context(forked(partial(work, share))) for share in dealt[1:]]
        results = [work(dealt[0])]
        results += [child() for child in children]
    return results


def in_shares(batches: list[T], records: int, work: Callable[[list[T]], R]) -> list[R]:
    """``work`` on every batch (of ``records`` records in all), each process taking every n-th."""
    count = processes() if records >= PARALLEL_FROM else 1
    dealt = [batches[n::count] for n in range(count) if batches[n::count]]
    return spread(dealt, work) if len(dealt) > 1 else [work(batches)]


def in_processes(
    units: list[Unit], work: Callable[[list[Unit]], set[int]], clusters: Callable[[], dict[int, int]]
) -> set[int]:
    """``work`` done on every unit, spread over the processes a run may use; the union of what it
    returned for each share. ``clusters``: each record's cluster before the run (asked only when
    the units are to be shared out: records of one cluster must be decided together)."""
    count = processes() if sum(len(members) for members, _ in units) >= PARALLEL_FROM else 1
    dealt = shares(units, count, clusters()) if count > 1 else [units]
    if len(dealt) < 2:
        return work(units)
    return set().union(*spread(dealt, work))
