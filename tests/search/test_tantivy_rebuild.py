"""A tantivy rebuild within its memory budget (SEARCH_REBUILD_MEMORY_MB): one segment when the
budget holds the catalogue, parts merged into one segment when it does not, never a failure."""

import json
import random
from pathlib import Path
from typing import Any

import pytest
import tantivy

from catalog.search.backends.base import SearchRequest
from catalog.search.backends.tantivy import TantivyBackend
from catalog.search.backends.tantivy_rebuild import MAX_HEAP, MIN_HEAP, plan
from tests.search.corpus import doc
from tests.test_settings_env import settings_in_subprocess

pytestmark = pytest.mark.sqlite
LEAST_MB, MOST_MB = 50, 4000  # SEARCH_REBUILD_MEMORY_MB's bounds in portal/settings.py


def titles(count: int) -> list[dict[str, Any]]:
    """Documents about the size of a county's titles in the writer (about 1.2 KB each)."""
    rng = random.Random(5)
    words = [f"ord{n}" for n in range(20_000)]
    return [
        doc(
            n,
            f"Titel {n} om sjön {rng.choice(words)}",
            (f"Författare{n % 5000}, Anna",),
            year=1950 + n % 75,
            summary=" ".join(rng.choice(words) for _ in range(25)),
            isbns=(f"978{n:010d}",),
        )
        for n in range(1, count + 1)
    ]


def segment_sizes(backend: TantivyBackend) -> list[int]:
    generation = backend.path / (backend.path / "CURRENT").read_text()
    meta = json.loads((generation / "meta.json").read_text())
    return sorted((segment["max_doc"] for segment in meta["segments"]), reverse=True)


def test_a_rebuild_within_its_memory_budget_writes_one_segment(tmp_path: Path) -> None:
    """Every search walks each segment, so a rebuild the budget holds is one segment."""
    documents = titles(5_000)
    backend = TantivyBackend(tmp_path, rebuild_memory_mb=LEAST_MB)
    assert plan(LEAST_MB * 1_000_000, len(documents)).parts == 1
    assert backend.rebuild(documents, expected=len(documents)) == 5_000
    assert segment_sizes(backend) == [5_000]


def test_a_rebuild_bigger_than_its_budget_is_written_in_parts_and_merged_into_one(tmp_path: Path) -> None:
    """At the least budget the settings allow, 40,000 titles overflow one segment (about 29,000
    of these fit). Told how many come, the rebuild writes them in eight parts that tantivy's merge
    policy folds into one segment; not told, it keeps what tantivy wrote whenever the heap was
    full. Either way every title is there and found."""
    documents = titles(40_000)
    planned = TantivyBackend(tmp_path / "planned", rebuild_memory_mb=LEAST_MB)
    unplanned = TantivyBackend(tmp_path / "unplanned", rebuild_memory_mb=LEAST_MB)
    assert plan(LEAST_MB * 1_000_000, 40_000).parts == 8
    assert planned.rebuild(documents, expected=40_000) == unplanned.rebuild(documents) == 40_000
    assert segment_sizes(planned) == [40_000]
    assert len(segment_sizes(unplanned)) > 1
    assert sum(segment_sizes(unplanned)) == 40_000
    for backend in (planned, unplanned):
        assert backend.count() == 40_000
        assert backend.search(SearchRequest(q="sjön", facets=("library",))).total == 40_000
        assert backend.search(SearchRequest(q="titel 39999")).hits[0]["id"] == "39999"
        assert backend.get("1") is not None


def test_plans_grow_by_powers_of_eight_and_keep_parts_within_the_heap() -> None:
    assert plan(2_000_000_000, 1_000_000).parts == 1
    two_million = plan(2_000_000_000, 2_000_000)
    assert (two_million.parts, two_million.part_size, two_million.merge_passes) == (8, 250_000, 1)
    tight = plan(LEAST_MB * 1_000_000, 2_000_000)
    assert (tight.parts, tight.merge_passes) == (64, 2)
    assert tight.part_size * 1_100 + 14_000_000 <= tight.heap
    assert plan(1, None) == plan(1, 0) == plan(MIN_HEAP, None)  # below tantivy's least: its least
    assert plan(10**12, 10).heap == MAX_HEAP


def test_the_settings_bounds_are_heaps_tantivy_accepts_for_one_thread(tmp_path: Path) -> None:
    index = tantivy.Index(tantivy.SchemaBuilder().add_text_field("t").build())
    for megabytes in (LEAST_MB, MOST_MB):
        index.writer(heap_size=megabytes * 1_000_000, num_threads=1).rollback()
    for heap in (MIN_HEAP - 1, MAX_HEAP + 1):
        with pytest.raises(ValueError, match="memory arena"):
            index.writer(heap_size=heap, num_threads=1)
    index.writer(heap_size=MAX_HEAP, num_threads=1).rollback()
    for value, allowed in (("49", False), ("50", True), ("4000", True), ("4001", False)):
        result = settings_in_subprocess(tmp_path, ["SEARCH"], SEARCH_REBUILD_MEMORY_MB=value)
        assert (result.returncode == 0) is allowed, result.stderr
