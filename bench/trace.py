"""Where the time of one page open goes: a timeline of requests, websocket messages and what each frame draws.

    python -m bench.trace                  # the landing page, 3 fresh browser contexts after a warm-up
    python -m bench.trace --path /themes   # another page (Themes: until every chart is drawn)
    python -m bench.trace --py-spy out.txt # also sample the server with py-spy (collapsed stacks) during the opens
    python -m bench.trace --filter         # from choosing the theme "Youth participation" to the map repainted
    python -m bench.trace --path "/?oblast=KG-J" --raions   # drilled, with the official raion layer imported
    python -m bench.trace --filter --commits   # also each React commit: how many components drew, in which elements

Every frame gets a MutationObserver and a 5 ms poll (an init script) that logs when the page's landmarks first appear;
requests and websocket frames are timed by Playwright. Times are milliseconds from `goto`.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.run import THEME, THEME_LABEL, THEMES_CHARTS, charts_drawn, choose, expected_paths, import_raions, oblast_in
from tests.conftest import OFFICIAL_RAIONS
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, SCRIPT_IDLE, start_server
from ui.widgets import NUMBERS_CLASS

LANDMARKS = {
    "sidebar": '[data-testid="stSidebar"] [data-testid="stSidebarUserContent"] *',
    "title": '[data-testid="stMain"] h1',
    "numbers": f'.{NUMBERS_CLASS}, [data-testid="stMetric"]',
    "map iframe": 'iframe[src*="/streamlit_folium.st_folium/"]',
    "plotly chart": ".js-plotly-plot g.point path, .js-plotly-plot g.slice path",
    "leaflet container": ".leaflet-container",
    "first map path": "path.leaflet-interactive",
    "script idle": SCRIPT_IDLE,
}

OBSERVER = """(() => {
  const landmarks = %s, seen = new Set(), where = window === window.top ? 'page' : 'map';
  window.__marks = [];
  const mark = (name, extra) => window.__marks.push([Date.now(), `${where} ${name} ${extra || ''}`]);
  const look = () => {
    for (const [name, selector] of Object.entries(landmarks)) {
      if (!seen.has(name) && document.querySelector(selector)) { seen.add(name); mark(name); }
    }
    const paths = document.querySelectorAll('path.leaflet-interactive').length;
    if (paths && !seen.has('paths ' + paths)) { seen.add('paths ' + paths); mark('map paths', paths); }
    if (window.L && !seen.has('L')) { seen.add('L'); mark('Leaflet defined'); }
  };
  new PerformanceObserver(list => list.getEntries().forEach(e => window.__marks.push(
    [Math.round(performance.timeOrigin + e.startTime), `${where} long task ${Math.round(e.duration)} ms`])))
    .observe({type: 'longtask', buffered: true});
  document.addEventListener('DOMContentLoaded', () => { mark('DOMContentLoaded'); look(); });
  new MutationObserver(look).observe(document, {subtree: true, childList: true, attributes: true});
  // streamlit-folium rewrites its frame's document, which silences an observer: poll as well.
  const poll = setInterval(look, 5);
  setTimeout(() => clearInterval(poll), 60000);
})();"""


# React's hook for its developer tools, stood in for before React loads: at every commit of the page, the
# components that drew (props or state not those of the last commit), counted by the Streamlit element they
# are in (its data-testid; "(app)" for the frame around the elements). Not the time they took: the production
# build keeps none; a count that falls is work that went.
COMMITS = """(() => {
  if (window !== window.top) return;
  const seen = new WeakMap(), frames = new Set(['stVerticalBlock', 'stHorizontalBlock', 'stColumn',
    'stElementContainer', 'stLayoutWrapper', 'stMarkdownContainer', 'stTooltipHoverTarget', 'stWidgetLabel']);
  const element = fiber => {
    for (let f = fiber; f; f = f.return) {
      const id = typeof f.type === 'string' && f.memoizedProps && f.memoizedProps['data-testid'];
      if (id && /^st[A-Z]/.test(id) && !frames.has(id)) return id;
    }
    return '(app)';
  };
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {supportsFiber: true, renderers: new Map(), inject: () => 1,
    checkDCE() {}, onScheduleFiberRoot() {}, onPostCommitFiberRoot() {}, onCommitFiberUnmount() {},
    onCommitFiberRoot(id, root) {
      const drew = {}; let total = 0;
      for (const stack = [root.current]; stack.length;) {
        const f = stack.pop(), last = seen.get(f) || (f.alternate && seen.get(f.alternate));
        if (typeof f.type !== 'string' && (!last || last[0] !== f.memoizedProps || last[1] !== f.memoizedState)) {
          const where = element(f); drew[where] = (drew[where] || 0) + 1; total++;
        }
        seen.set(f, [f.memoizedProps, f.memoizedState]);
        if (f.child) stack.push(f.child);
        if (f.sibling) stack.push(f.sibling);
      }
      const top = Object.entries(drew).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, n]) => `${k} ${n}`);
      window.__marks.push([Date.now(), `page commit: ${total} components (${top.join(', ')})`]);  // OBSERVER's
    }};
})();"""


def trace_once(browser, url: str, paths: int, change_filter: bool = False,
               commits: bool = False) -> list[tuple[float, str]]:
    import json

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(OBSERVER % json.dumps(LANDMARKS))
    if commits:
        context.add_init_script(COMMITS)
    page = context.new_page()
    events: list[tuple[float, str]] = []
    start = [0.0]

    def at() -> float:
        return (time.time() - start[0]) * 1000

    page.on("request", lambda r: events.append((at(), f"→ {r.method} {short(r.url)}")))
    page.on("requestfinished", lambda r: events.append(
        (at(), f"← {short(r.url)} {r.sizes()['responseBodySize'] / 1024:.1f} KB")))

    def on_websocket(ws) -> None:
        events.append((at(), "websocket opened"))
        ws.on("framesent", lambda p: events.append((at(), f"ws ↑ {len(p)} B")))
        ws.on("framereceived", lambda p: events.append((at(), f"ws ↓ {len(p) / 1024:.1f} KB")))
    page.on("websocket", on_websocket)
    frame = page.frame_locator('iframe[src*="/streamlit_folium.st_folium/"]').last
    start[0] = time.time()
    page.goto(url)
    if paths:
        frame.locator("path.leaflet-interactive").nth(paths - 1).wait_for(state="attached", timeout=120_000)
    elif url.split("?")[0].endswith("/themes"):
        charts_drawn(THEMES_CHARTS)(page)
        events.append((at(), "every chart drawn"))
    if change_filter:
        page.wait_for_timeout(1000)
        events.clear()
        for item in page.frames:
            item.evaluate("window.__marks = []")
        after = expected_paths(None, THEME)  # before the clock starts: events are stamped as Python reads them
        box = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
        box.click()
        choose(page, THEME_LABEL)
        start[0] = time.time()
        page.keyboard.press("Enter")
        while frame.locator("path.leaflet-interactive").count() != after:
            page.wait_for_timeout(5)
        events.append((at(), f"map shows {after} paths"))
    page.wait_for_timeout(1500)
    for frame in page.frames:
        for epoch_ms, what in frame.evaluate("window.__marks || []"):
            events.append(((epoch_ms / 1000 - start[0]) * 1000, what))
    context.close()
    return sorted(events)


def short(url: str) -> str:
    path = url.split("//", 1)[-1].split("/", 1)[-1]
    return "/" + (path if len(path) < 90 else path[:60] + "…" + path[-25:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.trace", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path", default="/")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--py-spy", type=Path, help="write py-spy's collapsed stacks of the server to this file")
    parser.add_argument("--filter", action="store_true", help="trace a filter change instead of the open")
    parser.add_argument("--raions", action="store_true", help="with the official raion layer (../shared) imported")
    parser.add_argument("--commits", action="store_true", help="log every React commit of the page (COMMITS)")
    args = parser.parse_args(argv)
    oblast = oblast_in(args.path)
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        layers = import_raions(OFFICIAL_RAIONS, Path(scratch)) if args.raions else None
        paths = expected_paths(None, None, layers, oblast) if args.path.split("?")[0] == "/" else 0
        server = start_server(Path(scratch), layers=layers)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            first = trace_once(browser, server.url + args.path, paths, args.filter, args.commits)  # first viewer
            painted = [ms for ms, what in first if what.startswith("map map paths")]
            print(f"first open after the server started: map painted at {max(painted, default=0):.0f} ms")
            spy = None if args.py_spy is None else subprocess.Popen(
                ["py-spy", "record", "--pid", str(server.process.pid), "--rate", "100", "--subprocesses",
                 "--output", str(args.py_spy), "--format", "raw", "--idle"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for run in range(args.runs):
                print(f"\n## open {run + 1}: {args.path}")
                for ms, what in trace_once(browser, server.url + args.path, paths, args.filter, args.commits):
                    print(f"{ms:8.0f}  {what}")
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C, not on SIGTERM
                spy.wait(timeout=30)
        finally:
            browser.close()
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
