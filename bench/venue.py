"""At the venue: a room of phones opens the landing page within a minute, through the shipped nginx (issue 31).

    python -m bench.venue                     # 100 sessions arriving over 60 s, 3 choices each
    python -m bench.venue --sessions 40 --arrivals 30 --choices 2

Two Streamlit processes (one per core of a 2-core machine) behind deploy/nginx/ as shipped, with the swaps the
deployment test makes (loopback ports, a throw-away certificate and password file). Each session arrives at a
random moment within `--arrivals` seconds and opens the landing page as a browser does: the page, the health
check that sets the cookie nginx routes on, the websocket, the run that draws the map and the run the drawn
map asks for. It then makes `--choices` choices (a theme, an oblast, a search, a click on the map), 1–3 s
apart, and leaves. Before the room arrives, one viewer alone opens the page five times: the reference.

Reported, as Markdown: errors (an exception shown, a run not finished in 30 s, a dropped connection; goal 0);
the first map (page request to the map's run finished) and a choice, median and 95th percentile, each beside
one viewer alone; the servers' memory before, at the most sessions open, after; and the bytes a first and a
return visit transfer in Chromium, as nginx serves them (compressed), beside the static map's. A benchmark,
not a test: nothing here passes or fails but the error count (exit status 1).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets

from bench import references
from bench.load import SESSION_TTL_S, THINK_S, Tally, percentile, total_rss
from bench.run import expected_paths, machine
from initiatives import load_records
from tests.deploy.test_nginx import ProxiedViewer, auth_header, deployed, start_nginx, stop_nginx
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, INTERACTIVE, MAP_FRAME
from ui.state import MAP_PAINTED

ALONE_VISITS = 5


@dataclass
class Room:
    """What the sessions saw, and how many were open at once."""

    tally: Tally = field(default_factory=Tally)
    first_maps: list[float] = field(default_factory=list)
    open_now: int = 0
    most_open: int = 0


class Phone(ProxiedViewer):
    """One person in the room: arrives, opens the page, makes a few choices, leaves."""

    async def visit(self, room: Room, arrive_s: float, choices: int, lists) -> None:
        await asyncio.sleep(arrive_s)
        start = time.perf_counter()
        room.open_now += 1
        room.most_open = max(room.most_open, room.open_now)
        try:
            await self.connect()
            await self.rerun()  # the run that draws the map (and stops there: ui.state.map_first)
            room.first_maps.append(time.perf_counter() - start)
            if self.waiting_for_map and self.set("map", "json_value", json.dumps(MAP_PAINTED)):
                await self.rerun()  # the rest of the page, as the drawn map asks for it
            for _ in range(choices):
                await asyncio.sleep(self.rng.uniform(*THINK_S))
                self.next_action(*lists)
                room.tally.actions += 1
                room.tally.latencies.append(await self.rerun())
        except TimeoutError:
            room.tally.errors.append("a run did not finish within 30 s")
        except (websockets.ConnectionClosed, OSError) as err:
            room.tally.errors.append(f"connection: {type(err).__name__}: {err}")
        finally:
            room.open_now -= 1
            if self.ws is not None:
                await self.ws.close()


def choice_lists() -> tuple[list[str], list[str], list[str]]:
    table = load_records().table
    return (sorted({c for cell in table["themes"] for c in cell.split(";") if c}),
            sorted(table["oblast_code"].unique()), sorted(table["location_id"].unique()))


async def arrive(url: str, sessions: int, arrivals_s: float, choices: int, seed: int, servers) -> tuple[Room, float]:
    """The room: `sessions` phones arriving over `arrivals_s`; the servers' memory sampled each second (the
    largest total is returned, with the room)."""
    room, lists, rng = Room(), choice_lists(), random.Random(seed)
    phones = [Phone(url, room.tally, random.Random(seed + n)) for n in range(sessions)]
    peak = [total_rss(servers)]

    async def sample() -> None:
        while True:
            peak.append(total_rss(servers))
            await asyncio.sleep(1)

    sampler = asyncio.create_task(sample())
    await asyncio.gather(*(phone.visit(room, rng.uniform(0, arrivals_s), choices, lists) for phone in phones))
    sampler.cancel()
    return room, max(peak)


async def alone(url: str, visits: int, choices: int, seed: int) -> Room:
    """One viewer, `visits` times in turn: the reference for the room's figures."""
    room, lists = Room(), choice_lists()
    for n in range(visits):
        await Phone(url, room.tally, random.Random(seed + 1000 + n)).visit(room, 0, choices, lists)
    return room


def transferred(url: str) -> tuple[int, int, int]:
    """Bytes over the network for a first visit to the landing page (empty cache) and a return visit (the same
    browser, its cache kept), until the map is drawn and the page settles; and the websocket's share of the
    first (its messages' payload)."""
    from playwright.sync_api import sync_playwright

    paths = expected_paths(None, None)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 390, "height": 844},
                                      is_mobile=True, has_touch=True, device_scale_factor=3,
                                      # The password as a header: Playwright's http_credentials answer each
                                      # challenge by intercepting requests, which turns the cache off.
                                      extra_http_headers={"Authorization": auth_header()})
        figures = []
        for _ in ("first", "return"):
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            counted = {"http": 0, "ws": 0}
            cached: set[str] = set()  # answered from the browser's cache: nothing crossed the network

            def response(event, cached=cached) -> None:
                if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
                    cached.add(event["requestId"])

            def finished(event, counted=counted, cached=cached) -> None:
                if event["requestId"] not in cached:
                    counted["http"] += int(event["encodedDataLength"])

            def frame(event, counted=counted) -> None:
                counted["ws"] += len(event["response"]["payloadData"])

            cdp.on("Network.responseReceived", response)
            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.webSocketFrameReceived", frame)
            page.goto(url)
            page.frame_locator(MAP_FRAME).last.locator(INTERACTIVE).nth(paths - 1).wait_for(
                state="attached", timeout=120_000)
            page.wait_for_timeout(4000)  # what the page draws after the map, and its requests
            figures.append(dict(counted))
            page.close()
        browser.close()
    first, again = figures
    return first["http"] + first["ws"], again["http"] + again["ws"], first["ws"]


def static_map_bytes(scratch: Path) -> tuple[int, int]:
    """The static map (bench.references) with the Leaflet files it loads: as files, and gzip-compressed at
    nginx's level."""
    import xstatic.pkg.leaflet as leaflet

    page, _ = references.static_map(scratch / "static-map.html")
    files = [page, Path(leaflet.BASE_DIR) / "leaflet.js", Path(leaflet.BASE_DIR) / "leaflet.css"]
    raw = [f.read_bytes() for f in files]
    return sum(map(len, raw)), sum(len(gzip.compress(b, compresslevel=5)) for b in raw)


def ms(values: list[float], q: float | None = None) -> str:
    if not values:
        return "–"
    return f"{(statistics.median(values) if q is None else percentile(values, q)) * 1000:,.0f} ms"


def report(room: Room, single: Room, sessions: int, arrivals: float, choices: int,
           memory: tuple[float, float, float], visits: dict[bool, tuple[int, int, int]],
           static: tuple[int, int]) -> int:
    start, peak, after = memory
    print(f"Machine: {machine()}\n")
    print(f"{sessions} sessions arriving over {arrivals:.0f} s, {choices} choices each, 2 server processes "
          f"behind the shipped nginx; at most {room.most_open} open at once\n")
    print("| | sessions | errors | first map, median | first map, p95 | choice, median | choice, p95 |")
    print("|---|---|---|---|---|---|---|")
    for label, seen, count in (("one viewer alone", single, ALONE_VISITS), ("the room", room, sessions)):
        print(f"| {label} | {count} | {len(seen.tally.errors)} | {ms(seen.first_maps)} | "
              f"{ms(seen.first_maps, 0.95)} | {ms(seen.tally.latencies)} | {ms(seen.tally.latencies, 0.95)} |")
    per_session = (peak - start) / max(room.most_open, 1)
    print(f"\nServer memory (both processes): {start:.0f} MiB before, {peak:.0f} MiB at most ({per_session:.1f} MiB "
          f"a session open), {after:.0f} MiB {SESSION_TTL_S + 10} s after the room left")
    print("\n| bytes transferred (a phone, until the map is drawn and the page settles) | first visit | "
          "of which the websocket | return visit |\n|---|---|---|---|")
    for compress, label in ((True, "nginx as shipped (gzip on)"), (False, "nginx with gzip off")):
        first, again, websocket = visits[compress]
        print(f"| {label} | {first / 1024:,.0f} KB | {websocket / 1024:,.0f} KB | {again / 1024:,.0f} KB |")
    print(f"| the static map (bench.references) with Leaflet's files | {static[0] / 1024:,.0f} KB as files, "
          f"{static[1] / 1024:,.0f} KB compressed | | |")
    for error in sorted(set(room.tally.errors + single.tally.errors))[:20]:
        print("error:", error)
    return 1 if room.tally.errors or single.tally.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.venue", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--arrivals", type=float, default=60, help="seconds over which the sessions arrive")
    parser.add_argument("--choices", type=int, default=3, help="choices each session makes")
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args(argv)
    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_S)
    with tempfile.TemporaryDirectory() as scratch_name, deployed(Path(scratch_name)) as (url, servers):
        scratch = Path(scratch_name)
        asyncio.run(alone(url, 1, 1, args.seed))  # warm-up: each process's caches, as on a live server
        asyncio.run(alone(url, 1, 1, args.seed + 1))
        single = asyncio.run(alone(url, ALONE_VISITS, args.choices, args.seed))
        start = total_rss(servers)
        room, peak = asyncio.run(arrive(url, args.sessions, args.arrivals, args.choices, args.seed, servers))
        time.sleep(SESSION_TTL_S + 10)
        after = total_rss(servers)
        # The bytes over plain HTTP: Chromium caches nothing served with an untrusted certificate, so over the
        # test's self-signed TLS a return visit would look like a first. The same config otherwise.
        visits = {}
        for compress in (True, False):
            folder = scratch / f"nginx-{'gzip' if compress else 'plain'}"
            folder.mkdir()
            plain = start_nginx(folder, servers, tls=False, compress=compress)
            visits[compress] = transferred(plain)
            stop_nginx(folder)
        static = static_map_bytes(scratch)
    return report(room, single, args.sessions, args.arrivals, args.choices, (start, peak, after), visits, static)


if __name__ == "__main__":
    raise SystemExit(main())
