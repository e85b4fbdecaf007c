"""The Excel download at scale: time and peak memory of building it for N filtered rows.

    python -m bench.excel                 # 100,000 synthetic rows, 3 runs, each in a fresh process
    python -m bench.excel --rows 20000 --runs 5

Each run is a new Python process (peak memory is per process): it loads the synthetic records, then times
ui.downloads.excel_bytes on all of them, and reports the process's peak resident memory before and after.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = 2000


def one_run(records: Path) -> dict[str, float]:
    from initiatives import load_records
    from ui.downloads import excel_bytes

    table = load_records(records).table
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    size = len(excel_bytes(table, "ru"))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": len(table), "seconds": seconds, "peak_mib": peak, "before_mib": before, "bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # a single run in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_run(args.one)))
        return 0
    from bench import synth

    with tempfile.TemporaryDirectory() as scratch:
        records = synth.write(Path(scratch) / "records", args.rows, PLACES)
        runs = [json.loads(subprocess.run([sys.executable, "-m", "bench.excel", "--one", str(records)],
                                          check=True, capture_output=True, text=True).stdout.splitlines()[-1])
                for _ in range(args.runs)]
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["peak_mib"] for r in runs)
    each = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(f"Excel of {runs[0]['rows']:,} rows: median {seconds:.1f} s ({each}), peak memory {peak:.0f} MiB "
          f"(records loaded: {max(r['before_mib'] for r in runs):.0f} MiB), file {runs[0]['bytes'] / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
