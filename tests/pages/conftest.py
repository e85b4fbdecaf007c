"""AppTest helpers: run the real entry point, optionally on other records or with a URL query."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, oblasts_only
from ui.state import MAP_SHOWN
from ui.widgets import numbers_in


def run_app(query: dict[str, str] | None = None, page: str | None = None, map_drawn: bool = True) -> AppTest:
    """`map_drawn`: a session whose browser has drawn its first map, so the map page draws all of itself
    (ui.state.map_first; AppTest runs no browser to say so)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if map_drawn:
        at.session_state[MAP_SHOWN] = True
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The numbers a page shows, label -> value: its rows of numbers (ui.widgets.numbers_row) and metrics."""
    shown = {m.label: m.value for m in at.metric}
    for element in at.get("html"):
        shown |= numbers_in(element.proto.body)
    return shown


def map_args(at: AppTest) -> dict:
    """The arguments streamlit-folium sends to the browser: script, asset links, ..."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def map_layers(at: AppTest) -> str:
    """The script of the map's data layer (oblast shading and location circles)."""
    return map_args(at)["feature_group"] or ""


@pytest.fixture(autouse=True)
def committed_records(monkeypatch):
    monkeypatch.delenv("YJ_RECORDS", raising=False)
    monkeypatch.delenv("YJ_GEODATA_DIR", raising=False)
    monkeypatch.setenv("YJ_LAYERS_DIR", "/nonexistent/local-layers")  # a developer's own imports stay out


@pytest.fixture
def no_raion_layer(tmp_path, monkeypatch):
    """YJ_GEODATA_DIR at the oblast layers alone: no raion layer anywhere, so no raions."""
    folder = oblasts_only(tmp_path / "oblasts-only")
    monkeypatch.setenv("YJ_GEODATA_DIR", str(folder))
    return folder
