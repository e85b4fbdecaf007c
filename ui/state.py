"""The shared view: sidebar filters, language and drill-down, mirrored in the URL query.

Rendered once per run by dashboard.py (the entry point), so the same widgets exist on every
page and their values survive page changes; pages read the result with `current_view()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from initiatives import Filters, apply_filters, vocab
from ui.data import Dataset
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, t

# Widget keys double as URL query names.
MULTI_KEYS = {"theme": vocab.themes, "grant_type": vocab.grant_types, "target_group": vocab.target_groups}
SINGLE_KEYS = ("oblast", "lang", "q", "present", "location", "shade")
SHADES = ("all", "cso", "lsg")
_VIEW = "_view"
_SYNCED = "_synced_from_url"


@dataclass(frozen=True)
class View:
    """What every page needs: the data, the filters, the filtered rows, the language."""

    data: Dataset
    filters: Filters
    rows: pd.DataFrame
    lang: str
    oblast: str  # "" for the whole country
    present: bool

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def _valid(key: str, value: str, data: Dataset) -> bool:
    if key == "oblast":
        return value in set(data.records.table["oblast_code"])
    if key == "lang":
        return value in LANGUAGES
    if key == "location":
        return value in set(data.records.table["location_id"])
    if key == "shade":
        return value in SHADES
    return True


def _sync_from_url(data: Dataset) -> None:
    """On a session's first run, copy valid query values into widget state (bad ones are dropped)."""
    if st.session_state.get(_SYNCED):
        return
    params = st.query_params
    for key, vocabulary in MULTI_KEYS.items():
        wanted = [v for v in params.get_all(key) for v in v.split(",")]
        st.session_state[key] = [v for v in wanted if v in vocabulary().codes]
    for key in SINGLE_KEYS:
        value = params.get(key, "")
        if value and _valid(key, value, data):
            st.session_state[key] = value in ("1", "true") if key == "present" else value
    st.session_state[_SYNCED] = True


def _sync_to_url() -> None:
    wanted: dict[str, str | list[str]] = {}
    for key in MULTI_KEYS:
        if st.session_state.get(key):
            wanted[key] = list(st.session_state[key])
    for key in SINGLE_KEYS:
        value = st.session_state.get(key)
        if key == "present":
            if value:
                wanted[key] = "1"
        elif value and not (key == "lang" and value == DEFAULT_LANGUAGE) and not (key == "shade" and value == "all"):
            wanted[key] = str(value)
    current = {k: (st.query_params.get_all(k) if k in MULTI_KEYS else st.query_params.get(k))
               for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def clear_filters() -> None:
    """Callback: back to the whole programme (language and mode stay)."""
    for key in MULTI_KEYS:
        st.session_state[key] = []
    for key in ("oblast", "q", "location"):
        st.session_state[key] = ""


def choose_oblast(code: str) -> None:
    """Callback for drill-down: a map click or a button sets the oblast, dropping a stale location."""
    st.session_state["oblast"] = code
    st.session_state["location"] = ""


def click_target(value: dict | None, oblast_codes: set[str], location_ids: set[str]) -> tuple[str, str] | None:
    """What a map click points at: ("oblast", code), ("location", id), or None."""
    feature = (value or {}).get("last_active_drawing") or {}
    props = feature.get("properties") or {}
    if props.get("iso_code") in oblast_codes:
        return "oblast", props["iso_code"]
    if props.get("location_id") in location_ids:
        return "location", props["location_id"]
    return None


def on_map_click() -> None:
    """Callback of the map (key "map"): drill into the clicked oblast, or open the clicked location."""
    table = current_view().data.records.table
    target = click_target(st.session_state.get("map"), set(table["oblast_code"]), set(table["location_id"]))
    if target and target[0] == "oblast":
        choose_oblast(target[1])
    elif target:
        st.session_state["location"] = target[1]


def render_sidebar(data: Dataset) -> View:
    """Draw the shared filters and return the view they define."""
    _sync_from_url(data)
    st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
    table = data.records.table
    sidebar = st.sidebar
    sidebar.selectbox(t("language", st.session_state["lang"]), LANGUAGES, key="lang",
                      format_func=LANGUAGE_NAMES.get)
    lang = st.session_state["lang"]
    sidebar.header(t("filters", lang))
    oblasts = vocab.oblasts()
    present_codes = [c for c in oblasts.codes if c in set(table["oblast_code"])]
    st.session_state.setdefault("oblast", "")
    sidebar.selectbox(t("oblast", lang), ["", *present_codes], key="oblast",
                      format_func=lambda c: oblasts.label(c, lang) if c else t("all_kyrgyzstan", lang))
    for key, vocabulary in MULTI_KEYS.items():
        voc = vocabulary()
        st.session_state.setdefault(key, [])
        sidebar.multiselect(t(key, lang), voc.codes, key=key,
                            format_func=lambda c, voc=voc: voc.label(c, lang))
    st.session_state.setdefault("q", "")
    sidebar.text_input(t("search", lang), key="q")
    sidebar.button(t("clear_filters", lang), on_click=clear_filters, width="stretch")
    st.session_state.setdefault("present", False)
    sidebar.toggle(t("presentation_mode", lang), key="present")
    st.session_state.setdefault("location", "")
    st.session_state.setdefault("shade", "all")
    _sync_to_url()
    oblast = st.session_state["oblast"]
    filters = Filters(
        oblasts=(oblast,) if oblast else (),
        themes=tuple(st.session_state["theme"]),
        grant_types=tuple(st.session_state["grant_type"]),
        target_groups=tuple(st.session_state["target_group"]),
        text=st.session_state["q"],
    )
    rows = apply_filters(table, filters, data.haystack)
    view = View(data, filters, rows, lang, oblast, bool(st.session_state["present"]))
    st.session_state[_VIEW] = view
    return view


def current_view() -> View:
    """The view dashboard.py built in this run."""
    return st.session_state[_VIEW]
