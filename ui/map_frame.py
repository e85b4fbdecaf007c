"""The map widget: streamlit-folium's frame, with the map's scripts built once per view, not once per rerun.

st_folium turns the folium objects into JavaScript on every rerun, and branca compiles each rendered
script as a Jinja template on the way: about half of a map-page rerun, and what kept many viewers
waiting on one server. The text depends only on what the map shows, so it is made once and sent again
as it is: the frame (basemap and view) once per drill-down level, recorded from st_folium itself with
its component stood in for; the data layer once per filter result, by st_folium's own function for it.
The frame, its key and the click value stay st_folium's, so a filter change still swaps the data layer
inside the same frame.

Uses two private names of streamlit-folium (`_component_func`, `_get_feature_group_string`); the
version is pinned in requirements.txt and the page tests read what reaches the browser.

A layer's build also compiled every script it rendered as a Jinja template, for nothing: branca wraps
each rendered script in a new Element (`Element(script(...))`), and Element compiles its text at once,
while st_folium asks every element for its script again and never renders those. About 60 % of a
layer's build (36 compiles, ~25 ms a filter change). branca's Element now compiles its text when it is
first used (LazyTemplate), which is when a whole figure is rendered (the map's HTML download): the same
output, compiled only where it is used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import branca.element
import folium
import jinja2
import streamlit as st
import streamlit_folium
from streamlit.runtime import Runtime


class LazyTemplate:
    """A Jinja template compiled on first use: what branca's Element holds instead of a compiled one."""

    __slots__ = ("_source", "_compiled")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: jinja2.Template | None = None

    def __getattr__(self, name: str) -> Any:  # .render, .module: compiled then, once
        if self._compiled is None:
            self._compiled = jinja2.Template(self._source)
        return getattr(self._compiled, name)


# Only Element's constructor (and its unpickling) looks this name up; every class-level template of
# branca and folium was compiled at import, as before.
branca.element.Template = LazyTemplate

# The real component, held before anything stands in for it.
_COMPONENT = streamlit_folium._component_func


def _ensure_registered() -> None:
    """Streamlit registers a component (and so serves its frame) only when it is declared inside a script run;
    the first response's map (ui.preview) may import this module first, on a thread of its own, even before the
    runtime exists. Unregistered, every map frame answered 404."""
    if Runtime.exists():
        registry = Runtime.instance().component_registry
        if registry.get_component_path(_COMPONENT.name) is None:
            registry.register_component(_COMPONENT)

_RECORDING = threading.Lock()
# What belongs to the widget on the page, not to the map's content.
_PER_CALL = ("height", "width", "on_change", "feature_group")
# Bounded memory however many filter combinations viewers try: a layer's script is ~40 KB.
CACHED_LAYERS = 256
# A click reruns the page; panning and zooming do not. With the feature alone, a second click on the same
# circle sent the same value, which Streamlit takes for no change: nothing opened (issue 31). The
# component's click count makes every click a new value.
RETURNED = ["last_active_drawing", "last_object_clicked_count"]


@st.cache_resource(max_entries=64, show_spinner=False)
def _frame(digest: str, key: str, _build: Callable[[], folium.Map]) -> dict[str, Any]:
    """What st_folium sends to the browser for the basemap alone (script, header, key, asset links)."""
    sent: dict[str, Any] = {}

    def stand_in(**kwargs: Any) -> Any:
        sent.update(kwargs)
        return kwargs.get("default")

    base = _build()
    with _RECORDING:  # the module-level swap must not be seen by another session's recording
        streamlit_folium._component_func = stand_in
        try:
            # render=False: st_folium renders the map once itself in any case; a second render is waste.
            streamlit_folium.st_folium(base, key=key, render=False, returned_objects=RETURNED)
        finally:
            streamlit_folium._component_func = _COMPONENT
    # The frame starts its click count at 0 and sends its value whenever that differs from the default:
    # st_folium's default of None made every map send one value as soon as it was drawn, a rerun for nothing
    # (which rewrote the URL after Back, seen in the browser tests).
    sent["default"] = {**(sent.get("default") or {}), "last_object_clicked_count": 0}
    return {name: value for name, value in sent.items() if name not in _PER_CALL}


@st.cache_resource(max_entries=CACHED_LAYERS, show_spinner=False)
def _layer(digest: str, _build: Callable[[], folium.FeatureGroup]) -> str:
    """The data layer's script; any map can carry it while it is made, the frame's map is named map_div."""
    return streamlit_folium._get_feature_group_string(_build(), map=folium.Map(tiles=None))


def frame_parts(frame: str, key: str, build_frame: Callable[[], folium.Map]) -> dict[str, Any]:
    """What st_folium sends for this basemap (cached): also what the first response's map is made of (ui.preview)."""
    _ensure_registered()
    return _frame(frame, key, build_frame)


def layer_script(layer: str, build_layer: Callable[[], folium.FeatureGroup]) -> str:
    """The data layer's script (cached), as the frame gets it."""
    return _layer(layer, build_layer)


def map_frame(*, frame: str, build_frame: Callable[[], folium.Map], layer: str,
              build_layer: Callable[[], folium.FeatureGroup], key: str, height: int,
              on_change: Callable[[], None]) -> Any:
    """st_folium(build_frame(), feature_group_to_add=build_layer(), key=key, ...), each part built only
    the first time its digest (see ui.data.digest) is shown. Shared across sessions, never modified."""
    sent = frame_parts(frame, key, build_frame)
    frame_key = sent["key"]  # st_folium's: a hash of the basemap's script, so one frame per basemap

    def changed() -> None:
        # As st_folium does: the value is stored under the frame's key; the page reads it under `key`.
        st.session_state[key] = st.session_state.get(frame_key, {})
        on_change()

    return _COMPONENT(**sent, feature_group=layer_script(layer, build_layer), height=height, width=None,
                      on_change=changed)
