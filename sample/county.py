"""Generate a whole sample county: one export file per library, libraries.json, ground_truth.tsv.

Streaming: manifestations are drawn one at a time and each holding library's record is written
at once, so memory stays flat from 2,000 to 1,000,000 records. Deterministic: the same records,
seed and reference date give byte-identical files, whatever the number of worker processes —
each library has its own random stream, and every worker replays the same (cheap) stream of
manifestations, cataloguing only its own libraries. Files are written under temporary names and
renamed at the end; ``generation.json`` (written last) says a generation completed.
"""

import json
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from random import Random

from sample.cataloguing import Cataloguer, first_local_id
from sample.libraries import LIBRARIES, SampleLibrary
from sample.marcfile import MarcFileWriter
from sample.popularity import Popularity
from sample.works import Manifestation, WorkGenerator

GENERATOR_VERSION = 6
DEFAULT_AS_OF = date(2026, 11, 20)
MANIFEST = "generation.json"
GROUND_TRUTH = "ground_truth.tsv"
LIBRARIES_FILE = "libraries.json"
GROUND_TRUTH_HEADER = "library\tlocal_id\tmanifestation\twork\tformat\n"


@dataclass
class CountySummary:
    records: int
    seed: int
    as_of: str
    generator_version: int = GENERATOR_VERSION
    works: int = 0
    manifestations: int = 0
    multi_held_manifestations: int = 0
    seconds: float = 0.0
    workers: int = 1
    records_per_library: dict[str, int] = field(default_factory=dict)
    records_per_format: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)  # file name → bytes

    @property
    def multi_held_share(self) -> float:
        return self.multi_held_manifestations / self.manifestations if self.manifestations else 0.0

    @property
    def records_per_second(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "multi_held_share": round(self.multi_held_share, 4)}


@dataclass(frozen=True)
class CountyPlan:
    """What to generate; everything a worker process needs to replay the same county."""

    out_dir: Path
    records: int
    seed: int
    as_of: date
    libraries: tuple[SampleLibrary, ...]


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    """The summary of the last completed generation in out_dir, or None."""
    try:
        found = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def holdings_stream(plan: CountyPlan) -> Iterator[tuple[Manifestation, tuple[str, ...]]]:
    """Every manifestation with the libraries whose records are written, until N records."""
    libraries = plan.libraries
    popularity = Popularity(Random(f"{plan.seed}:holders"), [(lib.code, lib.size) for lib in libraries])
    works = WorkGenerator(Random(f"{plan.seed}:works"), plan.as_of.year, popularity)
    written = 0
    for manifestation in works.manifestations():
        holders = manifestation.holders[: plan.records - written]
        written += len(holders)
        yield manifestation, holders
        if written >= plan.records:
            return


class GroundTruthWriter:
    """ground_truth.tsv from the stream alone: local ids are each library's running numbers."""

    def __init__(self, plan: CountyPlan, summary: CountySummary) -> None:
        self.summary = summary
        self.next_id = {lib.code: first_local_id(i) for i, lib in enumerate(plan.libraries)}
        self.prefix = {lib.code: lib.id_prefix for lib in plan.libraries}
        self.per_format: Counter[str] = Counter()
        self.file = _partial(plan.out_dir / GROUND_TRUTH).open("w", encoding="utf-8", buffering=1 << 20)
        self.file.write(GROUND_TRUTH_HEADER)

    def add(self, m: Manifestation, holders: tuple[str, ...]) -> None:
        for code in holders:
            self.file.write(
                f"{code}\t{self.prefix[code]}{self.next_id[code]}\t{m.id}\t{m.work.id}\t{m.format}\n"
            )
            self.next_id[code] += 1
        self.per_format[m.format] += len(holders)
        self.summary.manifestations += 1
        self.summary.multi_held_manifestations += len(holders) > 1
        self.summary.works = int(m.work.id[1:]) + 1

    def close(self) -> None:
        self.file.close()
        self.summary.records_per_format = dict(sorted(self.per_format.items()))


def write_library_files(
    plan: CountyPlan, codes: tuple[str, ...], summary: CountySummary | None = None
) -> dict[str, int]:
    """Catalogue and write the files of the given libraries; returns records per library.

    With a summary, the ground truth is written in the same pass (the one-process case).
    """
    chosen = [(i, lib) for i, lib in enumerate(plan.libraries) if lib.code in codes]
    cataloguers = {
        lib.code: Cataloguer(lib, Random(f"{plan.seed}:cataloguing:{lib.code}"), plan.as_of, i)
        for i, lib in chosen
    }
    writers = {
        lib.code: MarcFileWriter(_partial(plan.out_dir / lib.filename), lib.file_format) for _, lib in chosen
    }
    truth = GroundTruthWriter(plan, summary) if summary is not None else None
    for manifestation, holders in holdings_stream(plan):
        for code in holders:
            if code in writers:
                _, leader, fields = cataloguers[code].record(manifestation)
                writers[code].write(leader, fields)
        if truth is not None:
            truth.add(manifestation, holders)
    for writer in writers.values():
        writer.close()
    if truth is not None:
        truth.close()
    return {code: writer.count for code, writer in writers.items()}


def write_ground_truth(plan: CountyPlan, summary: CountySummary) -> None:
    truth = GroundTruthWriter(plan, summary)
    for manifestation, holders in holdings_stream(plan):
        truth.add(manifestation, holders)
    truth.close()


def _balanced_groups(libraries: tuple[SampleLibrary, ...], workers: int) -> list[tuple[str, ...]]:
    groups: list[list[str]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for library in sorted(libraries, key=lambda lib: -lib.size):
        lightest = loads.index(min(loads))
        groups[lightest].append(library.code)
        loads[lightest] += library.size
    return [tuple(group) for group in groups if group]


def generate_county(
    out_dir: Path,
    records: int,
    seed: int = 1,
    as_of: date = DEFAULT_AS_OF,
    libraries: tuple[SampleLibrary, ...] = LIBRARIES,
    workers: int = 1,
) -> CountySummary:
    """Write the county's files into out_dir and return what was written.

    ``workers`` > 1 catalogues the libraries in that many processes (same bytes, less time on
    an idle multi-core machine).
    """
    if records < 1:
        raise ValueError("records must be at least 1")
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MANIFEST).unlink(missing_ok=True)
    plan = CountyPlan(out_dir, records, seed, as_of, libraries)
    summary = CountySummary(records=records, seed=seed, as_of=as_of.isoformat(), workers=max(1, workers))
    if workers <= 1:
        counts = write_library_files(plan, tuple(lib.code for lib in libraries), summary)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            jobs = [
                pool.submit(write_library_files, plan, group)
                for group in _balanced_groups(libraries, workers)
            ]
            write_ground_truth(plan, summary)
            counts = {code: count for job in jobs for code, count in job.result().items()}
    summary.records_per_library = {lib.code: counts.get(lib.code, 0) for lib in libraries}
    _write_libraries(out_dir, libraries)
    for name in [lib.filename for lib in libraries] + [GROUND_TRUTH]:
        _partial(out_dir / name).replace(out_dir / name)
        summary.files[name] = (out_dir / name).stat().st_size
    summary.seconds = round(time.perf_counter() - started, 3)
    (out_dir / MANIFEST).write_text(
        json.dumps(summary.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return summary


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def _write_libraries(out_dir: Path, libraries: tuple[SampleLibrary, ...]) -> None:
    payload = [library.as_json() for library in libraries]
    (out_dir / LIBRARIES_FILE).write_text(
        json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
