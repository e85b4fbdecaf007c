"""Paired A/B: one page of two (or more) source trees, opened in turn in every round, against the limit.

    git worktree add /tmp/before HEAD~3
    python -m bench.ab /tmp/before .                                # the landing page, 9 rounds
    python -m bench.ab /tmp/before . --path "/?present=1" --viewport 1920x1080 --runs 11
    python -m bench.ab /tmp/before . --whole                        # until the whole page is drawn
    python -m bench.ab /tmp/before . --themes                       # Themes, against the one-line Plotly page
    python -m bench.ab /tmp/before . --path "/?present=1" --phone --painted   # a phone, the preview counts

This machine's drift between runs (±0.2× of the limit) is larger than most single changes, so a change is
judged here, not by two runs of bench.run: each round opens the one-line page, the static map and every tree's
page in turn, each in a fresh browser context, and the trees are compared round by round (the median of the
paired differences, and in how many rounds the later tree was faster). Each tree is served from its own
folder (its code, its .streamlit/config.toml); a developer's own local-layers/ stays out, as on CI.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import (
    PHONE_REFERENCES,
    THEMES_CHARTS,
    Open,
    charts_drawn,
    expected_paths,
    limit_references,
    map_painted,
    oblast_in,
    one_plotly_reference,
    opened_in_turn,
    paths_drawn,
    whole_map_page,
)
from geodata.layers import GEODATA_DIR
from tests.e2e.conftest import Server, start_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+", type=Path, help="source trees (a checkout, a git worktree)")
    parser.add_argument("--path", default="/", help="the map page's URL path and query (the map must be drawn)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--viewport", default="1400x1000")
    parser.add_argument("--whole", action="store_true",
                        help="time until the whole map page is drawn (picker, bars, sidebar), not the map alone")
    parser.add_argument("--themes", action="store_true",
                        help="the Themes page until every chart is drawn, against the one-line Plotly page")
    parser.add_argument("--phone", action="store_true",
                        help="on a phone (390x844, touch, 4x CPU), against the limit measured on the same phone")
    parser.add_argument("--painted", action="store_true",
                        help="until the map is painted in the page or any frame (the preview's or the live one's)")
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.viewport.split("x"))
    oblast = oblast_in(args.path)
    paths = expected_paths(None, None, GEODATA_DIR if oblast else None, oblast)  # with the drilled raions
    servers = []
    with tempfile.TemporaryDirectory() as scratch_dir, sync_playwright() as playwright:
        scratch = Path(scratch_dir)
        try:

            def started(**kwargs) -> Server:
                servers.append(start_server(scratch, **kwargs))
                return servers[-1]

            if args.themes:
                opens = [one_plotly_reference(scratch, started)]
            else:  # on a phone, only the phone's references make its limit
                opens = limit_references(scratch, started, phone=args.phone)[2 if args.phone else 0:]
            for tree in args.trees:
                tree = tree.resolve()
                server = started(script=tree / "dashboard.py", cwd=tree)
                if args.themes:
                    ready, path = charts_drawn(THEMES_CHARTS), "/themes"
                else:
                    ready = (whole_map_page(paths) if args.whole else map_painted(paths) if args.painted
                             else paths_drawn(paths))
                    path = args.path
                opens.append(Open(str(tree), server.url + path, ready, (width, height), phone=args.phone))
            opened_in_turn(playwright, opens, args.runs)
        finally:
            for server in servers:
                server.stop()
    medians = {page.name: statistics.median(page.samples) for page in opens}
    trees = opens[-len(args.trees):]
    if args.themes:
        limit, held_to = medians["one-line Plotly page"], "the one-line Plotly page"
        print(f"/themes, {args.runs} rounds; {held_to} {limit * 1000:,.0f} ms")
    else:
        one_line, static = (PHONE_REFERENCES if args.phone else ("one-line page", "static map (file://)"))
        limit, held_to = medians[one_line] + medians[static], "the phone limit" if args.phone else "the limit"
        print(f"{args.path}, {args.runs} rounds; {held_to} {limit * 1000:,.0f} ms (one-line page "
              f"{medians[one_line] * 1000:,.0f} + static map {medians[static] * 1000:,.0f})")
    first = trees[0]
    for page in trees:
        line = f"{page.name}: {medians[page.name] * 1000:,.0f} ms, {medians[page.name] / limit:.2f}× {held_to}"
        if page is not first:
            diffs = [b - a for a, b in zip(first.samples, page.samples, strict=True)]
            line += (f"; against the first tree {statistics.median(diffs) * 1000:+,.0f} ms (median of paired rounds), "
                     f"faster in {sum(d < 0 for d in diffs)} of {len(diffs)}")
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
