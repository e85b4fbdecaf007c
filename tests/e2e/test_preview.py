"""The map in the first response (ui/preview.py): the same map as the live one, in its place, handed over
without a lost click, in the URL's language, with nothing from outside 127.0.0.1."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import MAP_FRAME, PREVIEW_FRAME, built, preview_frame, wait_for_map

pytestmark = pytest.mark.e2e

# What a map draws: every shape's outline (its place and size on the screen), the names laid on it, the circles.
DRAWN = r"""() => {
  const shapes = document.querySelectorAll('.leaflet-container path.leaflet-interactive');
  const paths = [...shapes].map(p => p.getAttribute('d'));
  return {paths: paths.slice().sort(), circles: paths.filter(d => /a[\d.]+,[\d.]+ 0 1,0/.test(d)).length,
          labels: [...document.querySelectorAll('.yj-label div')].map(d => d.textContent).sort(),
          zoom: [...document.querySelectorAll('.leaflet-control-zoom a')].map(a => a.title)};
}"""


# A point of the page's frame where an oblast (by ISO code) is what a click there reaches.
INSIDE = """code => {
  const layer = Object.values(map._layers).find(l => l.feature && l.feature.properties.iso_code === code && l._path);
  const r = layer._path.getBoundingClientRect();
  for (let i = 1; i < 20; i++) for (let j = 1; j < 20; j++) {
    const x = r.left + r.width * i / 20, y = r.top + r.height * j / 20;
    if (document.elementFromPoint(x, y) === layer._path) return [x, y];
  }
  throw new Error('no point of ' + code + ' to click');
}"""


# Watches the page while the preview is shown: the first element of Streamlit's with text seen meanwhile (it
# would show through, and move, under the preview's own text).
SHOWN_UNDER = """if (window.top === window) { window.yjShownUnder = null; let seen = false;
  (function watch() {
    const preview = document.getElementById('yj-preview');
    if (preview && preview.style.visibility === 'visible') {
      seen = true;
      const shown = [...document.querySelectorAll('#root *')].find(e => e.getClientRects().length
        && getComputedStyle(e).visibility === 'visible' && e.textContent.trim());
      if (shown && !window.yjShownUnder)
        window.yjShownUnder = (shown.getAttribute('data-testid') || shown.tagName) + ': ' + shown.textContent.trim();
    }
    if (preview || !seen) requestAnimationFrame(watch);
  })();
}"""


# The words the preview draws above its map (title, subtitle, breadcrumb, numbers, drilled heading, way back,
# hint): each one's text and place, and after the hand-over the place of the page's own element that says it
# (how each wraps shows in where the next one starts, and the last in where the map does).
SHELL = """() => [...document.querySelectorAll('[data-part]')].map(e => {
  const r = e.getBoundingClientRect();
  return [e.dataset.part, e.textContent.trim(), Math.round(r.left), Math.round(r.top)];
})"""
PAGE_BOX = """([part, text]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const candidates = {crumb: '.st-key-breadcrumb', numbers: 'dl', title: 'h1', heading: 'h3', back: 'button',
                      subtitle: '[data-testid="stCaptionContainer"]', hint: '[data-testid="stCaptionContainer"]'};
  const found = [...main.querySelectorAll(candidates[part])].find(e => part === 'crumb' || part === 'numbers'
    || e.textContent.trim() === text);
  if (!found) return null;
  const r = found.getBoundingClientRect();
  return [part, text, Math.round(r.left), Math.round(r.top)];
}"""


def box(page: Page, selector: str) -> tuple[int, ...]:
    rect = page.locator(selector).last.bounding_box()
    return tuple(round(rect[k]) for k in ("x", "y", "width", "height"))


VIEWS = [("/", 1400, 1000), ("/?oblast=KG-O&lang=ru", 1400, 1000), ("/?raion=KG06242000000&lang=en", 1400, 1000),
         ("/?present=1&lang=ky", 1920, 1080), ("/?theme=youth&shade=lsg&lang=ky", 1280, 720)]


@pytest.mark.parametrize(("path", "width", "height"), VIEWS)
def test_the_preview_is_the_live_map_in_its_place(server, held_page, path, width, height):
    built(server.url + path)
    held = held_page(width, height)
    held.page.add_init_script(SHOWN_UNDER)
    held.page.goto(server.url + path, wait_until="commit")  # its load waits for what is held
    preview = preview_frame(held.page)
    held.page.wait_for_timeout(300)  # its labels placed (leaflet-fixes.js), the page's font in
    before = preview.evaluate(DRAWN)
    place = box(held.page, "#yj-preview")
    words = held.page.evaluate(SHELL)
    assert held.page.locator("#root").evaluate("r => getComputedStyle(r).visibility") == "hidden"
    held.release()
    wait_for_map(held.page)
    live = held.page.locator(MAP_FRAME).last.element_handle().content_frame().evaluate(DRAWN)
    assert live["paths"], "the live map drew nothing"
    if "present" in path:
        # The projector's live map is sometimes made while its frame still has the component's 560 px, before the
        # page's CSS gives it the screen's height: Leaflet keeps the zoom it fitted then. The preview is made at
        # the final height. So its outlines are compared only in count here (a race of the live map, not ours).
        assert len(before.pop("paths")) == len(live.pop("paths"))
    assert before == live  # the same shapes at the same pixels, the same names, circles and zoom titles
    assert box(held.page, MAP_FRAME) == place  # and where the live map lies, so nothing moves at the hand-over
    held.page.locator("#yj-preview").wait_for(state="detached", timeout=10_000)  # a tick after the page is whole
    # The words above the map said by the page in the same places: nothing jumps at the hand-over.
    drilled, filtered = "oblast=" in path or "raion=" in path, "theme=" in path
    wanted = (["title"] if "present" in path else
              ["title", "subtitle"] + ["crumb"] * (drilled or filtered) + ["numbers"] + ["heading", "back"] * drilled
              + ["hint"])
    assert [part for part, *_ in words] == wanted
    assert [held.page.evaluate(PAGE_BOX, [part, text]) for part, text, *_ in words] == words
    assert held.page.locator("#root").evaluate("r => getComputedStyle(r).visibility") == "visible"
    assert held.page.evaluate("window.yjShownUnder") is None  # nothing of the page showed through meanwhile
    assert held.outside == []


def test_the_preview_speaks_the_urls_language(server, held_page):
    built(server.url + "/?lang=ru")
    held = held_page()
    held.page.goto(server.url + "/?lang=ru", wait_until="commit")  # its load waits for what is held
    preview = preview_frame(held.page)
    assert preview.evaluate(DRAWN)["zoom"] == ["Приблизить", "Отдалить"]
    assert "Чуйская" in " ".join(preview.evaluate(DRAWN)["labels"])
    assert held.page.locator(PREVIEW_FRAME).get_attribute("title") == "Карта"


def test_a_click_on_the_preview_is_replayed_on_the_live_map(server, held_page):
    """Osh oblast clicked before Streamlit has booted: once it has, the view is Osh's, as if clicked there."""
    built(server.url + "/?lang=en")
    held = held_page()
    held.page.goto(server.url + "/?lang=en", wait_until="commit")  # its load waits for what is held
    preview = preview_frame(held.page)
    held.page.wait_for_timeout(300)
    x, y = preview.evaluate(INSIDE, "KG-O")
    frame_at = held.page.locator(PREVIEW_FRAME).bounding_box()
    held.page.mouse.click(frame_at["x"] + x, frame_at["y"] + y)  # a real click, where the oblast is drawn
    held.release()
    held.page.wait_for_function("() => location.search.includes('oblast=KG-O')", timeout=45_000)
    wait_for_map(held.page)
    held.page.get_by_text("Showing Osh", exact=False).first.wait_for(timeout=30_000)


def test_a_zoom_on_the_preview_is_where_the_live_map_takes_over(server, held_page):
    """Zoomed in on the preview before Streamlit has booted: the live map takes over at that zoom and centre."""
    built(server.url + "/?lang=ky")
    held = held_page()
    held.page.goto(server.url + "/?lang=ky", wait_until="commit")  # its load waits for what is held
    preview = preview_frame(held.page)
    first = preview.evaluate("map_div.getZoom()")
    held.page.frame_locator(PREVIEW_FRAME).locator(".leaflet-control-zoom-in").click()  # a real click
    preview.wait_for_function(f"map_div.getZoom() > {first}", timeout=10_000)
    held.page.wait_for_timeout(400)  # the zoom's animation over
    zoomed = preview.evaluate("[map_div.getZoom(), map_div.getCenter().lat, map_div.getCenter().lng]")
    held.release()
    wait_for_map(held.page)
    held.page.locator("#yj-preview").wait_for(state="detached", timeout=30_000)
    live = held.page.locator(MAP_FRAME).last.element_handle().content_frame()
    zoom, lat, lng = live.evaluate("[map.getZoom(), map.getCenter().lat, map.getCenter().lng]")
    assert zoom == zoomed[0] > first
    # the same centre, to a quarter of a pixel at this zoom (Leaflet rounds a view to whole pixels)
    assert abs(lat - zoomed[1]) < 0.002 and abs(lng - zoomed[2]) < 0.002


def test_a_page_without_a_map_hands_over_too(server, held_page):
    """No preview is left over a page that draws no map: a page other than the map's has none at all, and
    the map page's preview goes when the app moves to another page."""
    held = held_page()
    held.page.goto(server.url + "/themes", wait_until="commit")  # its load waits for what is held
    assert held.page.locator("#yj-preview").count() == 0
    held.release()
    held.page.locator(".js-plotly-plot").first.wait_for(timeout=45_000)
    assert held.page.locator("#root").evaluate("r => getComputedStyle(r).visibility") == "visible"
