"""Assigning records to clusters in the database: keys, candidates, and writing the result.

Incremental: a record's match keys live in ``MatchKey`` (indexed), so a changed record only
pulls in the records that share a key with it (now or before the change) and, transitively,
theirs; only that connected set is re-decided. A harvested record changed in nothing the
decision reads (its ``partition.signature`` is the one it was decided with) pulls in nothing:
only its cluster's contents are made again (``_Run.restyle``). Deterministic: the decision for
a connected set depends on its records alone (see ``partition``), never on arrival order.
"""

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from catalog import datestamps
from catalog.bulk_work import BULK_RUN, no_cyclic_gc, refresh_statistics
from catalog.clustering import redirects
from catalog.clustering.bulk import (
    chunk_size,
    chunked,
    clustering_lock,
    create_clusters,
    key_index_built_after,
    keys_of_records,
    only_keys_stored,
    postgres,
    record_rows,
    replace_keys,
    update_clusters,
    update_memberships,
)
from catalog.clustering.display import choose_display, cluster_data
from catalog.clustering.holders import Crowding, KeyHolders, connected
from catalog.clustering.keys import KEY_FIELDS, KINDS, UNDATED_MARK, linked_keys, match_keys
from catalog.clustering.partition import Candidate, partition, signature
from catalog.clustering.processes import Joined, Unit, components, in_processes, in_shares, regroup
from catalog.clustering.works import work_key, works_for
from catalog.holdings_links import KEYS_PER_QUERY, link_keys, parent_query
from catalog.mapping.record import CONCEPTS
from catalog.models import Cluster, ClusterRedirect, MergeOverride, SourceRecord

BIB = SourceRecord.Kind.BIB
HOLDINGS = SourceRecord.Kind.HOLDINGS
_LIGHT_FIELDS = (
    "id",
    "source_id",
    "local_id",
    "kind",
    "deleted",
    "cluster_id",
    "merge_reason",
    "parent_local_id",
    "clustered_as",
)
# Decoded data of this many records is kept between the two passes of one run (memory bound).
_DATA_CACHE_LIMIT = 2_000_000
_ROW_FIELDS = (
    "id",
    "source_id",
    "local_id",
    "kind",
    "deleted",
    "data",
    "cluster_id",
    "merge_reason",
    "parent_local_id",
    "clustered_as",
)
# The row version a record was read at (PostgreSQL's xmin: a write makes a new one).
_VERSION = "xmin::text::bigint"
# A description as a pass that derives nothing but match keys reads it (PostgreSQL): without the
# fields they are not made of. The mapping writes every field, so one read so is empty only if
# the whole was (an unparseable record's).
_UNKEYED = ",".join(sorted(set(CONCEPTS) - set(KEY_FIELDS)))
_KEY_DATA = f"data - '{{{_UNKEYED}}}'::text[]"


@dataclass
class Row:
    id: int
    source_id: int
    local_id: str
    kind: str
    deleted: bool
    data: dict[str, Any]
    cluster_id: int | None
    merge_reason: str
    parent_local_id: str
    clustered_as: int | None  # the signature it was last decided with (``partition.signature``)
    version: int = 0  # 0: not known (SQLite)

    @property
    def clusterable(self) -> bool:
        """Live bibliographic records with a description; unparseable ones (no data) stay out."""
        return self.kind == BIB and not self.deleted and bool(self.data)

    @property
    def signed(self) -> bool:
        """In a cluster, decided with a signature: one a run of changed descriptions compares."""
        return bool(self.cluster_id) and self.clustered_as is not None

    @property
    def order(self) -> tuple[int, str]:
        return (self.source_id, self.local_id)


def load_rows(
    ids: Iterable[int],
    known_data: dict[int, dict[str, Any]] | None = None,
    unread: dict[int, Row] | None = None,
    keys_only: bool = False,
) -> dict[int, Row]:
    """Rows of these records; ``data`` already decoded in this run is reused, not fetched again.
    ``unread``: rows read earlier that nothing has written since, taken out (used once) instead.
    ``keys_only``: of each description read, only what its match keys are made of."""
    known = known_data or {}
    earlier = unread if unread is not None else {}
    wanted = list(ids)
    rows: dict[int, Row] = {rid: earlier.pop(rid) for rid in wanted if rid in earlier}
    wanted = [rid for rid in wanted if rid not in rows]
    rows.update((row.id, row) for row in _light_rows([rid for rid in wanted if rid in known], known))
    fields: tuple[str, ...] = (*_ROW_FIELDS, _VERSION) if postgres() else _ROW_FIELDS
    if keys_only and postgres():
        fields = tuple(_KEY_DATA if name == "data" else name for name in fields)
    for batch in chunked([rid for rid in wanted if rid not in known]):
        for values in record_rows(batch, fields):
            row = Row(*values)
            if isinstance(row.data, str):  # raw PostgreSQL rows carry jsonb as text
                row.data = orjson.loads(row.data)
            rows[row.id] = row
    return rows


def _light_rows(ids: list[int], known: dict[int, dict[str, Any]], versions: bool = False) -> Iterator[Row]:
    """Rows of these records read without their data: ``known``'s, or none. ``versions``: with the
    row version each was read at (PostgreSQL)."""
    fields = (*_LIGHT_FIELDS, _VERSION) if versions and postgres() else _LIGHT_FIELDS
    for batch in chunked(ids):
        for rid, source, local, kind, deleted, cluster, reason, parent, signed, *version in record_rows(
            batch, fields
        ):
            data = known.get(rid, {})
            yield Row(rid, source, local, kind, deleted, data, cluster, reason, parent, signed, *version)


def stored_keys(ids: Collection[int]) -> dict[int, list[str]]:
    """The match keys stored for these records (none for a record that holds none)."""
    keys: dict[int, list[str]] = {rid: [] for rid in ids}
    for batch in chunked(list(ids)):
        for record_id, key in keys_of_records(batch):
            keys[record_id].append(key)
    return keys


def holdings_rows(ids: Iterable[int]) -> list[Row]:
    """The holdings records among these, without their data (``follow_parents`` reads none): a
    run over a million bibliographic records need not fetch and decode them all again."""
    return [row for row in _light_rows(list(ids), {}) if row.kind == HOLDINGS]


_RANK = {kind: rank for rank, kind in enumerate(KINDS)}


def _key_rank(key: str) -> tuple[int, str]:
    return (_RANK.get(key.partition(":")[0], len(KINDS)), key)


def _overrides_for(rows: list[Row], action: str) -> list[tuple[int, Row]]:
    """(override id, record) for every override of this action naming one of these records."""
    by_name = {(r.source_id, r.local_id): r for r in rows}
    names = list({r.local_id for r in rows})
    found: list[tuple[int, Row]] = []
    for batch in chunked(names):
        overrides = MergeOverride.objects.filter(action=action).filter(
            Q(local_id__in=batch) | Q(other_local_id__in=batch)
        )
        for pk, source, local, other_source, other_local in overrides.values_list(
            "id", "source_id", "local_id", "other_source_id", "other_local_id"
        ):
            for name in ((source, local), (other_source, other_local)):
                if name in by_name:
                    found.append((pk, by_name[name]))
    return found


def keys_of(
    rows: list[Row], with_overrides: bool, stored: dict[int, list[str]] | None = None
) -> dict[int, list[str]]:
    """Current match keys (incl. librarians' merge keys) of each record; none for deleted ones.
    ``stored``: the match keys of records unchanged since they were stored, taken as they are."""
    known = stored or {}
    keys = {
        r.id: known[r.id] if r.id in known else match_keys(r.data) if r.clusterable and r.data else []
        for r in rows
    }
    if with_overrides:
        for override_id, row in _overrides_for(
            [r for r in rows if r.clusterable], MergeOverride.Action.MERGE
        ):
            keys[row.id].append(f"merge:{override_id}")
    return keys


def refresh_keys(
    rows: list[Row],
    with_overrides: bool,
    current: dict[int, list[str]] | None = None,
    unchanged: Collection[int] = (),
) -> tuple[dict[int, set[str]], int]:
    """Store the records' current keys (also into ``current``); returns the keys each record no
    longer has, and how many records' keys were written. ``unchanged``: records whose stored
    match keys are known to be their current ones (only their merge keys are looked up again)."""
    old: dict[int, set[str]] = {r.id: set() for r in rows}
    for record_id, key in keys_of_records(list(old)):
        old[record_id].add(key)
    # In no order: ``plan_clusters`` ranks a record's keys itself.
    stored = {rid: [key for key in old[rid] if not key.startswith("merge:")] for rid in unchanged}
    new = keys_of(rows, with_overrides, stored)
    if current is not None:
        current.update(new)
    changed = [rid for rid in new if set(new[rid]) != old[rid]]
    if changed:
        replace_keys({rid: list(dict.fromkeys(new[rid])) for rid in changed}, [r for r in changed if old[r]])
    return {rid: old[rid] - set(new[rid]) for rid in changed if old[rid] - set(new[rid])}, len(changed)


@dataclass
class Plan:
    """What one connected set of records becomes: memberships and cluster contents."""

    memberships: list[tuple[int, int | None, str, int | None]]  # (record, cluster, reason, signature)
    new_clusters: list[tuple[list[int], dict[str, Any], int, str]]
    cluster_updates: list[tuple[int, dict[str, Any], int | None, str]]
    old_cluster_ids: set[int]
    # Vanished ids groups take back, and for each old cluster that vanishes the record its
    # redirect names.
    revived: set[int] = field(default_factory=set)
    anchors: dict[int, redirects.Name] = field(default_factory=dict)
    # Clusters that stay exactly as they are: the same members, none of them changed.
    unchanged: set[int] = field(default_factory=set)


def _pick_cluster(members: list[Row], taken: set[int]) -> int | None:
    """Keep the cluster id most of the members already have (the earliest member's on a tie)."""
    held = [r.cluster_id for r in members if r.cluster_id is not None and r.cluster_id not in taken]
    if not held:
        return None
    votes = Counter(held)
    best = max(votes.values())
    return next(cid for cid in held if votes[cid] == best)


def _anchors(bibs: list[Row], vanishing: set[int]) -> dict[int, redirects.Name]:
    """For each vanishing cluster, its first live member in canonical order."""
    anchors: dict[int, redirects.Name] = {}
    for row in bibs:
        if row.cluster_id in vanishing:
            held = anchors.get(row.cluster_id)
            if held is None or row.order < held:
                anchors[row.cluster_id] = row.order
    return anchors


def _ids_back(groups: list[list[Row]], with_redirects: bool) -> list[int | None]:
    """The vanished id each group takes back, if any: only a group that has no cluster of its
    own, or whose cluster another group wants too (a merge undone), and that holds the record a
    redirect names."""
    favourites = [_pick_cluster(members, set()) for members in groups]
    wanted = Counter(f for f in favourites if f is not None)
    needy = [i for i, f in enumerate(favourites) if f is None or wanted[f] > 1]
    if not (with_redirects and needy):
        return [None] * len(groups)
    names = {r.id: r.order for i in needy for r in groups[i]}
    found = redirects.revivable(names)
    back: list[int | None] = [None] * len(groups)
    for i in needy:
        back[i] = min((found[r.id] for r in groups[i] if r.id in found), default=None)
    return back


def _contents(members: list[Row]) -> tuple[dict[str, Any], int, str]:
    """A cluster's data, display record and work key, made from its members (in canonical order)."""
    display = choose_display([(r.id, r.order, r.data) for r in members])
    data = next(r.data for r in members if r.id == display)
    return cluster_data(data, [r.data for r in members if r.id != display]), display, work_key(data)


def plan_clusters(
    rows: dict[int, Row],
    keys: dict[int, list[str]],
    with_overrides: bool = True,
    with_redirects: bool = True,
    changed: set[int] | None = None,
    crowded: Collection[str] = frozenset(),
) -> Plan:
    """``changed``: the records whose description may differ from what their cluster was made of
    (None: any of them); a cluster none of whose members changed, left or joined stays as it is.
    ``crowded``: blocking keys held by too many records to compare (see ``partition``)."""
    bibs = [r for r in rows.values() if r.clusterable]
    split = (
        {row.id for _, row in _overrides_for(bibs, MergeOverride.Action.SPLIT)} if with_overrides else set()
    )
    candidates = [
        Candidate(r.id, r.order, sorted(keys.get(r.id, []), key=_key_rank), r.id in split, r.data)
        for r in bibs
    ]
    plan = Plan([], [], [], {r.cluster_id for r in rows.values() if r.cluster_id})
    size_before = Counter(r.cluster_id for r in rows.values() if r.cluster_id and r.kind == BIB)
    taken: set[int] = set()
    groups = partition(candidates, crowded)
    ids_back = _ids_back([[rows[c.id] for c, _ in group] for group in groups], with_redirects)
    for group, id_back in zip(groups, ids_back, strict=True):
        members = [rows[c.id] for c, _ in group]
        cluster_id = id_back if id_back is not None else _pick_cluster(members, taken)
        signed = [
            row.clustered_as if changed is not None and row.id not in changed else signature(c.keys, row.data)
            for (c, _reason), row in zip(group, members, strict=True)
        ]
        moved = [
            (row.id, cluster_id, reason, sign)
            for (_candidate, reason), row, sign in zip(group, members, signed, strict=True)
            if cluster_id is None
            or (row.cluster_id, row.merge_reason, row.clustered_as) != (cluster_id, reason, sign)
        ]
        plan.memberships += moved
        if cluster_id is not None:
            taken.add(cluster_id)
            if not (moved or id_back is not None or size_before[cluster_id] != len(members)) and (
                changed is not None and not any(r.id in changed for r in members)
            ):
                plan.unchanged.add(cluster_id)
                continue
        data, display, wkey = _contents(members)
        if id_back is not None:
            plan.revived.add(id_back)
        if cluster_id is None:
            plan.new_clusters.append(([r.id for r in members], data, display, wkey))
        else:
            plan.cluster_updates.append((cluster_id, data, display, wkey))
    plan.memberships += [
        (r.id, None, "", None)
        for r in rows.values()
        if not r.clusterable and (r.cluster_id or r.clustered_as is not None)
    ]
    kept = plan.unchanged | {cid for cid, *_rest in plan.cluster_updates}
    plan.anchors = _anchors(bibs, plan.old_cluster_ids - kept)
    return plan


def apply_plan(plan: Plan, made_this_run: set[int] | None = None, with_works: bool = False) -> set[int]:
    """Write a plan; returns every cluster id it touched, deleted ones included.

    ``made_this_run``: clusters this clustering run created (it adds those it creates); one of
    them that vanishes again was never published, so it needs no redirect. ``with_works``: new
    clusters are made with their works (``works_for``), not left to ``assign_works``."""
    if plan.revived:
        redirects.revive(plan.revived)
    works = works_for({wkey for *_, wkey in plan.new_clusters if wkey}) if with_works else {}
    created = create_clusters(
        [(data, display, wkey, works.get(wkey)) for _, data, display, wkey in plan.new_clusters]
    )
    new_ids = {}
    for cluster_id, (member_ids, *_rest) in zip(created, plan.new_clusters, strict=True):
        new_ids.update({rid: cluster_id for rid in member_ids})
    memberships = [
        (rid, cid if cid is not None else new_ids.get(rid), reason, signed)
        for rid, cid, reason, signed in plan.memberships
    ]
    update_memberships(memberships)
    update_clusters(plan.cluster_updates)
    kept = {cid for cid, *_rest in plan.cluster_updates} | set(created) | plan.unchanged
    emptied = plan.old_cluster_ids - kept
    if emptied:
        SourceRecord.objects.filter(cluster_id__in=emptied, kind=HOLDINGS).update(cluster=None)
        Cluster.objects.filter(id__in=emptied).delete()
        # Only ids whose records live on elsewhere: a cluster whose records were all deleted
        # is no longer held (the 404 page says so).
        fresh = made_this_run if made_this_run is not None else set()
        redirects.write({cid: plan.anchors[cid] for cid in emptied - fresh if cid in plan.anchors})
        datestamps.bury(emptied - fresh)  # OAI-PMH: a persistent deleted record for each
    if made_this_run is not None:
        made_this_run.update(created)
    return (plan.old_cluster_ids | kept) - plan.unchanged


def follow_parents(rows: list[Row]) -> set[int]:
    """Holdings records (LIBRIS 004) share the cluster of their bibliographic record."""
    children = [r for r in rows if r.kind == HOLDINGS and r.parent_local_id]
    if not children:
        return set()
    parents: dict[tuple[int, str], int | None] = {}
    for source_id in {r.source_id for r in children}:
        wanted = [r.parent_local_id for r in children if r.source_id == source_id]
        for batch in chunked(wanted, KEYS_PER_QUERY):
            found = SourceRecord.objects.filter(
                parent_query(batch), source_id=source_id, kind=BIB, deleted=False
            )
            for local, cid in found.values_list("local_id", "cluster_id"):
                parents.update({(source_id, key): cid for key in link_keys(local)})
    updates = []
    for child in children:
        cluster_id = None if child.deleted else parents.get((child.source_id, child.parent_local_id))
        if cluster_id != child.cluster_id:
            updates.append(
                (child.id, cluster_id, f"holdings of {child.parent_local_id}" if cluster_id else "", None)
            )
    update_memberships(updates)
    return {cid for _, cid, _, _ in updates if cid} | {r.cluster_id for r in children if r.cluster_id}


def children_of(bib_rows: list[Row]) -> list[int]:
    """Ids of holdings records whose parent is one of these bibliographic records."""
    ids: list[int] = []
    for source_id in {r.source_id for r in bib_rows}:
        keys = [key for r in bib_rows if r.source_id == source_id for key in link_keys(r.local_id)]
        for batch in chunked(keys):
            found = SourceRecord.objects.filter(source_id=source_id, kind=HOLDINGS, parent_local_id__in=batch)
            ids += list(found.values_list("id", flat=True))
    return ids


@dataclass
class _Keyed:
    """What storing a run's keys found: each record's keys now, those it no longer has, and the
    cluster it was in."""

    keys: dict[int, list[str]] = field(default_factory=dict)
    removed: dict[int, set[str]] = field(default_factory=dict)
    old_clusters: dict[int, int] = field(default_factory=dict)
    stored: int = 0  # how many keys the records hold now (a record's keys are stored once each)
    rewritten: int = 0  # how many records' keys were written
    versions: dict[int, int] = field(default_factory=dict)  # the row versions keys were stored of
    # Changed records whose signature is the one they were decided with: their clusters stay.
    restyled: set[int] = field(default_factory=set)

    def update(self, other: "_Keyed") -> None:
        self.keys.update(other.keys)
        self.removed.update(other.removed)
        self.old_clusters.update(other.old_clusters)
        self.stored += other.stored
        self.rewritten += other.rewritten
        self.versions.update(other.versions)
        self.restyled |= other.restyled


@dataclass
class _Run:
    """What a run's two passes need, in whichever process does a share of them."""

    known_data: dict[int, dict[str, Any]]
    # Bibliographic rows as read by the first pass: only the plan of their own connected set
    # writes them, so that plan takes them from here instead of reading them again.
    unread: dict[int, Row]
    changed: set[int]
    with_overrides: bool
    with_redirects: bool
    has_children: bool
    keep_data: bool = True  # keep what the first pass decoded for the second
    # ``_runs``' pass: it derives nothing but keys, so it reads nothing else of a description.
    keys_only: bool = False
    # Blocking keys too crowded to compare that its connected sets may hold only some holders of.
    crowded: set[str] = field(default_factory=set)
    # The row version of each record whose keys ``_runs`` stored: a record still at it has them.
    stored_at: dict[int, int] = field(default_factory=dict)
    # Only the records' descriptions changed (see ``assign``): a record whose signature did not
    # change keeps its cluster, whose contents are made again (``restyle``).
    descriptions_only: bool = False
    # No record the run decides was in a cluster: new clusters are made with their works.
    with_works: bool = False

    @classmethod
    def of(
        cls,
        ids: list[int],
        given_data: dict[int, dict[str, Any]],
        keys_only: bool = False,
        descriptions_only: bool = False,
    ) -> "_Run":
        return cls(
            dict(given_data),
            {},
            set(ids),
            MergeOverride.objects.exists(),
            ClusterRedirect.objects.exists(),
            SourceRecord.objects.filter(kind=HOLDINGS).exists(),
            not keys_only and len(ids) <= _DATA_CACHE_LIMIT,
            keys_only,
            descriptions_only=descriptions_only,
        )

    def store_all(self, ids: list[int]) -> _Keyed:
        """The first pass over these records, shared out between processes (a record whose data
        another process decodes is read again by the second pass); a first load's builds the key
        index after it."""
        keyed = _Keyed()
        with key_index_built_after(len(ids), BULK_RUN):
            parts = in_shares(list(chunked(ids)), len(ids), self.store_keys)
        for part in parts:
            keyed.update(part)
        return keyed

    def store_keys(self, batches: list[list[int]]) -> _Keyed:
        """First pass: store these records' current keys (their data is kept for the second)."""
        keyed = _Keyed()
        for batch in batches:
            with transaction.atomic():
                rows, unchanged = self.first_rows(batch)
                current: dict[int, list[str]] = {}
                removed, rewritten = refresh_keys(rows, self.with_overrides, current, unchanged)
                if self.descriptions_only:
                    keyed.restyled |= {
                        r.id
                        for r in rows
                        if r.signed and r.clusterable and r.clustered_as == signature(current[r.id], r.data)
                    }
                if self.keys_only:  # ``_runs``' pass: the runs find what has not changed since
                    keyed.versions.update((r.id, r.version) for r in rows if r.version)
                keyed.removed.update(removed)
                keyed.rewritten += rewritten
                keyed.keys.update(current)
                keyed.stored += sum(len(set(keys)) for keys in current.values())
                keyed.old_clusters.update(
                    {r.id: r.cluster_id for r in rows if r.cluster_id and r.kind == BIB}
                )
        return keyed

    def first_rows(self, batch: list[int]) -> tuple[list[Row], list[int]]:
        """The first pass's rows of these records, and those whose stored match keys are their
        current ones: still at the row version ``_runs`` stored them of (``stored_at``). Such a
        record is read without its data, which nothing in this pass needs: the second pass reads
        it once, where it read it again in each process that had not decoded it here (a million
        records in runs of 200,000: 150 and 157 s instead of 159 and 162). Not when this pass
        needs the data anyway: to say which records may hold a librarian's merge key
        (``keys_of``), or the signature of a record decided before, in a run of changed
        descriptions (a harvest's: its first load, where no record was, read the data of a
        million records 2.44 times a record where twice will do)."""
        if self.stored_at and not self.with_overrides:
            light = list(_light_rows(batch, {}, versions=True))
            rows = [r for r in light if self._as_stored(r)]
            rows += self._read([r.id for r in light if not self._as_stored(r)])
        else:
            rows = self._read(batch)
        return rows, [r.id for r in rows if self._keys_stored(r)]

    def _keys_stored(self, row: Row) -> bool:
        """Is this record still at the row version ``_runs`` stored its keys of?"""
        return bool(row.version) and self.stored_at.get(row.id) == row.version

    def _as_stored(self, row: Row) -> bool:
        """Can this pass take the record as ``_runs`` stored it, without its data?"""
        return self._keys_stored(row) and not (self.descriptions_only and row.signed)

    def _read(self, ids: list[int]) -> list[Row]:
        """These records' rows with their data, kept for the second pass if the run keeps it."""
        rows = list(load_rows(ids, self.known_data, keys_only=self.keys_only).values())
        if self.keep_data:
            self.known_data.update({r.id: r.data for r in rows})
            self.unread.update({r.id: r for r in rows if r.kind == BIB})
        return rows

    def decide(self, units: list[Unit]) -> set[int]:
        """Second pass: decide and write these connected sets; every cluster id touched."""
        affected: set[int] = set()
        made_this_run: set[int] = set()
        for members, keys in regroup(units, chunk_size()):
            with transaction.atomic():
                component = load_rows(members, self.known_data, self.unread)
                plan = plan_clusters(
                    component, keys, self.with_overrides, self.with_redirects, self.changed, self.crowded
                )
                affected |= apply_plan(plan, made_this_run, self.with_works)
                if self.has_children:
                    bibs = [r for r in component.values() if r.kind == BIB]
                    affected |= follow_parents(holdings_rows(children_of(bibs)))
        return affected

    def as_stored(self, ids: list[int]) -> bool:
        """Is every one of these records still at the row version ``_runs`` stored its keys of?
        Read from the records' row versions alone (narrow rows: their values are stored apart)."""
        if not postgres() or self.with_overrides or len(self.stored_at) < len(ids):
            return False
        stored_at = self.stored_at
        return all(
            stored_at.get(rid) == version
            for batch in chunked(ids, 50000)
            for rid, version in record_rows(batch, ("id", _VERSION))
        )

    def restyle(self, cluster_ids: set[int]) -> set[int]:
        """Make these clusters' contents (data, display record, work key) again from their members
        as they are now. Their members stay: none changed in anything the partition reads."""
        for batch in chunked(sorted(cluster_ids)):
            with transaction.atomic():
                found = SourceRecord.objects.filter(cluster_id__in=batch, kind=BIB, deleted=False)
                rows = load_rows(found.values_list("id", flat=True), self.known_data, self.unread)
                members: dict[int, list[Row]] = {}
                for row in sorted(rows.values(), key=lambda r: r.order):
                    if row.clusterable and row.cluster_id is not None:
                        members.setdefault(row.cluster_id, []).append(row)
                update_clusters([(cid, *_contents(held)) for cid, held in members.items()])
        return cluster_ids


def _clusters_before(units: list[Unit], run_ids: set[int], known: dict[int, int]) -> dict[int, int]:
    """The cluster of each record of these units before the run: the run's own as its first pass
    read them (``known``), the others' from the database (nothing has written them yet)."""
    found = dict(known)
    others = {rid for members, _ in units for rid in members if rid not in run_ids}
    for batch in chunked(sorted(others)):
        found.update(
            {
                rid: cid
                for rid, cid, kind in record_rows(batch, ("id", "cluster_id", "kind"))
                if cid and kind == BIB
            }
        )
    return found


def _connected_sets(
    ids: list[int], keyed: _Keyed, alone: bool = False, sets: list[list[int]] | None = None
) -> tuple[list[Unit], set[str]]:
    """The connected sets the run re-decides, in units: as a rule one for each batch of ``ids``
    (the sets its records reach that no earlier batch reached). A bulk run follows its keys in
    memory: alone in the key table (or in a run of ``_runs`` that is), with no record that was in
    a cluster or lost a key (a first load), the sets are those its own keys make, each a unit of
    its own, so that the processes share them out and no transaction holds more than a set and a
    batch (by the batch of their first record, most sets a run's libraries share made one unit
    of a third of the run); otherwise it asks once who else holds them (``KeyHolders``). A set
    holds every holder of its keys except of those crowded keys that link no records
    (``Crowding``); returned with the units are the crowded keys they hold. ``sets``: a run of
    ``_runs`` alone in the key table has its sets from there (each a union of whole connected
    sets: it links a dated key to its undated block whether or not a record holds that, and a
    unit is decided as its sets would be apart) instead of finding them again."""
    known_keys, removed, old_clusters = keyed.keys, keyed.removed, keyed.old_clusters
    holders = None
    if len(ids) >= BULK_RUN:
        if not (removed or old_clusters) and (alone or only_keys_stored(keyed.stored)):
            if alone and sets is not None:
                found = [
                    (set(members), {rid: known_keys.get(rid, []) for rid in members}) for members in sets
                ]
            else:
                found = components([(set(ids), known_keys)], {})
            return found, set()
        if postgres():
            holders = KeyHolders.of_run(known_keys, ids)
    crowding = Crowding(known_keys, holders)
    done: set[int] = set()
    units: list[Unit] = []
    for batch in chunked(ids):
        seeds = {rid for rid in batch if rid not in done}
        if not seeds:
            continue
        extra_keys = {key for rid in seeds for key in removed.get(rid, ())}
        clusters = {old_clusters[rid] for rid in seeds if rid in old_clusters}
        if clusters:
            seeds |= set(
                SourceRecord.objects.filter(cluster_id__in=clusters, kind=BIB).values_list("id", flat=True)
            )
        members, keys = connected(seeds, extra_keys, known_keys, holders, crowding)
        done |= members
        units.append((members, keys))
    return units, crowding.crowded


def assign(
    record_ids: Iterable[int],
    known_data: dict[int, dict[str, Any]] | None = None,
    descriptions_only: bool = False,
) -> set[int]:
    """See ``catalog.clustering.assign_clusters``. A run holds about 5 KB a record (keys, their
    holders, connected sets), so more than ``CLUSTERING_RUN_RECORDS`` records are clustered in
    runs of about that many (``_runs``). ``descriptions_only``: nothing but the records'
    descriptions changed since they were clustered (a harvest, a re-mapping; not a librarian's
    correction), so one whose signature (``partition.signature``) is the one it was decided with
    keeps its cluster, and only that cluster's contents are made again: its connected set, all
    that share a key with it, is not decided again."""
    ids = sorted({int(i) for i in record_ids})
    given = known_data or {}
    with no_cyclic_gc():
        if len(ids) <= settings.CLUSTERING_RUN_RECORDS:
            return _assign(ids, given, descriptions_only=descriptions_only)
        affected: set[int] = set()
        with clustering_lock():
            runs, lost, alone, versions, sets = _runs(ids, given)
            for part, its_sets in zip(runs, sets, strict=True):
                stored_at = {rid: version for rid in part if (version := versions[bisect_left(ids, rid)])}
                affected |= _assign(part, given, lost, alone, stored_at, descriptions_only, its_sets)
        return affected


def _runs(
    ids: list[int], given_data: dict[int, dict[str, Any]]
) -> tuple[list[list[int]], dict[int, set[str]], bool, "array[int]", list[list[list[int]]]]:
    """More records than a run holds: every record's keys are stored first, a run's worth at a
    time, and the records are then cut into runs of whole connected sets (a dated key taken as
    linked to its undated block whether or not a record holds that), so that no run reaches into
    another's records and decides them again. In id order, a title held by many libraries would
    be decided again in each run (a county of five million: 2.6 times a record).

    Returns (the runs, the keys each record lost, alone: the key table holds these records' keys
    only and none was in a cluster, so each run's sets are its own keys' components, the row
    version each record's keys were stored of, in the order of ``ids``: 0 if not known, and each
    run's connected sets). A record still at that version when its run comes has its keys taken
    as stored, not derived from its data again (derived twice, they were a quarter of a profiled
    clustering of 100,000 records in runs of 25,000)."""
    joined = Joined()
    lost: dict[int, set[str]] = {}
    versions = array("q")
    stored, clustered = 0, False
    # A first load's keys: the key index is built once they are all stored, not for each run's.
    with key_index_built_after(len(ids), BULK_RUN):
        for part in chunked(ids, settings.CLUSTERING_RUN_RECORDS):
            keyed = _Run.of(part, given_data, keys_only=True).store_all(part)
            lost.update(keyed.removed)
            stored += keyed.stored
            clustered = clustered or bool(keyed.old_clusters)
            versions.extend(keyed.versions.get(record_id, 0) for record_id in part)
            for record_id in part:
                keys = keyed.keys.get(record_id, [])
                links: list[object] = [hash(key) for key in keys]
                links += [
                    hash(block)
                    for key in keys
                    if UNDATED_MARK in key and (block := linked_keys(key)[0]) is not None
                ]
                if record_id in keyed.old_clusters:
                    links.append(("cluster", keyed.old_clusters[record_id]))
                joined.add(record_id, links)
    sets: dict[int, list[int]] = {}
    for record_id in ids:
        sets.setdefault(joined.set_of(record_id), []).append(record_id)
    runs: list[list[list[int]]] = [[]]
    size = 0
    for members in sets.values():
        if size and size + len(members) > settings.CLUSTERING_RUN_RECORDS:
            runs.append([])
            size = 0
        runs[-1].append(members)
        size += len(members)
    refresh_statistics()
    alone = not (lost or clustered) and only_keys_stored(stored)
    return [sorted(chain.from_iterable(run)) for run in runs], lost, alone, versions, runs


def _assign(
    ids: list[int],
    given_data: dict[int, dict[str, Any]],
    lost: dict[int, set[str]] | None = None,
    alone: bool = False,
    stored_at: dict[int, int] | None = None,
    descriptions_only: bool = False,
    sets: list[list[int]] | None = None,
) -> set[int]:
    """One run. ``lost``: keys records lost when their keys were stored before the run
    (``_runs``); ``alone``: the key table holds only the keys of the runs' records, and none
    reaches into another run; ``stored_at``: the row versions ``_runs`` stored the keys of;
    ``sets``: the connected sets ``_runs`` found the run's records in."""
    affected: set[int] = set()
    run = _Run.of(ids, given_data, descriptions_only=descriptions_only)
    run.stored_at = stored_at or {}
    with clustering_lock():
        # A run of a first load in runs whose records nothing wrote since ``_runs`` stored their
        # keys has no keys to store: it reads them back, in the order they were stored (its own
        # first pass read them with the records' rows only to find them as stored; without it,
        # 200,000 records in runs of 50,000 took 12 % less CPU and 7 % less time).
        if alone and sets is not None and run.as_stored(ids):
            keys = stored_keys(ids)
            run.with_works = True
            units = [(set(members), {rid: keys[rid] for rid in members}) for members in sets]
            affected |= in_processes(units, run.decide, dict)
        else:
            affected |= _store_and_decide(run, ids, lost, alone, sets)
        if run.has_children:
            with transaction.atomic():
                affected |= follow_parents(holdings_rows(ids))
    return affected


def _store_and_decide(
    run: _Run, ids: list[int], lost: dict[int, set[str]] | None, alone: bool, sets: list[list[int]] | None
) -> set[int]:
    """A run's two passes: store its records' keys, then decide their connected sets."""
    affected: set[int] = set()
    keyed = run.store_all(ids)
    if lost:
        for record_id in ids:
            if record_id in lost:
                keyed.removed.setdefault(record_id, set()).update(lost[record_id])
    # ``_runs`` analyzed the tables once it had stored every key: a run of it that rewrote
    # none has nothing new for the statistics (at five million records, an ANALYZE a run).
    if len(ids) >= BULK_RUN and (lost is None or keyed.rewritten):
        refresh_statistics()
    # A record changed since ``_runs`` stored its keys may now share one with another run.
    seeds = [rid for rid in ids if rid not in keyed.restyled] if keyed.restyled else ids
    units, run.crowded = _connected_sets(seeds, keyed, alone and not keyed.rewritten, sets)
    # No record it decides was in a cluster (a first load): its new titles are written once,
    # with their works (``assign_works`` wrote each again: after five million records, half
    # the row versions in the titles' table were dead).
    run.with_works = not keyed.old_clusters and all(
        rid in run.changed for members, _keys in units for rid in members
    )
    affected |= in_processes(
        units, run.decide, lambda: _clusters_before(units, run.changed, keyed.old_clusters)
    )
    if keyed.restyled:  # those another record's connected set did not take in
        decided = {rid for members, _keys in units for rid in members}
        kept = {keyed.old_clusters[rid] for rid in keyed.restyled if rid not in decided}
        affected |= run.restyle(kept)
    return affected
