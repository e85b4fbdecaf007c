"""The outside measurement of issue 33, by its own method, beside bench.run's (whose method differs in two ways).

    python -m bench.outside             # 5 rounds (about a minute)

Issue 33 states the method beside its figures because the method moves them: each page in a fresh browser
context on a warm server, every request not to 127.0.0.1 blocked; our page timed from `goto` until *a*
`path.leaflet-interactive` is attached anywhere in the page or its frames, the one-line page until its text is
visible, the static map from `file://` until every path is drawn. bench.run waits instead for *every* path and
circle of the view, and blocks nothing. Here the blocking is Chromium's own (its host resolver knows no other
host), not Playwright's routing, which sends every request through this process and slows a page of many
requests more than one of few. Even a listener on requests does that in part (measured: +0.1-0.25 s on our
pages, the references within their spread), so the timed opens are not watched; one more open of each page, untimed,
counts what it asked of another host, so a request that would have left the machine shows in the table.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, Request, sync_playwright

from bench.run import LINK, TIMEOUT_MS, Open, limit_references, machine
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Server, start_server
from ui.preview import ENABLE_ENV

# Chromium resolves no host but the loopback: a request elsewhere fails in the browser, with nothing in between.
BLOCK_ELSEWHERE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
LOCAL_SCHEMES = ("file", "data", "blob", "about")

A_PATH_ANYWHERE = """() => [document, ...[...document.querySelectorAll('iframe')].map(f => {
    try { return f.contentDocument; } catch (e) { return null; } })]
  .some(d => d && d.querySelector('path.leaflet-interactive'))"""


def a_path_attached(page: Page) -> None:
    """The issue's own end point for our map: one leaflet path attached, in the page or any frame."""
    page.wait_for_function(A_PATH_ANYWHERE, timeout=TIMEOUT_MS, polling="raf")


@dataclass
class Probe(Open):
    elsewhere: list[str] = field(default_factory=list)  # requests to any host but 127.0.0.1

    def note(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.hostname != "127.0.0.1":
            self.elsewhere.append(request.url)


def probes(scratch: Path, started: Callable[..., Server]) -> list[Probe]:
    dashboard, without = started(), started(env={ENABLE_ENV: "off"})
    return [*(Probe(o.name, o.url, o.ready) for o in limit_references(scratch, started)),
            Probe("landing", dashboard.url, a_path_attached),
            Probe("?present=1 at 1920×1080", f"{dashboard.url}/?present=1", a_path_attached, (1920, 1080)),
            Probe(f"shared link {LINK}", f"{dashboard.url}/{LINK}", a_path_attached),
            Probe(f"landing with {ENABLE_ENV}=off (no map in the first response)", without.url, a_path_attached)]


def table(measured: list[Probe]) -> list[str]:
    median = {p.name: statistics.median(p.samples) for p in measured}
    limit = median["one-line page"] + median["static map (file://)"]
    lines = ["| page | median (min–max) | ratio to the limit | requests elsewhere (one watched open) |",
             "|---|---|---|---|"]
    for probe in measured:
        span = f"{min(probe.samples) * 1000:,.0f}–{max(probe.samples) * 1000:,.0f}"
        ratio = "(reference)" if probe.name in ("one-line page", "static map (file://)") else \
            f"**{median[probe.name] / limit:.2f}×**"
        lines.append(f"| {probe.name} | {median[probe.name] * 1000:,.0f} ms ({span}) | {ratio} | "
                     f"{len(probe.elsewhere)} |")
    lines.append(f"| **limit** = one-line page + static map | {limit * 1000:,.0f} ms | | |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outside", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="rounds over every page (at least 5)")
    runs = max(parser.parse_args(argv).runs, 5)
    with (tempfile.TemporaryDirectory() as scratch_name, sync_playwright() as playwright,
          contextlib.ExitStack() as servers):
        scratch = Path(scratch_name)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, BLOCK_ELSEWHERE])
        servers.callback(browser.close)

        def started(**kwargs) -> Server:
            server = start_server(scratch, None, **kwargs)
            servers.callback(server.stop)
            return server

        measured = probes(scratch, started)
        for probe in measured:  # a warm server: each one's first viewer is not timed
            probe.once(browser)
        for _ in range(runs):
            for probe in measured:
                probe.samples.append(probe.once(browser))
        for probe in measured:  # untimed: watching every request slows the page it watches
            probe.once(browser, on_request=probe.note)
    print(f"Machine: {machine()}; {runs} rounds, pages in turn, every request not to 127.0.0.1 blocked\n")
    print("\n".join(table(measured)))
    elsewhere = sorted({url for probe in measured for url in probe.elsewhere})
    if elsewhere:
        print("\nAsked of another host:\n" + "\n".join(elsewhere))
    return 1 if elsewhere else 0


if __name__ == "__main__":
    raise SystemExit(main())
