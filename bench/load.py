"""Load test: many viewers at once, as Streamlit websocket clients on loopback.

    python -m bench.load                       # 20 sessions for 60 s, then 1 session for 60 s
    python -m bench.load --sessions 5 --seconds 20

Each client speaks the browser's protocol (BackMsg / ForwardMsg protobufs over /_stcore/stream):
it opens the app, then repeatedly changes a filter or clicks the map (an oblast or a location, as
streamlit-folium reports a click) and waits for the rerun to finish, with a think time of 1–3 s
between actions, like a person. Counted as errors: an exception shown by the app, a rerun that
does not finish within 30 s, a dropped connection. Latency is from sending the action to the
script_finished message. Server memory (RSS) is read at the start, at the end with the sessions
still open, and after they have closed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.run import rss_mib
from initiatives import load_records
from tests.e2e.conftest import Server, start_server

RERUN_TIMEOUT_S = 30.0
THINK_S = (1.0, 3.0)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    actions: int = 0
    initiatives_shown: set[str] = field(default_factory=set)  # proof that the actions change the view


class Client:
    """One viewer: a websocket session plus the widget values the browser would send back."""

    def __init__(self, url: str, tally: Tally, rng: random.Random):
        self.url = url
        self.tally = tally
        self.rng = rng
        self.widgets: dict[str, tuple[str, object]] = {}  # id -> (value field, value)
        self.ids: dict[str, str] = {}  # our widget key ("w_theme", "map") -> widget id
        self.ws = None
        self.seen: set[str] = set()  # widget ids drawn by the current run

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url,
                                           max_size=64 * 2**20)

    async def rerun(self) -> float:
        """Send the current widget states; wait for script_finished; return the seconds taken."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        for widget_id, (kind, value) in self.widgets.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            if kind == "string_array_value":
                widget.string_array_value.data.extend(value)
            else:
                setattr(widget, kind, value)
        start = time.perf_counter()
        self.seen = set()
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), RERUN_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self.read_delta(forward)
            elif kind == "script_finished":
                # As the browser does: keep only the widgets this run drew (ids change with their options).
                self.widgets = {k: v for k, v in self.widgets.items() if k in self.seen}
                if forward.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                               ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                    return time.perf_counter() - start
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    self.tally.errors.append("compile error")
                    return time.perf_counter() - start

    def read_delta(self, forward: ForwardMsg) -> None:
        """Learn widget ids from the elements the server draws; count exceptions as errors."""
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.tally.errors.append(f"exception: {element.exception.type}: {element.exception.message}")
            return
        widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
        if widget_id:
            self.seen.add(widget_id)
        if kind == "metric" and element.metric.label == "Initiatives":
            self.tally.initiatives_shown.add(element.metric.body)
        if kind == "component_instance":  # the map; its id changes with each drill-down level
            self.ids["map"] = element.component_instance.id
        elif kind in ("multiselect", "selectbox", "text_input", "radio"):
            widget_id = getattr(element, kind).id
            for key in ("w_theme", "w_oblast", "w_grant_type", "w_q"):
                if widget_id.endswith(f"-{key}"):
                    self.ids[key] = widget_id

    def set(self, key: str, kind: str, value: object) -> bool:
        if key not in self.ids:
            return False
        self.widgets[self.ids[key]] = (kind, value)
        return True

    def next_action(self, themes: list[str], oblasts: list[str], locations: list[str]) -> None:
        """One thing a viewer does: pick a theme, an oblast, search, or click the map."""
        roll = self.rng.random()
        if roll < 0.3:
            self.set("w_theme", "string_array_value", self.rng.sample(themes, self.rng.randint(0, 2)))
        elif roll < 0.5:
            self.set("w_oblast", "string_value", self.rng.choice(["", *oblasts]))
        elif roll < 0.6:
            self.set("w_q", "string_value", self.rng.choice(["", "жаштар", "water", "Ош"]))
        else:
            if self.rng.random() < 0.5:
                props = {"iso_code": self.rng.choice(oblasts)}
            else:
                props = {"location_id": self.rng.choice(locations)}
            self.set("map", "json_value", json.dumps({"last_active_drawing": {"properties": props}}))

    async def run(self, seconds: float, vocab_lists: tuple[list[str], list[str], list[str]]) -> None:
        try:
            await self.connect()
            await self.rerun()  # opening the page
            missing = {"w_theme", "w_oblast", "w_q", "map"} - set(self.ids)
            if missing:  # the test would measure nothing: say so
                self.tally.errors.append(f"widgets not found on the page: {sorted(missing)}")
                return
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                await asyncio.sleep(self.rng.uniform(*THINK_S))
                self.next_action(*vocab_lists)
                self.tally.actions += 1
                self.tally.latencies.append(await self.rerun())
        except TimeoutError:
            self.tally.errors.append("rerun timed out")
        except websockets.ConnectionClosed as err:
            self.tally.errors.append(f"connection closed: {err}")
        finally:
            if self.ws is not None:
                await self.ws.close()


async def scenario(server: Server, sessions: int, seconds: float, seed: int) -> Tally:
    records = load_records()
    lists = (sorted({c for cell in records.table["themes"] for c in cell.split(";") if c}),
             sorted(records.table["oblast_code"].unique()), sorted(records.table["location_id"].unique()))
    tally = Tally()
    clients = [Client(server.url, tally, random.Random(seed + i)) for i in range(sessions)]
    await asyncio.gather(*(c.run(seconds, lists) for c in clients))
    return tally


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        server = start_server(Path(scratch))
        try:
            asyncio.run(scenario(server, 1, 5, args.seed))  # warm-up: caches filled, as on a live server
            rss_start = rss_mib(server.process.pid)
            single = asyncio.run(scenario(server, 1, args.seconds, args.seed))
            many_start = time.monotonic()
            holder: dict[str, float] = {}

            async def many_and_measure() -> Tally:
                task = asyncio.create_task(scenario(server, args.sessions, args.seconds, args.seed))
                await asyncio.sleep(max(1.0, args.seconds - 2))  # every session still open here
                holder["rss_open"] = rss_mib(server.process.pid)
                return await task

            many = asyncio.run(many_and_measure())
            elapsed = time.monotonic() - many_start
            time.sleep(3)
            rss_closed = rss_mib(server.process.pid)
        finally:
            server.stop()
    rows = [("1 session", single), (f"{args.sessions} sessions", many)]
    print(f"{args.sessions} sessions × {args.seconds:.0f} s (wall {elapsed:.0f} s), think time "
          f"{THINK_S[0]:.0f}–{THINK_S[1]:.0f} s\n")
    print("| run | actions | errors | median rerun | 95th percentile |\n|---|---|---|---|---|")
    for label, tally in rows:
        print(f"| {label} | {tally.actions} | {len(tally.errors)} | {statistics.median(tally.latencies) * 1000:.0f} ms "
              f"| {percentile(tally.latencies, 0.95) * 1000:.0f} ms |")
    print(f"\n'Initiatives' numbers seen: {len(many.initiatives_shown)} different ones "
          f"({', '.join(sorted(many.initiatives_shown, key=int))})")
    if len(many.initiatives_shown) < 3:
        many.errors.append("the actions did not change what the page shows")
    ratio_median = statistics.median(many.latencies) / statistics.median(single.latencies)
    ratio_p95 = percentile(many.latencies, 0.95) / percentile(single.latencies, 0.95)
    print(f"\nratio many/single: median {ratio_median:.2f}×, 95th percentile {ratio_p95:.2f}×")
    print(f"server memory: {rss_start:.0f} MiB at start, {holder['rss_open']:.0f} MiB with "
          f"{args.sessions} sessions open, {rss_closed:.0f} MiB after they closed")
    for error in sorted(set(single.errors + many.errors))[:20]:
        print("error:", error)
    return 1 if single.errors or many.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
