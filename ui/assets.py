"""Leaflet and jQuery served by this app from installed XStatic packages, never from a CDN.

Streamlit serves files under static/ beside dashboard.py at /app/static/ (enableStaticServing
in .streamlit/config.toml); the vendor files are copied there from the packages at start-up.
"""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import folium
import xstatic.pkg.jquery
import xstatic.pkg.leaflet

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
URL_PREFIX = "/app/static/vendor"
# Our own changes to Leaflet's defaults (first click, km scale, attribution), committed under static/map/
# and loaded right after leaflet.js.
LEAFLET_FIXES_JS = STATIC_DIR / "map" / "leaflet-fixes.js"
# Tells the page when a session's first map is drawn (see ui.state.map_first); does nothing outside a page.
MAP_FIRST_JS = STATIC_DIR / "map" / "map-first.js"
# streamlit-folium's frame loads its scripts one after another, each a round trip before the next may
# start (bench/trace.py: leaflet.js, then the fixes, then jQuery, ~50 ms each). So they go as one file,
# in that order, written beside the vendor files at start-up.
MAP_SCRIPTS = "map-scripts.js"
MAP_SCRIPTS_URL = f"{URL_PREFIX}/{MAP_SCRIPTS}"
_FILES = {
    "leaflet/leaflet.js": Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.js",
    "leaflet/leaflet.css": Path(xstatic.pkg.leaflet.BASE_DIR) / "leaflet.css",
    "jquery/jquery.min.js": Path(xstatic.pkg.jquery.BASE_DIR) / "jquery.min.js",
}
_DIRS = {"leaflet/images": Path(xstatic.pkg.leaflet.BASE_DIR) / "images"}


@cache
def ensure_static_assets(vendor_dir: Path = VENDOR_DIR) -> None:
    """Copy the vendor files into static/vendor unless they are already there; once per server process."""
    for relative, source in _FILES.items():
        target = vendor_dir / relative
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for relative, source in _DIRS.items():
        shutil.copytree(source, vendor_dir / relative, dirs_exist_ok=True)
    scripts = map_scripts_text().encode("utf-8")
    target = vendor_dir / MAP_SCRIPTS
    if not target.exists() or target.read_bytes() != scripts:
        target.write_bytes(scripts)


def asset_text(relative: str) -> str:
    """The text of one vendor file, for inlining into a standalone HTML export."""
    return _FILES[relative].read_text(encoding="utf-8")


def map_scripts_text() -> str:
    """Leaflet, our fixes to it (static/map/leaflet-fixes.js, before any map is made), jQuery, then the
    signal that the map is drawn (static/map/map-first.js)."""
    parts = (asset_text("leaflet/leaflet.js"), LEAFLET_FIXES_JS.read_text(encoding="utf-8"),
             asset_text("jquery/jquery.min.js"), MAP_FIRST_JS.read_text(encoding="utf-8"))
    return "\n;\n".join(parts)


class OfflineMap(folium.Map):
    """A folium Map whose only assets are Leaflet and jQuery from this app's own server."""

    default_js = [("map_scripts", MAP_SCRIPTS_URL)]
    default_css = [("leaflet_css", f"{URL_PREFIX}/leaflet/leaflet.css")]
