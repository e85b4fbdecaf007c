"""Load test: many viewers at once, as Streamlit websocket clients on loopback.

    python -m bench.load                       # 20 sessions for 60 s, then 1 session for 60 s
    python -m bench.load --sessions 5 --seconds 20
    python -m bench.load --servers 2          # the sessions shared by two server processes
    python -m bench.load --venue              # a room of 100 phones through the shipped nginx (bench/venue.py)

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
import contextlib
import json
import os
import random
import statistics
import sys
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
from ui.state import MAP_FIRST_ID_END, MAP_PAINTED
from ui.widgets import numbers_in

RERUN_TIMEOUT_S = 30.0
# Streamlit keeps a closed session for server.disconnectedSessionTTL (120 s by default) in case it
# reconnects; shortened here so "after they closed" means after the server has let them go.
SESSION_TTL_S = 5
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
        self.query_string = ""  # the URL's query, as a browser sends it with each rerun
        self.waiting_for_map = False  # the last run drew the map and stopped there (ui.state.map_first)
        self.page_name = ""  # the page to run ("" the landing page; "explorer", ...), as the browser names it
        self.files: dict[str, str] = {}  # download button key -> the deferred file id the browser asks for
        self.session_id = ""

    async def connect(self) -> None:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await websockets.connect(ws_url, subprotocols=["streamlit"], origin=self.url,
                                           max_size=64 * 2**20)

    async def open(self) -> float:
        """Open the page as a browser does: the first run and, where the page waits for its first map to be
        drawn, the value the drawn map sends (static/map/map-first.js), whose run draws the rest."""
        seconds = await self.rerun()
        if self.waiting_for_map and self.set("map", "json_value", json.dumps(MAP_PAINTED)):
            seconds += await self.rerun()
        return seconds

    async def rerun(self) -> float:
        """Send the current widget states; wait for script_finished; return the seconds taken."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page_name
        for widget_id, (kind, value) in self.widgets.items():
            widget = state.widget_states.widgets.add()
            widget.id = widget_id
            if kind == "string_array_value":
                widget.string_array_value.data.extend(value)
            else:
                setattr(widget, kind, value)
        start = time.perf_counter()
        self.seen = set()
        self.waiting_for_map = False
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), RERUN_TIMEOUT_S)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "new_session" and forward.new_session.initialize.session_id:
                self.session_id = forward.new_session.initialize.session_id  # named in file requests
            elif kind == "delta":
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
        if delta.WhichOneof("type") == "add_block" and delta.add_block.id.endswith(MAP_FIRST_ID_END):
            self.waiting_for_map = True  # the page waits for the map's value (ui.state.map_first)
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
        shown = numbers_in(element.html.body) if kind == "html" else {}
        if "Initiatives" in shown:
            self.tally.initiatives_shown.add(shown["Initiatives"])
        if kind == "download_button":
            self.files[widget_id.rsplit("-", 1)[-1]] = element.download_button.deferred_file_id
        if kind == "component_instance":  # the map; its id changes with each drill-down level
            self.ids["map"] = element.component_instance.id
        elif widget_id and widget_id.rsplit("-", 1)[-1].startswith("w_"):  # our view widgets: key w_<name>
            self.ids[widget_id.rsplit("-", 1)[-1]] = widget_id

    async def ask_for_file(self, file_id: str, times: int = 1) -> list:
        """Ask `times` at once for a download button's file, as a browser's click does; the answers
        (BackendOperationResponse: a URL or an error message), in the order asked."""
        for number in range(times):
            msg = BackMsg()
            msg.backend_operation_request.request_id = f"file-{number}"
            msg.backend_operation_request.session_id = self.session_id
            msg.backend_operation_request.deferred_file.file_id = file_id
            await self.ws.send(msg.SerializeToString())
        answers = {}
        while len(answers) < times:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self.ws.recv(), RERUN_TIMEOUT_S))
            if forward.WhichOneof("type") == "backend_operation_response":
                answers[forward.backend_operation_response.request_id] = forward.backend_operation_response
        return [answers[f"file-{n}"] for n in range(times)]

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
            await self.open()
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


async def scenario(servers: list[Server], sessions: int, seconds: float, seed: int) -> Tally:
    """`sessions` viewers at once, spread over `servers` in turn (as sticky sessions behind a proxy)."""
    records = load_records()
    lists = (sorted({c for cell in records.table["themes"] for c in cell.split(";") if c}),
             sorted(records.table["oblast_code"].unique()), sorted(records.table["location_id"].unique()))
    tally = Tally()
    clients = [Client(servers[i % len(servers)].url, tally, random.Random(seed + i)) for i in range(sessions)]
    await asyncio.gather(*(c.run(seconds, lists) for c in clients))
    return tally


def total_rss(servers: list[Server]) -> float:
    return sum(rss_mib(server.process.pid) for server in servers)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Result:
    single: Tally
    many: Tally
    elapsed: float
    rss_start: float
    rss_open: float
    rss_closed: float


def measure(servers: list[Server], sessions: int, seconds: float, seed: int) -> Result:
    """Warm up, then one viewer alone, then `sessions` at once; memory before, during and after."""
    for server in servers:
        asyncio.run(scenario([server], 1, 5, seed))  # warm-up: caches filled, as on a live server
    rss_start = total_rss(servers)
    single = asyncio.run(scenario(servers[:1], 1, seconds, seed))
    holder: dict[str, float] = {}

    async def many_and_measure() -> Tally:
        task = asyncio.create_task(scenario(servers, sessions, seconds, seed))
        await asyncio.sleep(max(1.0, seconds - 2))  # every session still open here
        holder["rss_open"] = total_rss(servers)
        return await task

    started = time.monotonic()
    many = asyncio.run(many_and_measure())
    elapsed = time.monotonic() - started
    time.sleep(SESSION_TTL_S + 10)
    return Result(single, many, elapsed, rss_start, holder["rss_open"], total_rss(servers))


def report(result: Result, sessions: int, seconds: float, processes: int) -> int:
    single, many = result.single, result.many
    print(f"{sessions} sessions × {seconds:.0f} s on {processes} server process(es) (wall {result.elapsed:.0f} s), "
          f"think time {THINK_S[0]:.0f}–{THINK_S[1]:.0f} s\n")
    print("| run | actions | errors | median rerun | 95th percentile |\n|---|---|---|---|---|")
    for label, tally in (("1 session", single), (f"{sessions} sessions", many)):
        print(f"| {label} | {tally.actions} | {len(tally.errors)} | {statistics.median(tally.latencies) * 1000:.0f} ms "
              f"| {percentile(tally.latencies, 0.95) * 1000:.0f} ms |")
    print(f"\n'Initiatives' numbers seen: {len(many.initiatives_shown)} different ones "
          f"({', '.join(sorted(many.initiatives_shown, key=int))})")
    if len(many.initiatives_shown) < 3:
        many.errors.append("the actions did not change what the page shows")
    ratio_median = statistics.median(many.latencies) / statistics.median(single.latencies)
    ratio_p95 = percentile(many.latencies, 0.95) / percentile(single.latencies, 0.95)
    print(f"ratio many/single: median {ratio_median:.2f}×, 95th percentile {ratio_p95:.2f}×")
    per_session = (result.rss_open - result.rss_start) / sessions
    print(f"server memory: {result.rss_start:.0f} MiB at start, {result.rss_open:.0f} MiB with {sessions} "
          f"sessions open ({per_session:.1f} MiB a session), {result.rss_closed:.0f} MiB "
          f"{SESSION_TTL_S + 10} s after they closed")
    for error in sorted(set(single.errors + many.errors))[:20]:
        print("error:", error)
    return 1 if single.errors or many.errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--servers", type=int, default=1,
                        help="server processes sharing the sessions (one Python process uses one core)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--venue", action="store_true",
                        help="the venue run instead, with its own options (python -m bench.venue --help)")
    argv = sys.argv[1:] if argv is None else argv
    if "--venue" in argv:
        from bench import venue

        return venue.main([a for a in argv if a != "--venue"])
    args = parser.parse_args(argv)
    os.environ["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(SESSION_TTL_S)
    with tempfile.TemporaryDirectory() as scratch, contextlib.ExitStack() as running:
        servers = []
        for _ in range(args.servers):
            servers.append(start_server(Path(scratch)))
            running.callback(servers[-1].stop)
        result = measure(servers, args.sessions, args.seconds, args.seed)
    return report(result, args.sessions, args.seconds, args.servers)


if __name__ == "__main__":
    raise SystemExit(main())
