"""What one Excel upload costs to read: the app's own export, the same with a stray cell at the sheet's last row
(in column A and in XFD), and a zip bomb under the upload cap; each timed and its peak memory traced.

    python -m bench.upload
"""

from __future__ import annotations

import time
import tracemalloc

from initiatives import load_records
from initiatives.problems import RecordsError
from initiatives.upload import MAX_MEMBER_BYTES, read_upload
from tests.unit.test_upload_bounds import many_rows, rewritten, stray_cell
from ui.downloads import excel_bytes


def measure(name: str, data: bytes) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        found = f"{len(read_upload(name, data).initiatives)} rows"
    except RecordsError as err:
        found = "refused: " + err.problems[0].message[:60]
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"| {name} | {len(data) / 1024:.0f} KB | {seconds * 1000:.0f} ms | {peak:.1f} MiB | {found} |")


def main() -> int:
    records = load_records()
    export = excel_bytes(records.table, "ru", records.outputs)
    print("| upload | size | read | peak memory | result |\n|---|---|---|---|---|")
    measure("the app's own export", export)
    measure("+ a stray cell at A1048576", rewritten(export, stray_cell("A")))
    measure("+ a stray cell at XFD1048576", rewritten(export, stray_cell("XFD")))
    measure("a zip bomb (one 16 MB cell)", rewritten(export, many_rows(1, "x" * (MAX_MEMBER_BYTES + 1))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
