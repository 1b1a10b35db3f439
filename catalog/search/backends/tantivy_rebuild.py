"""Writing a whole tantivy index generation within a memory budget (``TantivyBackend.rebuild``).

What tantivy-py (0.27) offers a writer: a heap (the memory budget of each of its threads) and a
thread count at creation; then ``add_document``/``add_json``, ``delete_*``, ``commit``,
``rollback``, ``garbage_collect_files`` and ``wait_merging_threads``. No merge of chosen segments
and no choice of merge policy: segments are merged by tantivy's default ``LogMergePolicy`` only.

What tantivy does with them: a thread writes its documents out as a segment when its heap is
full (less a 1 MB margin) and at every commit; about 14 MB of a heap go to the segment's
fixed structures (the term hash table, field writers) before its first title. After each new
segment and each commit, the merge policy merges, in background threads, every group of at least
8 segments of a similar size (one "level": within a factor of about 1.7, ``level_log_size``
0.75; every segment under 10,000 documents counts as 10,000; segments of 10 million documents or
more are left alone) into one, and looks again when a merge ends, so merged segments are merged
in turn. ``wait_merging_threads`` returns when no merge is running and none is due. A heap must be
at least 15,000,000 bytes per thread and below 4,293,967,295 (tantivy's
``MEMORY_BUDGET_NUM_BYTES_MIN``/``_MAX``).

So a rebuild whose titles one heap holds is written in one go, as one segment (searches walk
each segment: one is the fastest to search). One the heap cannot hold is written in 8, 64,
512 … equal parts, each small enough for the heap and committed on its own: tantivy's merges
then fold every eight equal segments into one, and those eight into one, until one segment is
left. Each title is written once more per factor of eight, the disk holds up to about twice the
index meanwhile, and the heap in use is one part's, not the whole index's. The folding is clean
while eight merged parts are a level above a part (parts of at least 2,100 titles: a heap of
at least about 25 MB). Only if a part still overflows the heap (titles bigger than
``TITLE_BYTES``), the count given was far off, or the heap is smaller than that does the index
keep more segments (up to seven a level); it is complete and searchable either way.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil
from typing import Any

import tantivy

from catalog.search.backends.tantivy_schema import to_tantivy

# What a title takes of a writer's heap, with room to spare (about 0.93 KB measured on generated
# titles, from 60,000 to a million in a segment), and what a segment takes before its first title.
TITLE_BYTES = 1_100
SEGMENT_BYTES = 14_000_000
MERGE_FACTOR = 8  # LogMergePolicy's min_num_segments: this many segments of one size become one
MIN_HEAP = 15_000_000  # bytes per writer thread, tantivy's least
MAX_HEAP = 4_293_967_294  # bytes per writer thread, tantivy's most (below u32::MAX less a 1 MB margin)


@dataclass(frozen=True)
class RebuildPlan:
    """How a rebuild writes ``expected`` titles with a heap of ``heap`` bytes: in ``parts`` equal
    parts of ``part_size`` titles (0: one part, whatever comes)."""

    heap: int
    parts: int
    part_size: int

    @property
    def merge_passes(self) -> int:
        """How many times tantivy rewrites each title while merging the parts into one segment."""
        passes, parts = 0, self.parts
        while parts > 1:
            parts //= MERGE_FACTOR
            passes += 1
        return passes


def plan(budget_bytes: int, expected: int | None) -> RebuildPlan:
    """The parts a rebuild of ``expected`` titles is written in (see the module docstring)."""
    heap = min(max(budget_bytes, MIN_HEAP), MAX_HEAP)
    holds = max(1, (heap - SEGMENT_BYTES) // TITLE_BYTES)  # titles one segment of this heap holds
    if not expected or expected <= holds:
        return RebuildPlan(heap, 1, 0)
    parts = MERGE_FACTOR
    while ceil(expected / parts) > holds:
        parts *= MERGE_FACTOR
    return RebuildPlan(heap, parts, ceil(expected / parts))


def write_parts(index: tantivy.Index, documents: Iterable[dict[str, Any]], chosen: RebuildPlan) -> int:
    """Write every document into ``index`` (a new, empty generation) part by part, wait for
    tantivy's merges; returns how many were written. One thread: the documents are made in
    Python anyway, so a second one hardly writes faster (a million generated titles: 56 s with
    one, 53 s with two), and it would split the heap (more segments)."""
    writer = index.writer(heap_size=chosen.heap, num_threads=1)
    written = 0
    for document in documents:
        writer.add_document(to_tantivy(document))
        written += 1
        if chosen.part_size and written % chosen.part_size == 0:
            writer.commit()
    writer.commit()
    writer.wait_merging_threads()
    return written
