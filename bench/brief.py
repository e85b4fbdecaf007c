"""The printed brief: time and size of the country's and each oblast's, in each language (goal: the country
brief in ≤ 2 s and ≤ 1 MB).

    python -m bench.brief              # 5 runs of each
    python -m bench.brief --runs 9

Timed in one warm process, as the app builds it: the records, programme and oblast layer already loaded (the
dashboard has them in memory); the first build, which also reads and parses the font, is reported apart.
"""

from __future__ import annotations

import argparse
import statistics
import time

COUNTRY_GOAL_SECONDS, COUNTRY_GOAL_BYTES = 2.0, 1_000_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    from geodata.layers import read_oblasts
    from initiatives import load_records
    from initiatives.brief import brief_pdf, data_version
    from initiatives.programme import load_programme
    from initiatives.query import Filters, apply_filters

    records, programme, oblasts = load_records(), load_programme(), read_oblasts()
    version = data_version(records.table, records.outputs)

    def build(filters: Filters, lang: str) -> tuple[float, int]:
        rows = apply_filters(records.table, filters)
        start = time.perf_counter()
        size = len(brief_pdf(rows, records.outputs, programme, oblasts, filters, lang, version))
        return time.perf_counter() - start, size

    first, _ = build(Filters(), "ky")
    print(f"first build (font read and parsed): {first:.2f} s")
    views = [("country", Filters())] + [(code, Filters(oblasts=(code,))) for code in sorted(records.table
                                                                                         ["oblast_code"].unique())]
    worst = 0.0
    for name, filters in views:
        for lang in ("ky", "ru", "en"):
            runs = [build(filters, lang) for _ in range(args.runs)]
            seconds = statistics.median(s for s, _ in runs)
            size = runs[0][1]
            mark = ""
            if name == "country":
                worst = max(worst, seconds)
                ok = seconds <= COUNTRY_GOAL_SECONDS and size <= COUNTRY_GOAL_BYTES
                mark = "  (goal ≤ 2 s, ≤ 1 MB: " + ("met" if ok else "NOT met") + ")"
            print(f"{name:8} {lang}: median {seconds * 1000:.0f} ms of {args.runs}, "
                  f"{size / 1024:.0f} KB{mark}")
    return 0 if worst <= COUNTRY_GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
