"""Downloads under many sessions: one viewer's small CSV while other sessions build briefs, Excel and IATI.

    python -m bench.downloads                 # 30 building sessions for 40 s
    python -m bench.downloads --sessions 10 --seconds 20

Each building session opens the Explorer at a view of its own (an oblast and a theme), asks for its brief,
Excel and IATI files one after another, then moves to its next view (so that each build is a new one, not a
file already kept). Meanwhile one viewer, on a view no building session shows, asks for its codes-only CSV
again and again, each time for another view. Printed: the viewer's CSV times alone (before the others start)
and under the load, median and maximum, and how many files the others were given.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.load import Client, Tally
from initiatives import vocab
from tests.e2e.conftest import start_server


def views(count: int, offset: int) -> list[str]:
    """Distinct Explorer views (query strings): an oblast and a theme each, starting at `offset`."""
    oblasts, themes = list(vocab.oblasts().codes), list(vocab.themes().codes)
    every = [f"oblast={o}&theme={t}&lang={lang}" for lang in ("ru", "ky", "en") for o in oblasts for t in themes]
    return [every[(offset + n) % len(every)] for n in range(count)]


async def session(url: str, own: list[str]) -> Client:
    client = Client(url, Tally(), random.Random(0))
    client.page_name = "explorer"
    await client.connect()
    client.query_string = own[0]
    await client.open()
    return client


async def builder(url: str, own: list[str], until: float, given: list[int]) -> None:
    client = await session(url, own)
    try:
        step = 0
        while time.monotonic() < until:
            for kind in ("download_brief", "download_xlsx", "download_iati"):
                (answer,) = await client.ask_for_file(client.files[kind])
                given.append(0 if answer.error_msg else 1)
            step += 1
            client.query_string = own[step % len(own)]
            await client.rerun()
    finally:
        await client.ws.close()


async def viewer(url: str, own: list[str], until: float) -> list[float]:
    client = await session(url, own)
    times = []
    try:
        step = 0
        while time.monotonic() < until:
            step += 1
            client.query_string = own[step % len(own)]
            await client.rerun()
            started = time.perf_counter()
            (answer,) = await client.ask_for_file(client.files["download_codes"])
            if not answer.error_msg:
                times.append(time.perf_counter() - started)
            await asyncio.sleep(0.2)
    finally:
        await client.ws.close()
    return times


async def scenario(url: str, sessions: int, seconds: float) -> tuple[list[float], list[float], list[int]]:
    alone = await viewer(url, views(200, 500), time.monotonic() + 8)
    until = time.monotonic() + seconds
    given: list[int] = []
    builders = [asyncio.create_task(builder(url, views(20, 20 * n), until, given)) for n in range(sessions)]
    await asyncio.sleep(3)  # the builders have opened their pages and asked
    loaded = await viewer(url, views(300, 800), until)
    await asyncio.gather(*builders, return_exceptions=True)
    return alone, loaded, given


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.downloads", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=40)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch))
        try:
            alone, loaded, given = asyncio.run(scenario(server.url, args.sessions, args.seconds))
        finally:
            server.stop()
    print(f"{args.sessions} sessions building briefs, Excel and IATI for {args.seconds:.0f} s: "
          f"{sum(given)} files given, {len(given) - sum(given)} refused as busy")
    print("| the viewer's small CSV | asks | median | max |\n|---|---|---|---|")
    for label, times in (("alone", alone), ("under the load", loaded)):
        print(f"| {label} | {len(times)} | {statistics.median(times) * 1000:.0f} ms | {max(times) * 1000:.0f} ms |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
