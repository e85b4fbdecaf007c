"""Benchmark: the dashboard against the limit of its stack, in Debian's headless Chromium (issue 15).

    python -m bench.run                 # 5 rounds over every page (about 5 minutes)
    python -m bench.run --runs 9 --scale   # also the first map at 100,000 records
    python -m bench.run --growth           # also the 5,000 / 50,000 growth table

The limit is the fastest this map can reach a viewer through Streamlit: a one-line Streamlit page
(open -> its text shown) plus the same map as one static Leaflet file from file:// (open -> every
path drawn); the Themes page is held to a one-line page with one Plotly chart, the filter change to
a bare streamlit-folium page (bench/baseline_app.py). Every page opens in a fresh browser context
(empty cache), all of them in turn in each round, so drift of the machine hits them alike. Figures
are medians with min–max, printed as Markdown and written to bench/results/latest.json.

Requests are not intercepted: Playwright's routing sends every request through this process, which
costs a page of 150 requests far more than a one-line page of 20. That no page needs the internet is
the browser tests' job (tests/e2e), where every request outside 127.0.0.1 fails the test.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path

from playwright.sync_api import Browser, Page, Request, sync_playwright

from bench import references, synth
from geodata.checks import check_records
from geodata.layers import GEODATA_DIR
from initiatives import Filters, apply_filters, count_by, headline, search_text
from tests.conftest import ROOT
from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    INTERACTIVE,
    MAP_FRAME,
    PAGE_SETTLED,
    SCRIPT_IDLE,
    Server,
    start_server,
)
from ui.preview import ENABLE_ENV
from ui.widgets import NUMBERS_CLASS

RESULTS = Path(__file__).parent / "results"
THEME = "youth"
THEME_LABEL = "Youth participation"
SCALES = (5_000, 50_000)
PLACES = 450
DRILLED = "KG-J"  # Jalal-Abad: 13 raions and cities, the most of any oblast
TIMEOUT_MS = 120_000


@dataclass
class App:
    """One app under test and how to drive it."""

    name: str
    server: Server
    theme_box: str  # the multiselect that changes the filter
    theme_text: str
    paths_before: int  # interactive paths (oblasts + markers) when the page opens
    paths_after: int  # ... after the theme filter
    chart: str  # the chart beside the map, drawn: Plotly's for the baseline, our list of bar buttons
    numbers_after: str | None = None  # the headline number of initiatives after the filter (the baseline has none)
    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, metric: str, value: float) -> None:
        self.samples.setdefault(metric, []).append(value)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def wait_for_paths(page: Page, count: int, chart: str, initiatives: str | None = None) -> float:
    """Until the last map frame holds exactly `count` interactive paths, the script is idle and the
    chart is drawn. Returns when the map first held them with `initiatives` as the headline number (a
    perf_counter time): the map and numbers repainted, before the rest of the page."""
    frame = page.frame_locator(MAP_FRAME).last
    frame.locator(INTERACTIVE).nth(count - 1).wait_for(state="attached", timeout=TIMEOUT_MS)
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    numbers = page.locator(f".{NUMBERS_CLASS} dd").first
    repainted = None
    while True:
        drawn = frame.locator(INTERACTIVE).count() == count
        if drawn and repainted is None and (initiatives is None or numbers.inner_text() == initiatives):
            repainted = time.perf_counter()
        if drawn and repainted is not None and page.locator(SCRIPT_IDLE).count():
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"map never showed {count} paths")
        page.wait_for_timeout(10)
    page.locator(chart).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return repainted


def measure_once(browser: Browser, app: App, change_filter: bool = True) -> None:
    """Open the page, wait for the map, change the theme filter, wait for the repaint."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    data_bytes = [0]

    def on_websocket(ws) -> None:
        def received(payload) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode()
            if b"L.map(" in data:
                data_bytes[0] += len(data)
        ws.on("framereceived", received)

    page.on("websocket", on_websocket)
    start = time.perf_counter()
    page.goto(app.server.url)
    wait_for_paths(page, app.paths_before, app.chart)
    app.add("first_map_s", time.perf_counter() - start)
    app.add("map_data_bytes", data_bytes[0])  # the map's script and layers, over the websocket
    if change_filter:
        box = page.locator(app.theme_box).first
        box.wait_for(state="visible", timeout=TIMEOUT_MS)  # on the map page, drawn after the map (map_first)
        page.wait_for_function(PAGE_SETTLED, timeout=TIMEOUT_MS)  # nothing left to move the box
        box.click()
        choose(page, app.theme_text)
        start = time.perf_counter()
        page.keyboard.press("Enter")
        repainted = wait_for_paths(page, app.paths_after, app.chart, app.numbers_after)
        app.add("filter_change_s", time.perf_counter() - start)
        app.add("filter_repaint_s", repainted - start)
    context.close()


def choose(page: Page, text: str) -> None:
    """Type into the open multiselect until its list shows the option alone, so the clock starts at the choice
    (Enter), not while the list is still catching up with the typing (50-250 ms on this machine)."""
    page.keyboard.type(text)
    page.get_by_role("option", name=text, exact=True).wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_function("() => document.querySelectorAll('[role=option]').length === 1", timeout=TIMEOUT_MS)


def expected_paths(records: Path | None, theme: str | None, layers: Path | None = None, oblast: str = "") -> int:
    """Oblast polygons, the drilled oblast's raions, and what ui.maps draws for this records file and filter."""
    from geodata.coverage import oblast_of_units
    from geodata.layers import LOCAL_LAYERS_DIR, read_admin_layer, read_oblasts
    from ui.maps import marker_features

    data = check_records(records, local_layers=layers or LOCAL_LAYERS_DIR)
    units = read_admin_layer("raion", layers) if layers and oblast else None
    raions = 0 if units is None else sum(o == oblast for o in oblast_of_units(units, read_oblasts()).values())
    rows = apply_filters(data.table, Filters(themes=(theme,) if theme else ()))
    oblasts = read_oblasts()
    markers = marker_features(oblasts, data.locations, rows["location_id"].value_counts(), selected="",
                              lang="en", texts={"initiatives": "", "approximate": "", "places": "",
                                                "click_to_open": ""})
    return len(oblasts) + raions + len(markers["features"])


def baseline_paths(theme: str | None) -> int:
    data = check_records(None)
    rows = apply_filters(data.table, Filters(themes=(theme,) if theme else ()))
    return 8 + rows["location_id"].nunique()


def baseline_folder(scratch: Path) -> Path:
    """A folder to run the baseline from: the script, its own static/ (with the map's Leaflet fixes, which the
    shared OfflineMap loads), the dashboard's server config."""
    folder = scratch / "baseline"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "baseline_app.py", folder / "app.py")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    shutil.copytree(ROOT / "static" / "map", folder / "static" / "map")
    return folder


OUR_BARS = ".st-key-bars_theme button"  # the landing page's theme bars (ui.widgets.clickable_bars)


def ours(server: Server, records: Path | None) -> App:
    rows = apply_filters(check_records(records).table, Filters(themes=(THEME,)))
    return App("dashboard", server, '[data-testid="stSidebar"] [data-testid="stMultiSelect"]', THEME_LABEL,
               expected_paths(records, None), expected_paths(records, THEME), OUR_BARS, str(len(rows)))


def time_ms(function: Callable[[], object], number: int) -> float:
    """Median over 7 repeats of `number` calls, per call, in milliseconds."""
    return statistics.median(timeit.repeat(function, number=number, repeat=7)) / number * 1000


def data_layer(records: Path | None) -> dict[str, float]:
    """Load+validate once per server; filter and aggregate on every rerun."""
    load = time_ms(lambda: check_records(records), 1)
    data = check_records(records)
    haystack = search_text(data.table)
    filters = Filters(themes=(THEME,), grant_types=("cso",))

    def filter_and_aggregate() -> None:
        rows = apply_filters(data.table, filters, haystack)
        headline(rows)
        for dimension in ("theme", "oblast", "target_group"):
            count_by(rows, dimension, split_by="grant_type")

    text = Filters(text="tynchtyk peace")
    return {"load_validate_ms": load,
            "filter_ms": time_ms(lambda: apply_filters(data.table, filters, haystack), 50),
            "filter_aggregate_ms": time_ms(filter_and_aggregate, 20),
            "text_search_ms": time_ms(lambda: apply_filters(data.table, text, haystack), 20)}


def growth_row(browser: Browser, app: App, baseline: App, count: int, records: Path | None,
               runs: int) -> dict[str, object]:
    """Data-layer timings and browser figures for one records file; the baseline alternates too."""
    row: dict[str, object] = {"initiatives": count, **data_layer(records)}
    return row | alternated(browser, app, baseline, runs) | {"server_rss_mib": rss_mib(app.server.process.pid)}


def alternated(browser: Browser, app: App, baseline: App, runs: int) -> dict[str, float]:
    """First map and filter change of `app`, each with its ratio to the baseline measured in turn, and map data."""
    base = replace(baseline, samples={})
    measure_once(browser, app)  # warm-up
    app.samples.clear()
    for _ in range(runs):
        measure_once(browser, app)
        measure_once(browser, base)
    first = statistics.median(app.samples["first_map_s"])
    change = statistics.median(app.samples["filter_change_s"])
    return {"first_map_ms": first * 1000,
            "first_map_vs_baseline": first / statistics.median(base.samples["first_map_s"]),
            "filter_change_ms": change * 1000,
            "filter_vs_baseline": change / statistics.median(base.samples["filter_change_s"]),
            "map_kb": statistics.median(app.samples["map_data_bytes"]) / 1024}


@dataclass
class Open:
    """One page opened in a fresh browser context, timed from `goto` until `ready` returns."""

    name: str
    url: str
    ready: Callable[[Page], None]
    viewport: tuple[int, int] = (1400, 1000)
    samples: list[float] = field(default_factory=list)
    phone: bool = False  # a phone in the room: 390x844 at 3x with touch, its CPU 4x slower (PHONE_THROTTLE)

    def once(self, browser: Browser, on_request: Callable[[Request], None] | None = None) -> float:
        """`on_request` sees every request of the open; it slows a page of many requests, so timed opens go without."""
        if self.phone:
            context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                          is_mobile=True, has_touch=True)
        else:
            context = browser.new_context(viewport={"width": self.viewport[0], "height": self.viewport[1]})
        if on_request:
            context.on("request", on_request)
        page = context.new_page()
        if self.phone:  # a phone-class CPU, as DevTools emulates one (Lighthouse's mobile runs use 4x)
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": PHONE_THROTTLE})
        start = time.perf_counter()
        # Not until the page's load event: what a viewer sees does not wait for it (for every page and reference
        # alike; the load event waits for every module of Streamlit's, and moved the figures by 0.3-0.4 s).
        page.goto(self.url, wait_until="commit")
        self.ready(page)
        elapsed = time.perf_counter() - start
        context.close()
        return elapsed


PHONE_THROTTLE = 4
PHONE_LIMIT = "phone limit"
PHONE_REFERENCES = ("one-line page, phone", "static map (file://), phone")
PHONE_ROW = "landing on a phone (4× CPU), open → map painted"
PHONE_PRESENT_ROW = "?present=1 on a phone (4× CPU), open → map painted"
LINK = "?oblast=KG-O&lang=ru"  # a shared link to a drilled view (issue 33)
LINK_ROW = f"shared link {LINK}, open → map painted"
PHONE_LINK_ROW = f"shared link {LINK} on a phone (4× CPU), open → map painted"
LIVE_ROW = "landing, open → live map drawn (behind the preview until the page is whole)"
BEFORE_ROW = f"landing without the preview ({ENABLE_ENV}=off), open → map painted"


def opened_in_turn(playwright, opens: list[Open], runs: int) -> None:
    """Each page once (each server's first viewer: a warm-up), then `runs` rounds of every page in turn, each
    in a fresh browser context, so the machine's drift hits them alike; the times go to each Open's samples."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        for page_open in opens:
            page_open.once(browser)
        for _ in range(runs):
            for page_open in opens:
                page_open.samples.append(page_open.once(browser))
    finally:
        browser.close()


def text_shown(text: str) -> Callable[[Page], None]:
    return lambda page: page.get_by_text(text).first.wait_for(state="visible", timeout=TIMEOUT_MS)


# Every oblast path and circle of a map, in the page or any of its frames: the first response's map (ui.preview)
# or the live one, whichever draws them first (issue 33 names this measurement).
PAINTED_ANYWHERE = """n => [document, ...[...document.querySelectorAll('iframe')].map(f => {
    try { return f.contentDocument; } catch (e) { return null; } })]
  .some(d => d && d.querySelectorAll('.leaflet-container path.leaflet-interactive').length >= n)"""


def map_painted(count: int) -> Callable[[Page], None]:
    """The view's map painted, in the page or any of its frames (the preview's or the live map's)."""
    def ready(page: Page) -> None:
        page.wait_for_function(PAINTED_ANYWHERE, arg=count, timeout=TIMEOUT_MS, polling="raf")
    return ready


def paths_drawn(count: int, in_frame: bool = True) -> Callable[[Page], None]:
    """Every oblast path and circle of the map there (in the map's frame, or the page itself)."""
    def ready(page: Page) -> None:
        root = page.frame_locator(MAP_FRAME).last if in_frame else page
        root.locator(INTERACTIVE).nth(count - 1).wait_for(state="attached", timeout=TIMEOUT_MS)
    return ready


# What the map page draws after its first map (ui.state.map_first): the location picker, the theme bars, the
# sidebar's filters.
REST_OF_MAP_PAGE = (".st-key-w_location", ".st-key-bars_theme button",
                    '[data-testid="stSidebar"] [data-testid="stMultiSelect"]')


def whole_map_page(count: int) -> Callable[[Page], None]:
    """The map painted (`paths_drawn`) and the rest of the page drawn after it."""
    def ready(page: Page) -> None:
        paths_drawn(count)(page)
        for selector in REST_OF_MAP_PAGE:
            page.locator(selector).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    return ready


CHARTS_DRAWN = """n => { const plots = [...document.querySelectorAll('.js-plotly-plot')];
    return plots.length === n && plots.every(p => p.querySelector('g.point path, g.slice path')); }"""


def charts_drawn(count: int) -> Callable[[Page], None]:
    """`count` Plotly charts on the page, each with its bars or sunburst slices drawn."""
    def ready(page: Page) -> None:
        page.wait_for_function(CHARTS_DRAWN, arg=count, timeout=TIMEOUT_MS, polling="raf")
    return ready


THEMES_CHARTS = 5  # pages/themes.py: theme, oblast, target group, grant type, and the sunburst


def limit_references(scratch: Path, started: Callable[..., Server], phone: bool = False) -> list[Open]:
    """The two references whose sum is the limit: the one-line page (served by `started`, with the
    dashboard's server config) and the static map from `file://`; with `phone`, the same two on a phone."""
    one_line = started(script=references.write_app(scratch / "one-line", references.ONE_LINE_APP,
                                                   ROOT / ".streamlit" / "config.toml"), cwd=scratch / "one-line")
    static_file, static_paths = references.static_map(scratch / "static-map.html")
    opens = [Open("one-line page", one_line.url, text_shown(references.ONE_LINE_TEXT)),
             Open("static map (file://)", static_file.as_uri(), paths_drawn(static_paths, in_frame=False))]
    if phone:  # the limit a phone's first map is held to (PHONE_THROTTLE)
        opens += [Open(PHONE_REFERENCES[0], one_line.url, text_shown(references.ONE_LINE_TEXT), phone=True),
                  Open(PHONE_REFERENCES[1], static_file.as_uri(), paths_drawn(static_paths, in_frame=False),
                       phone=True)]
    return opens


def one_plotly_reference(scratch: Path, started: Callable[..., Server]) -> Open:
    """The Themes page's reference: a one-line page with one Plotly bar chart, with the dashboard's server config."""
    one_plotly = started(script=references.write_app(scratch / "one-plotly", references.ONE_LINE_PLOTLY_APP,
                                                     ROOT / ".streamlit" / "config.toml"), cwd=scratch / "one-plotly")
    return Open("one-line Plotly page", one_plotly.url, charts_drawn(1))


def oblast_in(path: str) -> str:
    """The oblast a page path drills into (`/?oblast=KG-J&lang=ru` -> "KG-J"), or ""."""
    return path.partition("oblast=")[2].partition("&")[0]


DRILLED_RAION = ("KG-O", "KG06242000000")  # Nookat, Osh: its 14 ayil aimaks as labelled points


def raion_paths(oblast: str, raion: str) -> int:
    """What a map drilled into `raion` draws as interactive shapes: the oblasts, the oblast's raions and cities,
    the raion's ayil aimaks and towns, and the oblast's places (pages/map.py leaves the others off)."""
    from geodata.ayil_aimaks import AyilAimaks
    from geodata.coverage import oblast_of_units
    from geodata.layers import GEODATA_DIR, read_admin_layer, read_ayil_aimak_points, read_oblasts

    oblasts = read_oblasts()
    units = oblast_of_units(read_admin_layer("raion", GEODATA_DIR), oblasts)
    places = check_records(None).table.query("oblast_code == @oblast")["location_id"].nunique()
    return (len(oblasts) + sum(o == oblast for o in units.values())
            + len(AyilAimaks(read_ayil_aimak_points()).codes_in(raion)) + places)


def limit_opens(scratch: Path, started: Callable[..., Server], dashboard: Server) -> tuple[list[Open], dict[str, str]]:
    """The references and the dashboard's pages, to be opened in turn; and which reference each page is held to."""
    landing = expected_paths(None, None)
    link = expected_paths(None, None, GEODATA_DIR, oblast_in(LINK))
    opens = [
        *limit_references(scratch, started, phone=True),
        one_plotly_reference(scratch, started),
        Open("landing, open → map painted", dashboard.url, map_painted(landing)),
        Open(LIVE_ROW, dashboard.url, paths_drawn(landing)),
        Open("landing, open → whole page drawn", dashboard.url, whole_map_page(landing)),
        Open("landing ?present=1 at 1920×1080", f"{dashboard.url}/?present=1", map_painted(landing), (1920, 1080)),
        Open(LINK_ROW, f"{dashboard.url}/{LINK}", map_painted(link)),
        Open("Themes, open → every chart drawn", f"{dashboard.url}/themes", charts_drawn(THEMES_CHARTS)),
        Open(PHONE_ROW, dashboard.url, map_painted(landing), phone=True),
        Open(PHONE_PRESENT_ROW, f"{dashboard.url}/?present=1", map_painted(landing), phone=True),
        Open(PHONE_LINK_ROW, f"{dashboard.url}/{LINK}", map_painted(link), phone=True),
    ]
    held_to = {"landing, open → map painted": "limit", LIVE_ROW: "limit", "landing, open → whole page drawn": "limit",
               "landing ?present=1 at 1920×1080": "limit", LINK_ROW: "limit",
               "Themes, open → every chart drawn": "one-line Plotly page", PHONE_ROW: PHONE_LIMIT,
               PHONE_PRESENT_ROW: PHONE_LIMIT, PHONE_LINK_ROW: PHONE_LIMIT}
    # The shipped raion layer: every clone drills into raions and their ayil aimaks.
    oblast, raion = DRILLED_RAION
    opens += [Open(DRILLED_OBLAST_ROW, f"{dashboard.url}/?oblast={DRILLED}",
                   map_painted(expected_paths(None, None, GEODATA_DIR, DRILLED))),
              Open(DRILLED_RAION_ROW, f"{dashboard.url}/?raion={raion}", map_painted(raion_paths(oblast, raion)))]
    held_to |= {DRILLED_OBLAST_ROW: "limit", DRILLED_RAION_ROW: "limit"}
    return opens, held_to


# Layout shifts as the page opens (the Layout Instability API), and when the first response's map went.
SHIFTS_SCRIPT = """window.__yjShifts = []; window.__yjPreviewGone = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput)
  window.__yjShifts.push([e.startTime, e.value]); }).observe({type: 'layout-shift', buffered: true});
(function watch() { const seen = document.getElementById('yj-preview');
  if (seen) window.__yjSeen = true; else if (window.__yjSeen) { window.__yjPreviewGone = performance.now(); return; }
  setTimeout(watch, 5); })();"""
SHIFT_WINDOW_MS = 5000  # what a page's opening is: its first five seconds (Lighthouse's CLS is a page's life)
HANDOVER_MS = 150  # shifts this close to the preview's going are the hand-over's


def layout_shift(browser: Browser, url: str, ready: Callable[[Page], None], viewport: tuple[int, int] = (1400, 1000),
                 phone: bool = False) -> tuple[float, float]:
    """(The page's cumulative layout shift in its first SHIFT_WINDOW_MS, the part of it around the hand-over)."""
    if phone:
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                      is_mobile=True, has_touch=True)
    else:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    page.add_init_script(SHIFTS_SCRIPT)
    page.goto(url)
    ready(page)
    page.wait_for_function(f"() => performance.now() > {SHIFT_WINDOW_MS}", timeout=TIMEOUT_MS)
    shifts, gone = page.evaluate("[window.__yjShifts, window.__yjPreviewGone]")
    context.close()
    total = sum(value for at, value in shifts if at <= SHIFT_WINDOW_MS)
    handover = sum(value for at, value in shifts if gone and abs(at - gone) <= HANDOVER_MS)
    return total, handover


def shift_table(browser: Browser, dashboard: Server, without: Server, runs: int) -> tuple[list[str], dict[str, object]]:
    """Layout shift of the landing page, the projector and the shared link, with and without the preview."""
    landing = expected_paths(None, None)
    views = [("landing", "", (1400, 1000), False), ("?present=1 at 1920×1080", "?present=1", (1920, 1080), False),
             (f"shared link {LINK}", LINK, (1400, 1000), False), ("landing on a phone", "", (390, 844), True)]
    lines = ["| view | with the preview: CLS, median (max) | of it at the hand-over | without it: CLS, median (max) |",
             "|---|---|---|---|"]
    report: dict[str, object] = {}
    for name, query, viewport, phone in views:
        ready = paths_drawn(landing if not query.startswith("?oblast") else 1)
        with_ = [layout_shift(browser, f"{dashboard.url}/{query}", ready, viewport, phone) for _ in range(runs)]
        bare = [layout_shift(browser, f"{without.url}/{query}", ready, viewport, phone)[0] for _ in range(runs)]
        totals, handovers = [t for t, _ in with_], [h for _, h in with_]
        report[name] = {"with": totals, "handover": handovers, "without": bare}
        lines.append(f"| {name} | {statistics.median(totals):.3f} ({max(totals):.3f}) | "
                     f"{statistics.median(handovers):.3f} ({max(handovers):.3f}) | "
                     f"{statistics.median(bare):.3f} ({max(bare):.3f}) |")
    return lines, report


def import_raions(raion_file: Path, scratch: Path) -> Path:
    from geodata.coverage import read_indicator_source, write_indicators
    from geodata.importer import import_boundaries
    from initiatives import load_records

    layers = scratch / "local-layers"
    if not layers.exists():
        import_boundaries(raion_file, "raion", load_records().locations, out_dir=layers)
        indicators = raion_file.parent / "kgz_adm2_indicators_wfp_prism.json"
        if indicators.exists():
            write_indicators(read_indicator_source(indicators), layers)
    return layers


def limit_table(opens: list[Open], held_to: dict[str, str],
                filter_changes: dict[str, tuple[list[float], list[float]]],
                goals: dict[str, str]) -> tuple[list[str], dict[str, object]]:
    """Every figure as a ratio to its reference; the limit is one-line page + static map (medians).
    `filter_changes`: (ours, bare page) samples by what was waited for."""
    median = {o.name: statistics.median(o.samples) for o in opens}
    span = {o.name: f"{min(o.samples) * 1000:,.0f}–{max(o.samples) * 1000:,.0f}" for o in opens}
    median["limit"] = median["one-line page"] + median["static map (file://)"]
    phone = all(name in median for name in PHONE_REFERENCES)
    if phone:
        median[PHONE_LIMIT] = sum(median[name] for name in PHONE_REFERENCES)
    lines = ["| page / action | median (min–max) | reference, median | ratio | goal |", "|---|---|---|---|---|"]
    for name in ("one-line page", "static map (file://)", "one-line Plotly page", *(PHONE_REFERENCES * phone)):
        lines.append(f"| {name} (reference) | {median[name] * 1000:,.0f} ms ({span[name]}) | | | |")
    lines.append(f"| **limit** = one-line page + static map | {median['limit'] * 1000:,.0f} ms | | | |")
    if phone:
        lines.append(f"| **{PHONE_LIMIT}** = the same two on a phone (4× CPU) | {median[PHONE_LIMIT] * 1000:,.0f} ms "
                     "| | | |")
    report: dict[str, object] = {"samples_s": {o.name: o.samples for o in opens}, "limit_s": median["limit"]}
    for name, reference in held_to.items():
        ratio = median[name] / median[reference]
        report[name] = {"median_s": median[name], "reference": reference, "ratio": ratio}
        lines.append(f"| {name} | {median[name] * 1000:,.0f} ms ({span[name]}) | {reference} "
                     f"{median[reference] * 1000:,.0f} ms | **{ratio:.2f}×** | {goals.get(name, '')} |")
    for name, (samples, bare_samples) in filter_changes.items():
        ours, bare = statistics.median(samples), statistics.median(bare_samples)
        report[name] = {"median_s": ours, "bare_page_s": bare, "ratio": ours / bare}
        lines.append(f"| {name} | {ours * 1000:,.0f} ms ({min(samples) * 1000:,.0f}–{max(samples) * 1000:,.0f}) | "
                     f"bare streamlit-folium page {bare * 1000:,.0f} ms | **{ours / bare:.2f}×** | "
                     f"{goals.get(name, '')} |")
    return lines, report


# A filter change as the issue names it (the map's new circles and the headline number shown; the bare page has
# no numbers), and as earlier passes measured it (also every other element redrawn and the script idle).
FILTER_REPAINTED = "filter change → map and numbers repainted"
FILTER_SETTLED = "filter change → whole page redrawn, script idle"
DRILLED_OBLAST_ROW = "drilled into Jalal-Abad, its raions"
DRILLED_RAION_ROW = "drilled into a raion (Nookat), its ayil aimaks"
GOALS = {"landing, open → map painted": "≤ 0.6×", "landing, open → whole page drawn": "(no goal)",
         LIVE_ROW: "(no goal: the preview shows meanwhile)",
         "landing ?present=1 at 1920×1080": "≤ 0.6×", LINK_ROW: "≤ 0.7×", PHONE_ROW: "≤ 0.6×",
         PHONE_PRESENT_ROW: "≤ 0.6×", PHONE_LINK_ROW: "≤ 0.7×",
         DRILLED_OBLAST_ROW: "≤ 1.4×", DRILLED_RAION_ROW: "≤ 1.4×", "Themes, open → every chart drawn": "≤ 1.3×",
         "first map at 100,000 records": "≤ 1.5×", FILTER_REPAINTED: "≤ 300 ms or ≤ 0.4×",
         FILTER_SETTLED: "(no goal: what passes one to six timed)"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="rounds over every page (at least 5)")
    parser.add_argument("--scale", action="store_true", help="add the first map at 100,000 records")
    parser.add_argument("--growth", action="store_true", help="add the 5,000 / 50,000 growth table")
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)
    report: dict[str, object] = {"machine": machine(), "runs": runs}
    growth: list[dict[str, object]] = []
    with (tempfile.TemporaryDirectory() as scratch_name, sync_playwright() as playwright,
          contextlib.ExitStack() as servers):
        scratch = Path(scratch_name)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        servers.callback(browser.close)

        def started(records: Path | None = None, **kwargs) -> Server:
            server = start_server(scratch, records, **kwargs)
            servers.callback(server.stop)
            return server

        folder = baseline_folder(scratch)
        b = App("baseline", started(script=folder / "app.py", cwd=folder), '[data-testid="stMultiSelect"]',
                THEME, baseline_paths(None), baseline_paths(THEME), ".js-plotly-plot")
        a = ours(started(), None)
        without = started(env={ENABLE_ENV: "off"})  # the same dashboard, its first response without the map
        opens, held_to = limit_opens(scratch, started, a.server)
        opens.append(Open(BEFORE_ROW, without.url, map_painted(expected_paths(None, None))))
        held_to[BEFORE_ROW] = "limit"
        if args.scale:
            big = synth.write(scratch / "synth-100000", 100_000, PLACES)
            opens.append(Open("first map at 100,000 records", started(big).url,
                              paths_drawn(expected_paths(big, None))))
            held_to["first map at 100,000 records"] = "limit"
        for item in opens:  # warm-up: a server's first request compiles and caches
            item.once(browser)
        measure_once(browser, a)
        measure_once(browser, b)
        a.samples.clear()
        b.samples.clear()
        for _ in range(runs):
            for item in opens:
                item.samples.append(item.once(browser))
            measure_once(browser, a)
            measure_once(browser, b)
        filter_changes = {FILTER_REPAINTED: (a.samples["filter_repaint_s"], b.samples["filter_repaint_s"]),
                          FILTER_SETTLED: (a.samples["filter_change_s"], b.samples["filter_change_s"])}
        lines, report["limit"] = limit_table(opens, held_to, filter_changes, GOALS)
        lines = ["### Against the limit of the stack (medians, same run, pages opened in turn)", "", *lines]
        shifts, report["layout_shift"] = shift_table(browser, a.server, without, runs)
        lines += ["", "### Layout shift as the map opens (same run)", "", *shifts]
        if args.growth:
            for count in SCALES:
                records = synth.write(scratch / f"synth-{count}", count, PLACES)
                app = ours(started(records), records)
                growth.append(growth_row(browser, app, b, count, records, runs))
                app.server.stop()
    report["growth"] = growth
    lines += [] if not growth else [
              "", "### Growth with the number of initiatives (dashboard; baseline is the real-data page)", "",
              "| initiatives | load + validate | filter | filter + aggregate | text search | first map "
              "(× baseline) | filter change (× baseline) | map data | server memory |",
              "|---|---|---|---|---|---|---|---|---|"]
    for row in growth:
        lines.append(
            f"| {row['initiatives']:,} | {row['load_validate_ms']:.0f} ms | {row['filter_ms']:.2f} ms | "
            f"{row['filter_aggregate_ms']:.1f} ms | {row['text_search_ms']:.1f} ms | {row['first_map_ms']:.0f} ms "
            f"({row['first_map_vs_baseline']:.2f}×) | {row['filter_change_ms']:.0f} ms "
            f"({row['filter_vs_baseline']:.2f}×) | {row['map_kb']:.1f} KB | {row['server_rss_mib']:.0f} MiB |")
    print(f"Machine: {report['machine']}; {runs} rounds\n")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


def machine() -> str:
    """The machine the figures were measured on, as the README names it."""
    cpus = os.cpu_count()
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 ** 2
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{cpus} CPUs · {platform.machine()} · {memory} GiB · Python {platform.python_version()} · "
            f"{chromium} · Streamlit {version('streamlit')}")


if __name__ == "__main__":
    raise SystemExit(main())
