"""The dashboard on the audience's phones (issue 31): Chromium emulating a phone, 390×844 at 3× and 360×780,
with touch, in Kyrgyz, Russian and English. And a click on a circle at 1366×768 brings its initiatives into
view, as a tap does on a phone."""

from __future__ import annotations

import io
import re
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.e2e.conftest import (
    INTERACTIVE,
    circles,
    map_frame,
    shot,
    start_server,
    wait_for_map,
    wait_for_url,
    watch,
)
from tests.e2e.test_raion_drill import shown_labels
from tests.e2e.test_surface import CHART_MARGINS
from ui.maps import OUTSIDE_COLOUR as GREY
from ui.venue import lan_address

pytestmark = pytest.mark.e2e

PHONES = [(390, 844), (360, 780)]
LANGS = ("ky", "ru", "en")
OBLASTS = 8  # the oblast paths come first among the map's shapes (Bishkek and Osh city included)
# Every element's scroll offset and the window's: what a swipe that scrolls the page changes, wherever
# Streamlit puts its scrolling container.
SCROLLED = """() => window.scrollY + [...document.querySelectorAll('*')].reduce((sum, e) => sum + e.scrollTop, 0)"""


@pytest.fixture
def new_phone(browser) -> Iterator:
    contexts = []

    def make(width: int, height: int):
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=3,
                                      has_touch=True, is_mobile=True)
        contexts.append(context)
        return watch(context.new_page())

    yield make
    for context in contexts:
        context.close()


def open_map(page, url: str, settle_ms: int):
    """Open `url`, wait for its map, and let the map settle (its fit and labels); the map's frame."""
    page.goto(url)
    frame = wait_for_map(page)
    page.wait_for_timeout(settle_ms)
    return frame


def country_box(page) -> dict[str, float]:
    """The page-coordinates box around the oblasts' shapes (the whole country as drawn)."""
    frame = map_frame(page)
    boxes = [frame.locator(INTERACTIVE).nth(i).bounding_box() for i in range(OBLASTS)]
    return {"left": min(b["x"] for b in boxes), "right": max(b["x"] + b["width"] for b in boxes),
            "top": min(b["y"] for b in boxes), "bottom": max(b["y"] + b["height"] for b in boxes)}


@pytest.mark.parametrize("size", PHONES, ids=["390x844", "360x780"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_map_page_fits_a_phone(server, new_phone, size, lang):
    watched = new_phone(*size)
    page = watched.page
    frame = open_map(page, f"{server.url}/?lang={lang}", 1200)
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    title = page.locator("h1").first.bounding_box()
    header = page.locator('header[data-testid="stHeader"]').bounding_box()
    assert title["y"] >= header["y"] + header["height"] - 1, "the title clear of Streamlit's header"
    numbers = [dd.bounding_box() for dd in page.locator(".yj-numbers dd").all()[:4]]
    rows = sorted({round(b["y"]) for b in numbers})
    assert len(rows) == 2 and all(sum(round(b["y"]) == r for b in numbers) == 2 for r in rows), "numbers 2×2"
    shown_labels(frame)  # no two shown labels overlap
    box, area = country_box(page), page.locator("iframe").first.bounding_box()
    drawn = box["right"] - box["left"]
    assert drawn >= 0.8 * area["width"] and box["left"] >= area["x"] - 1, "the country fits the map's width"
    shot(page, f"phone-{lang}-{size[0]}x{size[1]}")
    watched.assert_clean()


def test_one_finger_scrolls_the_page_and_leaves_the_map(server, new_phone):
    watched = new_phone(390, 844)
    page = watched.page
    open_map(page, f"{server.url}/?lang=en", 1000)
    area = page.locator("iframe").first.bounding_box()
    before, country = page.evaluate(f"({SCROLLED})()"), country_box(page)
    x, y = area["x"] + area["width"] / 2, area["y"] + 200  # inside the map, on screen
    assert y < 844 - 50
    swipe(page, x, y, -250)
    page.wait_for_timeout(600)
    assert page.evaluate(f"({SCROLLED})()") - before > 100, "a one-finger swipe over the map scrolls the page"
    moved = country_box(page)
    shift = (moved["top"] - country["top"]) - (page.locator("iframe").first.bounding_box()["y"] - area["y"])
    assert abs(shift) < 2, "and the map stays where it was inside its frame"
    watched.assert_clean()


def swipe(page, x: float, y: float, dy: float) -> None:
    """One finger down at (x, y), moved `dy` px in ten steps, lifted: touch events as the phone sends them."""
    session = page.context.new_cdp_session(page)
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        point = {"x": x, "y": y + dy * step / 10}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def open_a_circle(page, tap: bool, own: bool = True) -> None:
    """Tap or click the first circle of the drilled oblast (`own`), or of a neighbour (drawn grey)."""
    frame = map_frame(page)
    paths = frame.locator(INTERACTIVE)
    index = next(i for i in circles(frame) if (paths.nth(i).get_attribute("fill") != GREY) == own)
    circle = frame.locator(INTERACTIVE).nth(index)
    circle.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = circle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    if tap:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)
    wait_for_url(page, "location=")


def place_in_view(page) -> bool:
    for _ in range(40):
        top = page.locator(".st-key-yj-place").first.bounding_box()
        if top and 0 <= top["y"] < page.evaluate("() => window.innerHeight") * 0.6:
            return True
        page.wait_for_timeout(150)
    return False


@pytest.mark.parametrize("lang", LANGS)
def test_a_tap_on_a_circle_brings_its_initiatives_into_view(server, new_phone, lang):
    watched = new_phone(390, 844)
    page = watched.page
    open_map(page, f"{server.url}/?lang={lang}&oblast=KG-T", 800)
    open_a_circle(page, tap=True)
    assert place_in_view(page), "the place's initiatives scrolled into view"
    shot(page, f"phone-{lang}-place")
    watched.assert_clean()


def test_at_1366x768_a_click_on_a_circle_brings_its_initiatives_into_view(server, new_page):
    watched = new_page(1366, 768)
    page = watched.page
    open_map(page, f"{server.url}/?lang=ru&oblast=KG-T", 800)
    open_a_circle(page, tap=False)
    assert place_in_view(page)
    first = page.url
    page.go_back()
    wait_for_url(page, "location=", present=False)
    page.wait_for_timeout(800)
    open_a_circle(page, tap=False)  # the same click again: the same answer
    assert page.url == first and place_in_view(page)
    page.go_back()
    wait_for_url(page, "location=", present=False)
    page.wait_for_timeout(800)
    open_a_circle(page, tap=False, own=False)  # a neighbour's: its oblast opens, and the place in view
    wait_for_url(page, "oblast=KG-T", present=False)
    assert place_in_view(page)
    watched.assert_clean()


def test_a_rerun_after_the_click_leaves_the_page_where_the_viewer_scrolled_it(server, new_page):
    """The scroll belongs to the click: the page's later reruns (a shading chosen, with the place still open) keep
    the frame that scrolled, and must not bring the place into view again once the viewer has scrolled away."""
    watched = new_page(1366, 768)
    page = watched.page
    open_map(page, f"{server.url}/?lang=en&oblast=KG-T", 800)
    open_a_circle(page, tap=False)
    assert place_in_view(page)
    page.wait_for_timeout(3500)  # the click's scroll has held the place in view, and let go
    shading = page.locator(".st-key-w_shade [role=radiogroup] label")  # the choices, not the group's label
    shading.nth(1).click()  # the CSO grants: scrolls the page up to the radio, as the viewer would
    wait_for_url(page, "shade=")
    at = shading.nth(1).bounding_box()["y"]
    page.wait_for_timeout(2500)  # the rerun drawn, and the time the click's scroll would take
    assert abs(shading.nth(1).bounding_box()["y"] - at) < 8, "the page stayed where the viewer put it"
    watched.assert_clean()


@pytest.mark.parametrize("lang", LANGS)
def test_themes_read_on_a_phone(server, new_phone, lang):
    watched = new_phone(360, 780)
    page = watched.page
    page.goto(f"{server.url}/themes?lang={lang}")
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .bars path, g.slice path').length > 40",
                           timeout=45_000)
    page.wait_for_timeout(800)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "no sideways scrolling"
    charts = page.evaluate(CHART_MARGINS)
    assert len(charts) == 4
    for chart in charts:
        assert chart["outside"] == 0 and not chart["overlapping"], chart
        assert chart["thinnest"] >= 12, f"bars at least 12 px tall: {chart}"
    assert not page.locator(".modebar-container").first.is_visible(), "no Plotly toolbar on a touch screen"
    shot(page, f"phone-themes-{lang}")
    watched.assert_clean()


TITLES = {"ky": "Ынтымактуу Жашоо: тынчтык", "ru": "Жить в согласии: охват"}


def test_a_shared_presentation_link_lets_a_phone_choose_its_language_and_find_the_filters(server, new_phone):
    watched = new_phone(390, 844)
    page = watched.page
    open_map(page, f"{server.url}/?present=1&lang=ky&oblast=KG-C", 800)
    title = page.locator("h1").first
    assert TITLES["ky"] in title.inner_text()
    languages = page.locator(".st-key-present_languages button")
    named = [t.split()[-1] for t in languages.all_inner_texts()]
    assert named == ["Русский", "English"]
    assert languages.first.bounding_box()["y"] + languages.first.bounding_box()["height"] <= title.bounding_box()["y"]
    page.get_by_role("button", name="Русский").tap()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'ru'", timeout=20_000)
    page.get_by_role("heading", name=re.compile(TITLES["ru"])).wait_for(timeout=20_000)
    assert "present=1" in page.url and "oblast=KG-C" in page.url, "the same view, now in Russian"
    # The run's stale buttons go once it has finished: wait for the two it draws now, then read them.
    page.wait_for_function("""() => [...document.querySelectorAll('.st-key-present_languages button')]
        .map(b => b.innerText.trim().split(/\\s+/).pop()).join() === 'Кыргызча,English'""", timeout=20_000)
    assert [t.split()[-1] for t in languages.all_inner_texts()] == ["Кыргызча", "English"]
    assert title.bounding_box()["height"] < 100, "the title in two lines at most"
    page.get_by_role("button", name="Выйти из презентации").tap()  # the way to the filters
    page.wait_for_function("() => !location.search.includes('present')", timeout=20_000)
    page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"]').first.wait_for(
        timeout=20_000)
    watched.assert_clean()


VENUE = {"ky": ("Телефондо ачуу", "127.0.0.1"), "ru": ("Открыть на телефоне", "127.0.0.1"),
         "en": ("Open on your phone", "127.0.0.1")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_server_on_loopback_says_the_room_cannot_reach_it(server, new_page, lang):
    watched = new_page(1280, 720)
    page = watched.page
    page.goto(f"{server.url}/?present=1&lang={lang}&oblast=KG-C")
    wait_for_map(page)
    button, address = VENUE[lang]
    assert_no_scroll = "() => document.scrollingElement.scrollHeight <= window.innerHeight + 1"
    assert page.evaluate(assert_no_scroll), "the column with the room's link still fits 1280×720"
    page.get_by_role("button", name=button).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    assert address in dialog.inner_text() and not dialog.locator("img").count(), "no code nobody can use"
    watched.assert_clean()


@pytest.fixture(scope="module")
def venue_server(tmp_path_factory):
    """The dashboard listening on every interface, as at a venue; the browser still opens it on loopback."""
    srv = start_server(tmp_path_factory.mktemp("venue"), address="0.0.0.0")
    yield srv
    srv.stop()


def test_the_room_gets_a_code_of_this_view_at_an_address_it_can_reach(venue_server, new_page):
    watched = new_page(1920, 1080)
    page = watched.page
    page.goto(f"{venue_server.url}/?present=1&lang=ru&oblast=KG-C&theme=youth")
    wait_for_map(page)
    page.get_by_role("button", name=VENUE["ru"][0]).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for(timeout=30_000)
    network = lan_address()
    if network is None:  # a machine with loopback only: the dialog says there is no address to give
        assert "Адрес этого компьютера в сети не найден" in dialog.inner_text()
        return
    code = dialog.locator(".st-key-yj-venue-qr img")
    code.wait_for(timeout=30_000)
    port = venue_server.url.rsplit(":", 1)[1]
    expected = f"http://{network}:{port}/?lang=ru&oblast=KG-C&theme=youth"
    read = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())))]
    assert len(read) == 1 and sorted(urlsplit(read[0]).query.split("&")) == sorted(urlsplit(expected).query.split("&"))
    assert read[0].split("?")[0] == expected.split("?")[0], "this machine's network address, not loopback"
    assert "present" not in read[0], "the room gets the view, not the presenter's mode"
    assert code.bounding_box()["width"] >= 400, "big enough to scan from the room"
    with urllib.request.urlopen(f"http://{network}:{port}/_stcore/health", timeout=10) as answer:
        assert answer.status == 200, "the address reaches this server"
    shot(page, "present-room-link-ru")
    watched.assert_clean()
