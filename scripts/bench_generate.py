"""Benchmark the sample county generator: records/second, file sizes, peak memory.

    .venv/bin/python scripts/bench_generate.py [--records 100000] [--seed 1] [--out DIR] [--workers W]

Without --out the files go to a temporary folder that is removed afterwards. Reports wall-clock
and CPU rates (the machine is shared; CPU rate is the one to compare) and the load average.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sample import generate_county


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="samsok-bench-") as scratch:
        out = args.out or Path(scratch)
        load_before = os.getloadavg()
        cpu, wall = time.process_time(), time.perf_counter()
        summary = generate_county(out, args.records, args.seed, workers=args.workers)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        total = sum(summary.files.values())
        titles = f"{summary.manifestations:,} titles, {summary.works:,} works"
        print(f"records         {summary.records:,} ({titles})")
        print(f"shared titles   {summary.multi_held_share:.1%} held by several libraries")
        print(f"wall            {wall:.1f} s  {summary.records / wall:,.0f} records/s")
        print(
            f"cpu (main)      {cpu:.1f} s  {summary.records / cpu:,.0f} records/s  ({args.workers} worker(s))"
        )
        print(f"files           {total / 1e6:,.1f} MB in {len(summary.files)} files")
        for name, size in summary.files.items():
            print(f"  {name:<20} {size / 1e6:9.1f} MB")
        print(f"peak RSS        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        print(f"load average    {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after (2 cores shared)")


if __name__ == "__main__":
    main()
