"""A real Streamlit server on loopback and Debian's Chromium driven by Playwright.

Every request that is not to 127.0.0.1 is aborted and recorded, so a page that needs the
internet fails its test. Screenshots go to tests/e2e/artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT
from ui.state import MAP_FIRST_CLASS
from ui.widgets import NUMBERS_CLASS

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MAP_FRAME = 'iframe[src*="/streamlit_folium.st_folium/"]'
INTERACTIVE = ".leaflet-container path.leaflet-interactive"
CIRCLE = re.compile(r"a[\d.]+,[\d.]+ 0 1,0")  # Leaflet draws a circle marker as two arcs
GREY = "#9e9e9e"  # ui.maps.OUTSIDE_COLOUR: a place beyond the drilled oblast
CARD = re.compile(r"^(CSO|LSG)-\d+ · ")  # the first line of an initiative's card


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(tmp_dir: Path, records: Path | None = None, script: Path = ROOT / "dashboard.py",
                 cwd: Path = ROOT, layers: Path | None = None, geodata: Path | None = None,
                 address: str = "127.0.0.1", port: int | None = None, env: dict[str, str] | None = None,
                 options: tuple[str, ...] = (), app_args: tuple[str, ...] = ()) -> Server:
    """`streamlit run script` on a free loopback port (cwd decides which .streamlit/config.toml applies).

    Imported raion layers only from `layers`: a developer's own local-layers/ stays out, as on CI; so the
    server is what a fresh clone serves. `geodata`: another folder of shipped layers (YJ_GEODATA_DIR).
    `address`: where it listens ("" for every interface, as at a venue); the tests reach it on loopback.
    `port`, `env`, `options` (Streamlit's, e.g. --secrets.files) and `app_args` (the dashboard's own, after
    `--`): for the editing tests, which sign in through a provider that must know the port beforehand.
    """
    port = port or free_port()
    log = tmp_dir / f"streamlit-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT),
           "YJ_LAYERS_DIR": str(layers or tmp_dir / "no-local-layers"),
           **({"YJ_GEODATA_DIR": str(geodata)} if geodata else {}), **(env or {})}
    env.pop("DISPLAY", None)
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
               "--server.address", address, "--server.headless", "true",
               "--browser.gatherUsageStats", "false", *options]
    args = [*(["--records", str(records)] if records else []), *app_args]
    if args:
        command += ["--", *args]
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return Server(url, process, log)
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"streamlit did not start:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("server"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def raion_server(tmp_path_factory, local_layers) -> Iterator[Server]:
    """The dashboard with the official raion layer and indicators imported."""
    srv = start_server(tmp_path_factory.mktemp("raions"), layers=local_layers)
    yield srv
    srv.stop()


@dataclass
class Watched:
    """A page plus everything that went wrong on it."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    aborted: list[str] = field(default_factory=list)
    loaded: set[str] = field(default_factory=set)
    console_errors: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests outside 127.0.0.1: {self.blocked}"
        assert self.failed == [], f"failed requests: {self.failed}"
        # A drill-down replaces the map frame; a script the old frame was still fetching is
        # aborted by the browser. That is fine only if the new frame then loaded it.
        never_loaded = [url for url in self.aborted if url not in self.loaded]
        assert never_loaded == [], f"aborted and never loaded: {never_loaded}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


def watch(page: Page) -> Watched:
    watched = Watched(page)

    def route(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            watched.blocked.append(url)
            route.abort()

    def request_failed(request) -> None:
        if request.url in watched.blocked:
            return
        if request.failure == "net::ERR_ABORTED":
            watched.aborted.append(request.url)
        else:
            watched.failed.append(f"{request.url} {request.failure}")

    page.route("**/*", route)
    page.on("requestfailed", request_failed)
    page.on("requestfinished", lambda r: watched.loaded.add(r.url))
    page.on("response", lambda r: watched.failed.append(f"{r.url} HTTP {r.status}")
            if r.status >= 400 else None)
    page.on("console", lambda m: watched.console_errors.append(m.text)
            if m.type == "error" else None)
    page.on("pageerror", lambda e: watched.console_errors.append(str(e)))
    return watched


@pytest.fixture
def new_page(browser) -> Iterator:
    contexts = []

    def make(width: int = 1400, height: int = 1600) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(context)
        return watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


def map_frame(page: Page):
    """The last map iframe (during a rerun two can exist for a moment)."""
    return page.frame_locator(MAP_FRAME).last


SCRIPT_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The page has drawn all it will: no longer waiting for its first map (ui.state.map_first), script idle, and
# no element still a skeleton (its kind's code not yet arrived: the map page asks for none ahead, so the
# sidebar's filters take their place, and their final size, a moment after the script is done), and the first
# response's map handed over (ui/preview.py: it covers the live map until then).
PAGE_SETTLED = f"""() => document.querySelector('.{MAP_FIRST_CLASS}') === null
    && document.querySelector('{SCRIPT_IDLE}') !== null
    && document.querySelector('[data-testid="stSkeleton"]') === null
    && document.getElementById('yj-preview') === null"""


def wait_for_map(page: Page, timeout: float = 45_000):
    """The map drawn, and the rest of the page drawn after it (a session's first map comes first)."""
    frame = map_frame(page)
    frame.locator(INTERACTIVE).first.wait_for(state="attached", timeout=timeout)
    page.wait_for_function(PAGE_SETTLED, timeout=timeout)
    return frame


def hover_until(page: Page, frame, index: int, wanted: str, settle: int = 80) -> tuple[float, float] | None:
    """Slide the pointer across map path `index` until its tooltip starts with `wanted`; return that point.
    `settle`: how long (ms) a tooltip is given to show at each point."""
    path = frame.locator(INTERACTIVE).nth(index)
    box = path.bounding_box()
    for fy in (0.5, 0.35, 0.65):
        for fx in [i / 20 for i in range(1, 20)]:
            point = {"x": box["width"] * fx, "y": box["height"] * fy}
            path.hover(position=point, force=True)
            page.wait_for_timeout(settle)
            if tooltip_text(frame).startswith(wanted):
                return point["x"], point["y"]
    return None


def circles(frame) -> list[int]:
    """The indices, among the map's interactive paths, of the locations' circles (not oblasts or raions)."""
    paths = frame.locator(INTERACTIVE)
    return [i for i in range(paths.count()) if CIRCLE.search(paths.nth(i).get_attribute("d") or "")]


def tooltip_text(frame) -> str:
    """The visible tooltip's text, or "" (a tooltip can vanish between finding and reading it)."""
    tips = frame.locator(".leaflet-tooltip")
    try:
        return tips.last.inner_text(timeout=1000) if tips.count() else ""
    except PlaywrightTimeout:
        return ""


def metric(page: Page, label: str) -> str:
    """The number shown under `label`: in a row of numbers (ui.widgets.numbers_row) or a metric (the projector)."""
    card = page.locator(f'.{NUMBERS_CLASS} > div, [data-testid="stMetric"]', has_text=label).first
    return card.locator('dd, [data-testid="stMetricValue"]').inner_text()


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def download(page: Page, url: str, button: str, target: Path) -> Path:
    """Open `url`, click the download button named `button`, save the file as `target`."""
    page.goto(url)
    control = page.get_by_role("button", name=button)
    control.wait_for(timeout=45_000)
    with page.expect_download() as started:
        control.click()
    started.value.save_as(target)
    return target


def click_shape(page, frame, first: int, wanted: str) -> None:
    """Click the first map shape from index `first` on whose tooltip starts with `wanted`."""
    shapes = frame.locator(INTERACTIVE)
    for index in range(first, shapes.count()):
        point = hover_until(page, frame, index, wanted)
        if point:
            shapes.nth(index).click(position={"x": point[0], "y": point[1]}, force=True)
            return
    raise AssertionError(f"no shape on the map shows a tooltip starting with {wanted!r}")


def wait_for_url(page, part: str, present: bool = True) -> None:
    page.wait_for_function(f"() => {'' if present else '!'}location.search.includes({part!r})", timeout=30_000)


def wait_for_metric(page, label: str, value: str) -> None:
    """The rerun a click starts repaints the numbers a moment after the URL changes."""
    for _ in range(150):
        if metric(page, label) == value:
            return
        page.wait_for_timeout(200)
    assert metric(page, label) == value


def click_circle_named(page, frame, wanted: str) -> None:
    """Click the circle whose tooltip starts with `wanted` (a real click, where its tooltip showed). A second
    pass gives each tooltip longer to show: on a loaded machine 80 ms was once not enough for any."""
    paths = frame.locator(INTERACTIVE)
    for settle in (80, 400):
        for i in circles(frame):
            point = hover_until(page, frame, i, wanted, settle)
            if point:
                paths.nth(i).click(position={"x": point[0], "y": point[1]}, force=True)
                return
    raise AssertionError(f"no circle named {wanted}")


PREVIEW_FRAME = "#yj-preview iframe"
STREAMLIT_ENTRY = re.compile(r"/static/js/index\.[\w-]+\.js$")  # Streamlit's frontend: held, it never boots


class Held:
    """A page whose Streamlit frontend is held back (its entry script's request waits), so the first
    response's preview is all there is until `release()`; every request outside 127.0.0.1 is recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.held: list[Route] = []
        self.outside: list[str] = []
        page.route("**/*", self._route)

    def _route(self, route: Route) -> None:
        url = route.request.url
        if not url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")):
            self.outside.append(url)
            route.abort()
        elif STREAMLIT_ENTRY.search(url) and self.held is not None:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        held, self.held = self.held, None
        for route in held:
            route.continue_()


@pytest.fixture
def held_page(browser) -> Iterator:
    contexts = []

    def make(width: int = 1400, height: int = 1000) -> Held:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return Held(context.new_page())

    yield make
    for context in contexts:
        context.close()


def built(url: str) -> None:
    """Until the server's first response for this view carries its preview (built in the background when not
    ready at once, ui.preview.PREVIEW_WAIT_S): a loaded machine must not make the tests below test nothing."""
    for _ in range(100):
        with urllib.request.urlopen(url) as response:
            if b'id="yj-preview"' in response.read():
                return
        time.sleep(0.1)
    raise AssertionError(f"no preview in the first response of {url}")


def preview_frame(page: Page):
    page.frame_locator(PREVIEW_FRAME).locator(INTERACTIVE).first.wait_for(state="attached", timeout=30_000)
    return page.locator(PREVIEW_FRAME).element_handle().content_frame()
