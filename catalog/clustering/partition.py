"""Deciding clusters for one connected set of records: pure Python, no database.

Records are visited in a canonical order (source id, local id), never in arrival order, so
the same records always give the same clusters. Each record joins the first existing cluster
it shares a key with (strongest key first) that it does not conflict with, and clusters it
links that agree with each other are merged. Conflicts: different formats; both sides have
LIBRIS ids and none in common; otherwise, both sides have ISBNs (or EANs) and none in common.
A title/author/year key shared by differently identified manifestations is ambiguous: it
only joins records that have no identifiers at all. Vetoes (``similarity``) always win: carriers
that differ keep apart even records sharing an identifier; merges without a shared identifier
(title keys, publisher numbers) also respect the others (publisher, edition, parts, year, …).

Then the fuzzy stage: records sharing a blocking key (``fuzzy:``, ``keys.block_keys``) but still
in different clusters are compared pair by pair (``similarity.similar``), each pair once; the
most similar pairs are joined first, a cluster joining another only when no member of one vetoes
a member of the other and their identifiers agree. A record without identifiers similar to two
differently identified clusters joins neither, nor does one identified otherwise (a LIBRIS id
only, the two known by ISBNs). A block with more pairs to compare than a block of
``BLOCK_LIMIT`` records has (``MAX_PAIRS``, split records counted too) is not compared at all
(its records keep the exact stage's clusters): the cost stays linear, and a block that large is a
common title ("Dikter") where a guess is more likely wrong than right. Nor is the block of a key
the caller says is crowded (``crowded``: held by more than ``BLOCK_LIMIT`` records in the whole
catalogue, of which the connected set may hold only some; see ``holders.Crowding``).
Librarians' overrides come last: split records stay alone, merged pairs are joined.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from hashlib import blake2b
from typing import Any

import orjson

from catalog.clustering.keys import split_key, undated_block
from catalog.clustering.similarity import (
    COMPARED_FIELDS,
    Profile,
    carriers_differ,
    fuzzy_reason,
    similar,
    veto,
)

REASONS = {
    "libris": "same LIBRIS id {value}",
    "isbn": "same ISBN {value}",
    "ean": "same EAN {value}",
    "pubno": "same publisher number {value}",
    "title": "same title/author/year",
}
BLOCK_LIMIT = 40
MAX_PAIRS = BLOCK_LIMIT * (BLOCK_LIMIT - 1) // 2
_STRONG = ("libris", "isbn", "ean")
SPLIT_REASON = "split out by a librarian"
MERGE_REASON = "merged by a librarian"


def signature(keys: list[str], data: dict[str, Any]) -> int:
    """What the partition reads of one record's own, as a number: its match keys and the compared
    fields of its description. A connected set none of whose records' signatures changed is
    decided as it was: a record changed in nothing else (a note added) need not be decided again.
    Librarians' merge keys are left out: a correction has its records decided again anyway."""
    keys = sorted({key for key in keys if not key.startswith("merge:")})
    compared = [data.get(name) for name in COMPARED_FIELDS]
    digest = blake2b(orjson.dumps([keys, compared], option=orjson.OPT_SORT_KEYS), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass
class Candidate:
    """One bibliographic record as the partition sees it."""

    id: int
    order: tuple[int, str]
    keys: list[str]
    split: bool = False
    data: dict[str, Any] = field(default_factory=dict, repr=False)
    format: str = field(init=False, default="")
    carrier: str = field(init=False, default="")  # "medium/encoding", "" when nothing is said
    # The keys that can join clusters by themselves (not blocking or librarians' merge keys), in
    # order; the title keys; the blocking keys.
    automatic: list[str] = field(init=False, default_factory=list)
    title_keys: list[str] = field(init=False, default_factory=list)
    block_keys: list[str] = field(init=False, default_factory=list)
    _identifiers: dict[str, set[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        carrier = str(self.data.get("carrier") or "")
        self.carrier = "" if carrier == "/" else carrier
        for key in self.keys:
            kind, fmt, value = split_key(key)
            self.format = self.format or fmt
            if kind == "fuzzy":
                self.block_keys.append(key)
                continue
            if kind != "merge":
                self.automatic.append(key)
            if kind == "title":
                self.title_keys.append(key)
            else:
                self._identifiers.setdefault(kind, set()).add(value)

    def identifiers(self, kind: str) -> set[str]:
        return self._identifiers.get(kind, set())

    @cached_property
    def profile(self) -> Profile:
        return Profile(self.data)


@dataclass(eq=False)
class Group:
    """A cluster in the making."""

    members: list[Candidate]
    reasons: dict[int, str] = field(default_factory=dict)
    libris: set[str] = field(default_factory=set)
    isbns: set[str] = field(default_factory=set)
    eans: set[str] = field(default_factory=set)
    pubnos: set[str] = field(default_factory=set)
    format: str = ""
    merged_into: "Group | None" = None
    locked: bool = False

    @classmethod
    def founded_by(cls, candidate: Candidate) -> "Group":
        group = cls(members=[], format=candidate.format)
        group.take(candidate, "")
        return group

    def take(self, candidate: Candidate, reason: str) -> None:
        self.members.append(candidate)
        self.reasons[candidate.id] = reason
        self.libris |= candidate.identifiers("libris")
        self.isbns |= candidate.identifiers("isbn")
        self.eans |= candidate.identifiers("ean")
        self.pubnos |= candidate.identifiers("pubno")

    def absorb(self, other: "Group", reason: str) -> None:
        for member in other.members:
            self.members.append(member)
            self.reasons[member.id] = other.reasons[member.id] or reason
        self.libris |= other.libris
        self.isbns |= other.isbns
        self.eans |= other.eans
        self.pubnos |= other.pubnos
        other.members, other.merged_into = [], self

    def resolved(self) -> "Group":
        group = self
        while group.merged_into is not None:
            group = group.merged_into
        return group


def _disjoint(mine: set[str], theirs: set[str]) -> bool:
    return bool(mine) and bool(theirs) and not (mine & theirs)


def compatible(
    group: Group, libris: set[str], isbns: set[str], eans: set[str], fmt: str, pubnos: set[str] | None = None
) -> bool:
    """May these identifiers join the group without contradicting it?"""
    if group.locked or group.format != fmt:
        return False
    if group.libris and libris:
        return bool(group.libris & libris)
    return not (
        _disjoint(group.isbns, isbns)
        or _disjoint(group.eans, eans)
        or _disjoint(group.pubnos, pubnos or set())
    )


def _fits(group: Group, other: Group) -> bool:
    return (
        compatible(group, other.libris, other.isbns, other.eans, other.format, other.pubnos)
        and not other.locked
    )


def _vetoed(members: list[Candidate], others: list[Candidate], strong: bool) -> bool:
    """Does a member of one side veto one of the other? Through a shared identifier (strong)
    only the carrier can."""
    if not strong:
        return any(veto(a.profile, b.profile) for a in members for b in others)
    mine = {c.carrier for c in members if c.carrier}
    theirs = {c.carrier for c in others if c.carrier} if mine else set()
    return any(carriers_differ(a, b) for a in mine for b in theirs)


def _reason(key: str) -> str:
    kind, _, value = split_key(key)
    return REASONS[kind].format(value=value)


def ambiguous_title_keys(candidates: list[Candidate]) -> set[str]:
    """Title keys shared by records of several different identified manifestations (e.g. two
    printings with their own ISBNs): a record known only by such a key cannot say which one
    it is, so it is not merged into either."""
    holders: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        for key in candidate.title_keys:
            holders.setdefault(key, []).append(candidate)
    return {key for key, found in holders.items() if len(found) > 1 and _identified_groups(found) > 1}


def _identified_groups(candidates: list[Candidate]) -> int:
    """How many groups the identified candidates form when shared identifiers connect them."""
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent.setdefault(item, item) != item:
            item = parent[item]
        return item

    roots = []
    for candidate in candidates:
        identifiers = [k for k in candidate.keys if k.split(":", 1)[0] in ("libris", "isbn", "ean")]
        for other in identifiers[1:]:
            parent[root(other)] = root(identifiers[0])
        if identifiers:
            roots.append(identifiers[0])
    return len({root(item) for item in roots})


def _identified(group: Group) -> bool:
    return bool(group.libris or group.isbns or group.eans)


def _place(
    candidate: Candidate, index: dict[str, list[Group]], groups: list[Group], ambiguous: set[str]
) -> None:
    ids = (candidate.identifiers("libris"), candidate.identifiers("isbn"), candidate.identifiers("ean"))
    joined: Group | None = None
    for key in candidate.automatic:
        strong = key.partition(":")[0] in _STRONG
        for found in index.get(key, []):
            group = found.resolved()
            if group is joined:
                continue
            if key in ambiguous and (any(ids) or _identified(group) or (joined and _identified(joined))):
                continue
            if _vetoed(joined.members if joined else [candidate], group.members, strong):
                continue
            if joined is None and compatible(group, *ids, candidate.format, candidate.identifiers("pubno")):
                joined = group
                joined.take(candidate, _reason(key))
                if not joined.reasons[joined.members[0].id]:
                    joined.reasons[joined.members[0].id] = _reason(key)
            elif joined is not None and _fits(joined, group):
                joined.absorb(group, _reason(key))
    if joined is None:
        joined = Group.founded_by(candidate)
        groups.append(joined)
    for key in candidate.automatic:
        index.setdefault(key, []).append(joined)


def _apply_merges(candidates: list[Candidate], groups: list[Group]) -> None:
    """Join the clusters of each librarian-merged pair, oldest override first."""
    by_override: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        for merge in candidate.identifiers("merge"):
            by_override.setdefault(int(merge), []).append(candidate)
    if not by_override:
        return
    group_of = {m.id: g for g in groups for m in g.members}
    for override_id in sorted(by_override):
        pair = by_override[override_id]
        if len(pair) < 2 or any(c.split for c in pair):
            continue
        first, second = (group_of[c.id].resolved() for c in pair[:2])
        if first is not second:
            first.absorb(second, MERGE_REASON)
        for candidate in pair[:2]:
            first.reasons[candidate.id] = MERGE_REASON


def _block_pairs(key: str, block: list[Candidate]) -> list[tuple[Candidate, Candidate]]:
    """The pairs of one block to compare, or none when there would be more than a block of
    ``BLOCK_LIMIT`` records has: in the undated block only pairs where one side has no year.
    Split records count (so the limit means the same as the holders of a key in the catalogue)
    but are never compared."""
    if undated_block(key) == key:
        undated = [c for c in block if not c.data.get("year")]
        if not undated:
            return []
        pairs = [
            (a, b) for a in undated for b in block if b is not a and (b.data.get("year") or a.order < b.order)
        ]
    else:
        pairs = [(a, b) for i, a in enumerate(block) for b in block[i + 1 :]]
    if len(pairs) > MAX_PAIRS:
        return []
    return [(a, b) for a, b in pairs if not (a.split or b.split)]


def _fuzzy_edges(
    ordered: list[Candidate], group_of: dict[int, Group], crowded: Collection[str]
) -> list[tuple[float, Candidate, Candidate]]:
    """(similarity, a, b) for every similar pair of a block in different clusters, best first."""
    blocks: dict[str, list[Candidate]] = {}
    for candidate in ordered:
        for key in candidate.block_keys:
            if key not in crowded:
                blocks.setdefault(undated_block(key) or key, []).append(candidate)
    edges = []
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks):
        block = blocks[key]
        if len(block) < 2 or len({id(group_of[c.id]) for c in block}) < 2:
            continue
        for a, b in _block_pairs(key, block):
            if a.order > b.order:
                a, b = b, a
            if group_of[a.id] is group_of[b.id] or (a.id, b.id) in seen:
                continue
            seen.add((a.id, b.id))
            score = similar(a.profile, b.profile)
            if score is not None:
                edges.append((score, a, b))
    return sorted(edges, key=lambda e: (-e[0], e[1].order, e[2].order))


def _without_ambiguous(
    edges: list[tuple[float, Candidate, Candidate]], group_of: dict[int, Group]
) -> list[tuple[float, Candidate, Candidate]]:
    """Drop the edges of a cluster that resembles several clusters identified apart, each of which
    it could join: an unidentified one, or one identified otherwise (a LIBRIS id only, resembling
    two printings known by their ISBNs) cannot say which of them it is."""
    reached: dict[int, list[Group]] = {}
    for _score, a, b in edges:
        for mine, theirs in ((group_of[a.id], group_of[b.id]), (group_of[b.id], group_of[a.id])):
            if (
                _identified(theirs)
                and (not _identified(mine) or _fits(mine, theirs))
                and theirs not in reached.setdefault(id(mine), [])
            ):
                reached[id(mine)].append(theirs)
    torn = {
        key
        for key, found in reached.items()
        if any(not _fits(x, y) for i, x in enumerate(found) for y in found[i + 1 :])
    }
    return [e for e in edges if id(group_of[e[1].id]) not in torn and id(group_of[e[2].id]) not in torn]


def _fuzzy_merge(ordered: list[Candidate], groups: list[Group], crowded: Collection[str]) -> None:
    """Join clusters of records alike by description (see the module docstring)."""
    group_of = {m.id: g for g in groups if g.merged_into is None for m in g.members}
    edges = _without_ambiguous(_fuzzy_edges(ordered, group_of, crowded), group_of)
    for score, a, b in edges:
        first, second = group_of[a.id].resolved(), group_of[b.id].resolved()
        if first is second or first.locked or not _fits(first, second):
            continue
        if _vetoed(first.members, second.members, strong=False):
            continue
        if second.members[0].order < first.members[0].order:
            first, second = second, first
        reason = fuzzy_reason(score, b.profile)
        if not first.reasons[first.members[0].id]:
            first.reasons[first.members[0].id] = reason
        first.absorb(second, reason)


def partition(
    candidates: list[Candidate], crowded: Collection[str] = frozenset()
) -> list[list[tuple[Candidate, str]]]:
    """Clusters as lists of (record, merge reason), each in canonical order, clusters ordered
    by their first member. ``crowded``: blocking keys whose blocks are not compared."""
    ordered = sorted(candidates, key=lambda c: c.order)
    ambiguous = ambiguous_title_keys(ordered)
    index: dict[str, list[Group]] = {}
    groups: list[Group] = []
    for candidate in ordered:
        if candidate.split:
            alone = Group.founded_by(candidate)
            alone.locked, alone.reasons[candidate.id] = True, SPLIT_REASON
            groups.append(alone)
        else:
            _place(candidate, index, groups, ambiguous)
    _fuzzy_merge(ordered, groups, crowded)
    _apply_merges(ordered, groups)
    result = []
    for group in groups:
        if group.merged_into is None and group.members:
            members = sorted(group.members, key=lambda c: c.order)
            single = len(members) == 1 and not group.locked
            result.append([(m, "" if single else group.reasons[m.id]) for m in members])
    return sorted(result, key=lambda members: members[0][0].order)
