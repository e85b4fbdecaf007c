"""Benchmark: the dashboard against a bare streamlit-folium page, in Debian's headless Chromium.

    python -m bench.run                 # 5 alternations, data layer, growth table (about 5 minutes)
    python -m bench.run --runs 9 --no-scale

Both apps run on loopback at the same time; each run opens a fresh browser context (empty cache)
on A, then on B, so drift of the machine hits both alike. Figures are medians with min–max.
Results are printed as Markdown tables and written to bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import shutil
import statistics
import tempfile
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from bench import synth
from geodata.checks import check_records
from initiatives import Filters, apply_filters, count_by, headline, search_text
from tests.conftest import OFFICIAL_RAIONS, ROOT
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, INTERACTIVE, MAP_FRAME, Server, start_server

RESULTS = Path(__file__).parent / "results"
THEME = "youth"
THEME_LABEL = "Youth participation"
SCALES = (5_000, 50_000)
PLACES = 450
DRILLED = "KG-J"  # Jalal-Abad: 13 raions and cities, the most of any oblast
LOADS_FOR_MEMORY = 20
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
    samples: dict[str, list[float]] = field(default_factory=dict)
    path: str = "/"  # the page and query opened

    def add(self, metric: str, value: float) -> None:
        self.samples.setdefault(metric, []).append(value)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def wait_for_paths(page: Page, count: int, chart: str, painted: Callable[[], None] = lambda: None) -> None:
    """Until the last map frame holds exactly `count` interactive paths, the script is idle and the
    chart is drawn; `painted` is called as soon as the paths are there."""
    frame = page.frame_locator(MAP_FRAME).last
    frame.locator(INTERACTIVE).nth(count - 1).wait_for(state="attached", timeout=TIMEOUT_MS)
    painted()
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while frame.locator(INTERACTIVE).count() != count or page.locator(
            '[data-testid="stApp"][data-test-script-state="notRunning"]').count() == 0:
        if time.monotonic() > deadline:
            raise TimeoutError(f"map never showed {count} paths")
        page.wait_for_timeout(10)
    page.locator(chart).first.wait_for(state="visible", timeout=TIMEOUT_MS)


def measure_once(browser: Browser, app: App, change_filter: bool = True) -> None:
    """Open the page, wait for the map, change the theme filter, wait for the repaint."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    asset_bytes, data_bytes = [0], [0]

    def on_response(response) -> None:
        if "streamlit_folium" in (response.frame.url or ""):
            try:
                asset_bytes[0] += response.request.sizes()["responseBodySize"]
            except Exception:  # a response of a frame already gone has no sizes
                pass

    def on_websocket(ws) -> None:
        def received(payload) -> None:
            data = payload if isinstance(payload, bytes) else payload.encode()
            if b"L.map(" in data:
                data_bytes[0] += len(data)
        ws.on("framereceived", received)

    page.on("response", on_response)
    page.on("websocket", on_websocket)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")) else route.abort())
    start = time.perf_counter()
    page.goto(app.server.url + app.path)
    wait_for_paths(page, app.paths_before, app.chart,
                   painted=lambda: app.add("map_painted_s", time.perf_counter() - start))
    app.add("first_map_s", time.perf_counter() - start)
    app.add("map_data_bytes", data_bytes[0])  # the map's script and layers, over the websocket
    app.add("map_asset_bytes", asset_bytes[0])  # component bundle, Leaflet, jQuery: as sent over HTTP
    if change_filter:
        box = page.locator(app.theme_box).first
        box.click()
        page.keyboard.type(app.theme_text)
        start = time.perf_counter()
        page.keyboard.press("Enter")
        wait_for_paths(page, app.paths_after, app.chart)
        app.add("filter_change_s", time.perf_counter() - start)
    context.close()


def memory_after_loads(browser: Browser, app: App) -> None:
    """Server memory before and after LOADS_FOR_MEMORY more page loads (their timings are not kept)."""
    app.add("rss_start_mib", rss_mib(app.server.process.pid))
    scratch = replace(app, samples={})
    for _ in range(LOADS_FOR_MEMORY):
        measure_once(browser, scratch, change_filter=False)
    time.sleep(2)
    app.add("rss_after_loads_mib", rss_mib(app.server.process.pid))


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
    """A folder to run the baseline from: the script, its own static/, the dashboard's server config."""
    folder = scratch / "baseline"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "baseline_app.py", folder / "app.py")
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    return folder


OUR_BARS = ".st-key-bars_theme button"  # the landing page's theme bars (ui.widgets.clickable_bars)


def ours(server: Server, records: Path | None) -> App:
    return App("dashboard", server, '[data-testid="stSidebar"] [data-testid="stMultiSelect"]', THEME_LABEL,
               expected_paths(records, None), expected_paths(records, THEME), OUR_BARS)


def drilled_row(browser: Browser, baseline: App, scratch: Path, raion_file: Path, runs: int,
                started: Callable[..., Server]) -> dict[str, object]:
    """The dashboard drilled into the oblast with the most raions, with the official raion layer imported."""
    from geodata.coverage import read_indicator_source, write_indicators
    from geodata.importer import import_boundaries
    from initiatives import load_records

    layers = scratch / "local-layers"
    import_boundaries(raion_file, "raion", load_records().locations, out_dir=layers)
    indicators = raion_file.parent / "kgz_adm2_indicators_wfp_prism.json"
    if indicators.exists():
        write_indicators(read_indicator_source(indicators), layers)
    server = started(layers=layers)
    app = App("drilled", server, '[data-testid="stSidebar"] [data-testid="stMultiSelect"]', THEME_LABEL,
              expected_paths(None, None, layers, DRILLED), expected_paths(None, THEME, layers, DRILLED),
              OUR_BARS, path=f"/?oblast={DRILLED}")
    row = {"oblast": DRILLED, **alternated(browser, app, baseline, runs)}
    server.stop()
    return row


def stats(values: list[float]) -> tuple[float, float, float]:
    return statistics.median(values), min(values), max(values)


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


def fmt(metric: str, value: float) -> str:
    if metric.endswith("_s"):
        return f"{value * 1000:.0f} ms"
    if metric.endswith("_bytes"):
        return f"{value / 1024:.1f} KB"
    return f"{value:.0f} MiB"


def comparison_table(a: App, b: App) -> list[str]:
    lines = ["| figure | dashboard median (min–max) | baseline median (min–max) | ratio |", "|---|---|---|---|"]
    for metric in ("map_painted_s", "first_map_s", "filter_change_s", "map_data_bytes", "map_asset_bytes",
                   "rss_start_mib", "rss_after_loads_mib"):
        ma, la, ha = stats(a.samples[metric])
        mb, lb, hb = stats(b.samples[metric])
        lines.append(f"| {metric} | {fmt(metric, ma)} ({fmt(metric, la)}–{fmt(metric, ha)}) | "
                     f"{fmt(metric, mb)} ({fmt(metric, lb)}–{fmt(metric, hb)}) | {ma / mb:.2f} |")
    return lines


def compare(browser: Browser, a: App, b: App, runs: int) -> list[str]:
    """A then B, `runs` times, after one warm-up each; then memory after page loads."""
    measure_once(browser, a)  # warm-up: the first request of a server compiles and caches
    measure_once(browser, b)
    a.samples.clear()
    b.samples.clear()
    for _ in range(runs):
        measure_once(browser, a)
        measure_once(browser, b)
    memory_after_loads(browser, a)
    memory_after_loads(browser, b)
    return ["### Dashboard against the baseline (real data)", "", *comparison_table(a, b), ""]


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="alternations of A and B (at least 5)")
    parser.add_argument("--no-scale", action="store_true", help="skip the 5,000 / 50,000 growth table")
    parser.add_argument("--drilled-only", action="store_true", help="only the drilled row (and its baseline)")
    parser.add_argument("--raions", type=Path, default=OFFICIAL_RAIONS,
                        help="the official raion file (COD-AB admin 2) for the drilled row; skipped if absent")
    args = parser.parse_args(argv)
    runs = max(args.runs, 5)
    report: dict[str, object] = {"machine": f"{platform.node()} · {platform.processor() or platform.machine()} · "
                                            f"Python {platform.python_version()}", "runs": runs}
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
        lines = []
        if not args.drilled_only:
            a = ours(started(), None)
            lines = compare(browser, a, b, runs)
            report["comparison"] = {"dashboard": a.samples, "baseline": b.samples}
            a.server.stop()
        if args.raions.is_file():
            report["drilled"] = drilled_row(browser, b, scratch, args.raions, runs, started)
        else:
            print(f"no drilled row: {args.raions} is not there (--raions FILE)")
        scales: list[tuple[int, Path | None]] = [] if args.drilled_only else [(50, None)]
        if not args.no_scale and not args.drilled_only:
            scales += [(n, synth.write(scratch / f"synth-{n}", n, PLACES)) for n in SCALES]
        for count, records in scales:
            app = ours(started(records), records)
            growth.append(growth_row(browser, app, b, count, records, runs))
            app.server.stop()
    report["growth"] = growth
    lines += [] if not growth else [
              "### Growth with the number of initiatives (dashboard; baseline is the real-data page)", "",
              "| initiatives | load + validate | filter | filter + aggregate | text search | first map "
              "(× baseline) | filter change (× baseline) | map data | server memory |",
              "|---|---|---|---|---|---|---|---|---|"]
    for row in growth:
        lines.append(
            f"| {row['initiatives']:,} | {row['load_validate_ms']:.0f} ms | {row['filter_ms']:.2f} ms | "
            f"{row['filter_aggregate_ms']:.1f} ms | {row['text_search_ms']:.1f} ms | {row['first_map_ms']:.0f} ms "
            f"({row['first_map_vs_baseline']:.2f}×) | {row['filter_change_ms']:.0f} ms "
            f"({row['filter_vs_baseline']:.2f}×) | {row['map_kb']:.1f} KB | {row['server_rss_mib']:.0f} MiB |")
    if "drilled" in report:
        row = report["drilled"]
        lines += ["", "### Drilled into an oblast with raions (Jalal-Abad, official raion layer imported)", "",
                  "| first map (× baseline) | filter change (× baseline) | map data |", "|---|---|---|",
                  f"| {row['first_map_ms']:.0f} ms ({row['first_map_vs_baseline']:.2f}×) | "
                  f"{row['filter_change_ms']:.0f} ms ({row['filter_vs_baseline']:.2f}×) | {row['map_kb']:.1f} KB |"]
    print(f"Machine: {report['machine']}; {runs} runs each\n")
    print("\n".join(lines))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
