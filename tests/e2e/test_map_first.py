"""A session's first map comes before the rest of the map page (issue 15; ui.state.map_first): the frame says
when it has drawn, the page then draws the sidebar, the location picker and the bars; if the frame never says
so, the page's timer draws them anyway; a later frame says nothing."""

from __future__ import annotations

import re

from tests.e2e.conftest import MAP_FRAME, wait_for_map, wait_for_metric
from ui.state import MAP_FIRST_CLASS

# Polled in the page every 10 ms: when the map's first path, the first sidebar filter and the location
# picker first exist (Date.now(), one clock for the page and its same-origin frame).
FIRST_SEEN = """(() => {
  window.__seen = {};
  const mark = (name, found) => { if (found && !(name in window.__seen)) window.__seen[name] = Date.now(); };
  const poll = setInterval(() => {
    const frame = document.querySelector('MAP_FRAME');
    let doc = null;
    try { doc = frame && frame.contentDocument; } catch (e) {}
    mark("map", doc && doc.querySelector(".leaflet-overlay-pane path"));
    mark("sidebar", document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]'));
    mark("picker", document.querySelector(".st-key-w_location"));
    if (Object.keys(window.__seen).length === 3) clearInterval(poll);
  }, 10);
})();""".replace("MAP_FRAME", MAP_FRAME)


def sent_frames(page) -> list[int]:
    """Every websocket message the page sends from now on (the browser's reruns and widget values)."""
    sent: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(len(payload))))
    return sent


def test_the_first_map_is_drawn_before_the_sidebar_and_the_rest_follows_unasked(server, new_page):
    watched = new_page(1400, 1000)
    watched.page.add_init_script(FIRST_SEEN)
    watched.page.goto(f"{server.url}/?lang=ru")
    wait_for_map(watched.page)
    watched.page.locator(".st-key-w_location").wait_for(timeout=30_000)  # no click, no scroll: it comes
    watched.page.wait_for_function("() => Object.keys(window.__seen).length === 3", timeout=30_000)
    seen = watched.page.evaluate("window.__seen")
    assert seen["map"] < seen["sidebar"] and seen["map"] < seen["picker"], seen
    assert watched.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').count() >= 2
    assert watched.page.locator(f".{MAP_FIRST_CLASS}").count() == 0, "no longer waiting"
    watched.assert_clean()


def test_a_map_that_never_says_it_is_drawn_still_gets_the_rest_of_the_page(server, new_page):
    """The page's timer (ui.widgets.map_wait_timer): here the frame is made to look for a mark no page has."""
    watched = new_page(1400, 1000)

    def silent(route):
        response = route.fetch()
        body = response.text()
        assert f".{MAP_FIRST_CLASS}" in body, "the frame looks for the page's mark"
        route.fulfill(response=response, body=body.replace(f".{MAP_FIRST_CLASS}", ".no-such-mark"))

    watched.page.route("**/map-scripts.js", silent)
    watched.page.goto(f"{server.url}/")
    wait_for_map(watched.page)
    watched.page.locator(".st-key-w_location").wait_for(timeout=30_000)
    watched.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.wait_for(timeout=10_000)
    watched.assert_clean()


def test_a_later_map_frame_asks_for_no_rerun(server, new_page):
    """Only a session's first map sends the value: drilled (a new frame), nothing is sent once it is drawn."""
    watched = new_page(1400, 1000)
    sent = sent_frames(watched.page)
    watched.page.goto(f"{server.url}/")
    wait_for_map(watched.page)
    sidebar = watched.page.locator('[data-testid="stSidebar"]')
    oblast = sidebar.locator(".st-key-w_oblast").get_by_role("combobox")
    oblast.click()
    oblast.fill("Naryn")
    watched.page.keyboard.press("Enter")
    wait_for_metric(watched.page, "Oblasts", "1")
    watched.page.wait_for_function(
        f"""() => {{ const frames = document.querySelectorAll('{MAP_FRAME}');
                    const doc = frames[frames.length - 1].contentDocument;
                    return doc && doc.querySelectorAll('.leaflet-overlay-pane path').length > 0
                           && location.search.includes('oblast=KG-N'); }}""", timeout=30_000)
    before = len(sent)
    watched.page.wait_for_timeout(2_000)
    assert len(sent) == before, f"{len(sent) - before} message(s) sent by a page nobody touched"
    assert re.search(r"oblast=KG-N", watched.page.url)
    watched.assert_clean()
