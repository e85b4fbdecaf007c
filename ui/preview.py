"""The view's map in the page's first HTML response, drawn while Streamlit boots (issue 33).

Streamlit's frontend needs about a second (its scripts, the websocket, the first run, the element code) before
the map's frame exists; the map itself, from the app's own static Leaflet, needs about 0.2 s. So the first
response carries the map of the view its URL names: the same frame script and data layer the page's st_folium
frame gets (ui.map_view, ui.map_frame: the same builders and digests, so the two cannot differ), in a frame of
its own laid where the live map will lie (static/page/map-preview.js). It hands over once the live map has drawn,
and replays a click made on it meanwhile.

Each view's preview is built once and kept (a bounded cache, keyed by the data's version and the view). A view
not yet built is built while the response waits at most PREVIEW_WAIT_S; a slower build goes on in the background
for the next viewer, and this one gets the page without a preview, as before.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from pathlib import Path

from initiatives import RecordsError, headline
from ui.i18n import t
from ui.map_view import ViewMap, oblast_heading, way_back
from ui.maps import inlined_assets
from ui.present import PAGE_CSS
from ui.state import View, url_values, view_of_query
from ui.widgets import active_filters, breadcrumb_steps, headline_cells, numbers_html

LOG = logging.getLogger(__name__)
PREVIEW_JS = Path(__file__).resolve().parents[1] / "static" / "page" / "map-preview.js"
CACHED_PREVIEWS = 64  # views kept (each ~150-250 KB); the landing page's few are the ones that matter
PREVIEW_WAIT_S = 0.25  # longest a first response waits for a view's preview to be built
ENABLE_ENV = "YJ_MAP_PREVIEW"
ROOT_DIV = '<div id="root"></div>'
STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]*>')
# Streamlit's own font, which the frame's neighbours (the title, the numbers) are measured in.
FONT_GLOB = "SourceSansVF-Upright*.woff2"

_CACHE: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
_BUILDING: dict[tuple, Future] = {}
_LOCK = threading.Lock()
_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="map-preview")  # one build at a time: never a crowd


def view_key(view: View, shade: str) -> tuple:
    """Everything the preview shows depends on: the data's version and the view."""
    f = view.filters
    return (view.data.version, view.lang, view.oblast, view.raion, view.ayil_aimak, view.present, shade,
            f.themes, f.grant_types, f.target_groups, f.statuses, f.text)


def _script_json(value: object) -> str:
    """JSON for inside a <script> element: no `<` at all, so no `</script>` or `<!--` can end or bend it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def frame_document(sent: Mapping[str, object], layer: str, height: int, lang: str) -> str:
    """The page streamlit-folium's frame makes of st_folium's arguments (its onRender): the assets (inlined:
    under HTTP/1.1 the page's own ~20 module requests went first, and the preview's map waited for them) and
    header, the map's div at the frame's height, the map's script and the data layer's. YJ_PREVIEW tells our
    map scripts that this is not the page's frame (static/map/map-first.js sends nothing from here)."""
    inline = inlined_assets()

    def asset(url: str, tag: str) -> str:
        if url in inline:
            return "<{0}>{1}</{0}>".format(*inline[url])
        return f'<link rel="stylesheet" href="{url}">' if tag == "link" else f'<script src="{url}"></script>'

    links = "".join(asset(href, "link") for href in sent["css_links"])
    scripts = "".join(asset(src, "script") for src in sent["js_links"])
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><script>window.YJ_PREVIEW=true</script>'
            f'{links}{sent["header"]}</head><body>'
            f'<div id="parent" class="float-container single"><div class="float-child">'
            f'<div id="map_div" style="height:{int(height)}px"></div></div></div>'
            f'{sent["html"]}{scripts}<script>{sent["script"]}window.map=map_div;{layer}'
            f'{CLICK_RECORDER}</script></body></html>')


# In the preview's frame: a click on a shape or circle is handed to the page (map-preview.js), which replays it
# on the live map; the shape is outlined meanwhile, so the click is seen to have landed.
CLICK_RECORDER = """(function () {
  Object.values(map_div._layers).forEach(function (layer) {
    if (!layer.feature || !layer.on) return;
    layer.on('click', function (event) {
      if (layer.setStyle) layer.setStyle({weight: 4, color: '#000000'});
      map_div.getContainer().style.cursor = 'progress';
      if (window.parent.yjPreviewClicked) window.parent.yjPreviewClicked(layer.feature.properties, event.latlng);
    });
  });
})();"""


@cache
def _font_url() -> str:
    from streamlit import file_util

    media = Path(file_util.get_static_dir()) / "static" / "media"
    found = sorted(media.glob(FONT_GLOB))
    return f"./static/media/{found[0].name}" if found else ""


def preview_markup(view: View, shade: str, location: str = "") -> tuple[str, str]:
    """What the first response carries (head, body): the script that places the preview and hands it over, and
    before Streamlit's root the preview's frame document and what its place on the page is measured from (the
    title, subtitle, numbers and hint above the map, measured in the page's own type)."""
    from ui.map_frame import frame_parts, layer_script  # streamlit-folium only once Streamlit's runtime runs

    the_map = ViewMap(view, shade)
    sent = frame_parts(the_map.frame_digest, the_map.key, the_map.basemap)
    layer = layer_script(the_map.layer_digest, the_map.initiatives_layer)
    document = frame_document(sent, layer, the_map.height, view.lang)
    # The breadcrumb's row, shown once there is a step back or a filter (ui.widgets.breadcrumb), and the drilled
    # place's heading with its way back: their words, for the page's script to lay out as the page does.
    steps = [label for label, _, _ in breadcrumb_steps(view, location)]
    chips = [label for _, _, label in active_filters(view)]
    place = {
        "present": view.present,
        "crumb": {"steps": steps, "chips": chips} if len(steps) > 1 or chips else None,
        "heading": view.t("showing_oblast", oblast=oblast_heading(view)[2]) if view.oblast else "",
        "back": way_back(view)[0] if view.oblast else "",
        "title": view.t("app_title"),
        "subtitle": view.t("app_subtitle"),
        "hint": the_map.hint,
        "numbers": numbers_html(headline_cells(view, headline(view.rows))),
        "font": _font_url(),
    }
    # Hidden until the hand-over; should the script ever fail, the page still shows itself after 30 s. What is
    # inside inherits the root's hiding: Streamlit's markdown sets its text visible, which showed (and moved)
    # under the preview's own text.
    head = ('<style id="yj-preview-style">#root{visibility:hidden;animation:yj-shown 0s 30s forwards}'
            '#root *{visibility:inherit}'
            f'@keyframes yj-shown{{to{{visibility:visible}}}}</style>{PAGE_CSS}')
    body = (f'<script type="application/json" id="yj-preview-doc">{_script_json(document)}</script>'
            f'<script type="application/json" id="yj-preview-place">{_script_json(place)}</script>'
            f'<div id="yj-preview" data-title="{html.escape(t("map_preview", view.lang))}" '
            f'style="position:fixed;z-index:1000;visibility:hidden;left:0;top:0"></div>'
            f"<script>{PREVIEW_JS.read_text(encoding='utf-8')}</script>")
    return head, body


def _build(key: tuple, view: View, shade: str, location: str) -> tuple[str, str]:
    markup = preview_markup(view, shade, location)
    with _LOCK:
        _CACHE[key] = markup
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHED_PREVIEWS:
            _CACHE.popitem(last=False)
    return markup  # _done drops it from _BUILDING, whether built or not


def _done(key: tuple, future: Future) -> None:
    if future.exception() is not None:  # logged once; the page is served as before
        LOG.warning("map preview for %s not built: %s", key[1:], future.exception())
    with _LOCK:
        _BUILDING.pop(key, None)


def preview_future(query: Mapping[str, list[str]]) -> Future | None:
    """The preview of the view this URL query names: at once from the cache, else a build (one per view).
    None when there is no dataset to draw (the page says why) or the view has no map."""
    from ui.data import dataset

    try:
        data = dataset()
    except RecordsError:
        return None
    view, shade = view_of_query(query, data)
    location = str(url_values(query, data).get("location", ""))  # a place's step in the breadcrumb
    key = (*view_key(view, shade), location)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            done: Future = Future()
            done.set_result(_CACHE[key])
            return done
        if key not in _BUILDING:
            future = _POOL.submit(_build, key, view, shade, location)
            future.add_done_callback(lambda f, key=key: _done(key, f))
            _BUILDING[key] = future
        return _BUILDING[key]


def enabled() -> bool:
    """$YJ_MAP_PREVIEW=off serves the pages without it: for the benchmark's before-and-after, and a way to rule it
    out wherever a page misbehaves."""
    return os.environ.get(ENABLE_ENV, "on").lower() not in ("off", "0", "false", "no")


async def preview_for(query: Mapping[str, list[str]]) -> tuple[str, str] | None:
    """The preview's markup for the first response, or None when it is not ready within PREVIEW_WAIT_S."""
    if not enabled():
        return None
    try:
        future = await asyncio.to_thread(preview_future, query)
        if future is None:
            return None
        return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), PREVIEW_WAIT_S)
    except TimeoutError:
        return None
    except Exception as err:  # a preview is an extra: never a reason for a page not to open
        LOG.warning("map preview not served: %s", err)
        return None


def warm() -> None:
    """Build the landing page's preview (the whole country, in the default language) as the server starts, so
    that its first viewer gets it too."""
    if enabled():
        _POOL.submit(preview_future, {})


def with_preview(page: str, markup: tuple[str, str] | None) -> str:
    """The page with the preview's head part first in its head, and its body part before Streamlit's root,
    Streamlit's stylesheet after it: a script waits for every stylesheet before it, and that one waits behind
    the page's ~20 module requests (the preview came ~0.2 s later). Nothing of Streamlit's is drawn before its
    scripts run, which wait for the stylesheet wherever it is."""
    if not markup:
        return page
    head, body = markup
    styles = "".join(STYLESHEET.findall(page))
    page = STYLESHEET.sub("", page)
    start = page.index("<head>") + len("<head>")
    return (page[:start] + head + page[start:]).replace(ROOT_DIV, body + styles + ROOT_DIV, 1)


def cached_views() -> int:
    with _LOCK:
        return len(_CACHE)
