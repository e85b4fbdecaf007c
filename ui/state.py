"""The shared view: sidebar filters, language and drill-down, mirrored in the URL query.

Rendered once per run by dashboard.py (the entry point), so the same widgets exist on every
page and their values survive page changes; pages read the result with `current_view()`.
"""

from __future__ import annotations

import runpy
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from initiatives import Filters, apply_filters, vocab
from initiatives.query import MAX_QUERY_CHARS
from ui.data import Dataset
from ui.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, RETURN_LANGUAGE_COOKIE, accepted_language, t
from ui.text import markdown_text

MULTI_KEYS = {"theme": vocab.themes, "grant_type": vocab.grant_types, "target_group": vocab.target_groups,
              "status": vocab.status_choices}
SINGLE_KEYS = ("oblast", "raion", "aa", "lang", "q", "present", "location", "shade")
SHADES = ("all", "cso", "lsg")
PRESENT_VALUES = ("1", "true")  # ?present=1 (or true) opens presentation mode
DEFAULTS: dict[str, object] = {"lang": DEFAULT_LANGUAGE, "oblast": "", "raion": "", "aa": "", "theme": [],
                               "grant_type": [], "target_group": [], "status": [], "q": "", "present": False,
                               "location": "",
                               "shade": "all"}
_VIEW = "_view"
# Whether the page running now was started by dashboard.py: per script thread, not in session state, because
# after a page's st.stop() every Streamlit call raises again, so a flag set back there stayed set.
_ENTRY_POINT_RUN = threading.local()
ENTRY_POINT = Path(__file__).resolve().parent.parent / "dashboard.py"
_STORE = "_view_state"
_WRITTEN = "_url_written"  # the query this session last put in the URL
_UNNAMED_LANG = "_unnamed_lang"  # the language this browser gets where the URL names none
# Whether a run drew the filter widgets: set by draw_sidebar, moved aside as each run starts (drawn_default).
_FILTERS_DRAWN, _FILTERS_BEFORE = "_filters_drawn", "_filters_drawn_last_run"
_TO_MAP = "_to_map"  # a chart opened a location: its initiatives are read on the map page
_PLACE_CLICKED = "_place_clicked"  # the map's last click opened a place (place_just_clicked)
MAP_SHOWN = "_map_shown"  # this session's browser has drawn a map (or the page stopped waiting for it)
MAP_PAINTED = {"painted": True}  # the value the map's frame sends once it has drawn (static/map/map-first.js)
# A page waiting for the map's value holds a container with this key; Streamlit gives it the class
# st-key-<key>, which static/map/map-first.js looks for in the page. A container, not an HTML mark in
# Markdown: HTML in Markdown costs the browser a 184 KB file (rehype-raw) before the page's elements show.
MAP_FIRST_KEY = "yj-map-first"
MAP_FIRST_CLASS = f"st-key-{MAP_FIRST_KEY}"
MAP_FIRST_ID_END = f"-{MAP_FIRST_KEY}"  # Streamlit ends that container's element id with its key (tests, bench.load)


# The view's state lives in one plain dict (the store), not in widget state: Streamlit can give a
# widget a new identity between runs (it does on a fresh server's first session, see pages/README.md),
# and a widget that is "new" falls back to its default. So each widget is drawn with its value from the
# store (hence global.disableWidgetStateDuplicationWarning in .streamlit/config.toml) wherever it may hold
# none of its own (drawn_default: the filters), and copies its changes back in on_change; code that changes
# the view calls set_value().


def store() -> dict[str, object]:
    """The current view state (query names -> values), created with defaults."""
    if _STORE not in st.session_state:
        st.session_state[_STORE] = {k: (list(v) if isinstance(v, list) else v) for k, v in DEFAULTS.items()}
    return st.session_state[_STORE]


def widget_key(name: str) -> str:
    return f"w_{name}"


def _copy_from_widget(name: str) -> None:
    store()[name] = st.session_state[widget_key(name)]


def set_value(name: str, value: object) -> None:
    """Change the view from code (a click, a button): the store and the widget the browser shows.

    Call it from a callback or before the widget is drawn. Setting the widget too matters: a browser
    that kept the old value would send it back later and on_change would copy it over the store.
    """
    store()[name] = value
    st.session_state[widget_key(name)] = value


def drawn_default(name: str, blank: object) -> object:
    """The default a filter widget is drawn with: `blank` when the last run drew it too (its value is then its
    own state, which set_value keeps in step with the store), the store's value otherwise. A default that
    followed the value changed the widget's description with every choice made in it, and the browser drew
    the widget, and its open list, once more after each run (issue 15). A run that draws no sidebar (the
    session's first map page ends before it; a projector has none) leaves the widgets no state of their own:
    after it they show the store's value, as before."""
    drawn_last_run = st.session_state.get(_FILTERS_BEFORE, False)
    return blank if drawn_last_run and widget_key(name) in st.session_state else store()[name]


def bound(name: str) -> dict[str, object]:
    """Keyword arguments that tie a widget to the store entry `name`."""
    return {"key": widget_key(name), "on_change": _copy_from_widget, "args": (name,)}


@dataclass(frozen=True)
class View:
    """What every page needs: the data, the filters, the filtered rows, the language."""

    data: Dataset
    filters: Filters
    rows: pd.DataFrame
    lang: str
    oblast: str  # "" for the whole country
    present: bool
    raion: str = ""  # an admin-2 P-code inside the oblast
    ayil_aimak: str = ""  # an admin-3 P-code inside the raion (?aa=)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def _valid(key: str, value: str, data: Dataset) -> bool:
    if key == "oblast":
        return value in data.oblast_codes
    if key == "raion":
        return data.raions is not None and data.raions.oblast_of.get(value) in data.oblast_codes
    if key == "aa":
        return data.ayil_aimaks is not None and _valid("raion", data.ayil_aimaks.raion_of(value), data)
    if key == "lang":
        return value in LANGUAGES
    if key == "location":
        return value in data.location_ids
    if key == "shade":
        return value in shade_choices(data)
    return True


def shade_choices(data: Dataset) -> tuple[str, ...]:
    """What the map can shade by: initiatives (all, CSO, LSG), and poverty where raion figures are imported."""
    has_poverty = data.raions is not None and data.raions.indicators is not None
    return SHADES + (("poverty",) if has_poverty else ())


def _url_query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def _browser_moved() -> bool:
    """Whether the URL is not the one this session last wrote: the browser's Back or Forward took it
    to an earlier view. A click on another page in the sidebar comes with no query at all: the view
    goes along with it (the query is written again), so that is not a move."""
    written = st.session_state.get(_WRITTEN)
    if written is None:
        return False
    page, query = written
    now = _url_query()
    if now == query:
        return False
    return bool(now) or page == _page()


def url_values(params: Mapping[str, list[str]], data: Dataset) -> dict[str, object]:
    """The view values a URL query names, the valid ones only (a multi-valued key also as "a,b")."""
    values: dict[str, object] = {}
    for key, vocabulary in MULTI_KEYS.items():
        wanted = [v for value in params.get(key, []) for v in value.split(",")]
        # Once each: a hand-edited or concatenated link that names a value twice is the same view.
        values[key] = list(dict.fromkeys(v for v in wanted if v in vocabulary().codes))
    for key in SINGLE_KEYS:
        value = params.get(key, [""])[-1] if params.get(key) else ""
        if value and _valid(key, value, data):
            values[key] = value in PRESENT_VALUES if key == "present" else value
    return values


def browser_language() -> str | None:
    """For a URL that names no language: the one this browser's page had when it left to sign in (the
    provider sends it back to a bare URL; ui.server.ReturnLanguage keeps it in a cookie), else the first of
    ours its Accept-Language asks for."""
    chosen = st.context.cookies.get(RETURN_LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else accepted_language(st.context.headers.get("Accept-Language"))


def _sync_from_url(data: Dataset) -> None:
    """Copy valid query values into the store (bad ones are dropped): on a session's first run, and
    when the browser went Back or Forward, so the page shows the view its URL names."""
    if _STORE in st.session_state and not _browser_moved():
        return
    st.session_state.pop(_STORE, None)
    state = store()
    named = url_values(_url_query(), data)
    if "lang" not in named and not _browser_moved():
        named["lang"] = st.session_state[_UNNAMED_LANG] = browser_language() or DEFAULT_LANGUAGE
    state.update(named)
    for key, value in list(state.items()):
        set_value(key, value)  # the widgets too: one the browser still shows would send its old value back


def _shown(key: str, value: object, lang: str) -> str:
    """A dropped value as a reader knows it (an oblast's name, a theme's label), kept short."""
    vocabulary = {"oblast": vocab.oblasts, **MULTI_KEYS}.get(key)
    text = vocabulary().label(value, lang) if vocabulary and isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def settled_places(oblast: str, raion: str, ayil_aimak: str, data: Dataset,
                   ) -> tuple[str, str, str, list[tuple[str, object]]]:
    """The drill-down made whole: a raion is a step inside its oblast (a link naming only the raion opens its
    oblast too), an ayil aimak one inside its raion; a step outside the one above it is dropped (and returned)."""
    dropped: list[tuple[str, object]] = []
    if raion and data.raions is not None:
        home = data.raions.oblast_of.get(raion, "")
        if not oblast and home in data.oblast_codes:
            oblast = home
        elif oblast != home:
            dropped.append(("raion", raion))
            raion = ""
    if ayil_aimak and data.ayil_aimaks is not None:
        home = data.ayil_aimaks.raion_of(ayil_aimak)
        if not raion and not oblast:
            raion, oblast = home, data.raions.oblast_of.get(home, "")
        elif raion != home:
            dropped.append(("aa", ayil_aimak))
            ayil_aimak = ""
    return oblast, raion, ayil_aimak, dropped


def _drop_what_is_gone(data: Dataset) -> list[tuple[str, object]]:
    """Set back every stored value the data no longer has, or that no widget could have sent.

    A projector left open while staff edit the records keeps its view in the store: an oblast whose
    rows were all deleted must not break the next run. Forged widget values end up here too (Streamlit
    hands an unknown option to on_change as it came). Returns what was dropped (key, value), to tell
    the viewer; a search longer than the widget allows is only cut, as the widget would have.
    """
    state = store()
    dropped: list[tuple[str, object]] = []
    query = state["q"]
    if not isinstance(query, str) or len(query) > MAX_QUERY_CHARS:
        set_value("q", query[:MAX_QUERY_CHARS] if isinstance(query, str) else DEFAULTS["q"])
    for key in SINGLE_KEYS:
        value = state[key]
        if key == "q":
            continue  # cut above
        if key == "present":
            fine = isinstance(value, bool)
        else:
            fine = value == DEFAULTS[key] or (isinstance(value, str) and _valid(key, value, data))
        if not fine:
            dropped.append((key, value))
            set_value(key, DEFAULTS[key])
    for key, vocabulary in MULTI_KEYS.items():
        value, codes = state[key], vocabulary().codes
        values = value if isinstance(value, list) else [value]
        kept = list(dict.fromkeys(v for v in values if isinstance(v, str) and v in codes))
        if kept != value:
            dropped += [(key, v) for v in values if v not in kept]
            set_value(key, kept)
    oblast, raion, ayil_aimak, gone = settled_places(str(state["oblast"]), str(state["raion"]), str(state["aa"]), data)
    for key, value in (("oblast", oblast), ("raion", raion), ("aa", ayil_aimak)):
        if state[key] != value:
            set_value(key, value)
    dropped += gone
    return dropped


def _sync_to_url() -> None:
    wanted: dict[str, str | list[str]] = {}
    unnamed_lang = st.session_state.get(_UNNAMED_LANG, DEFAULT_LANGUAGE)  # what a bare URL opens in here
    for key, value in store().items():
        if value == DEFAULTS[key] and (key != "lang" or unnamed_lang == DEFAULT_LANGUAGE):
            continue
        wanted[key] = list(value) if isinstance(value, list) else ("1" if value is True else str(value))
    current = {k: (st.query_params.get_all(k) if k in MULTI_KEYS else st.query_params.get(k))
               for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)
    st.session_state[_WRITTEN] = (_page(), _url_query())


def clear_filters() -> None:
    """Callback: back to the whole programme (language and mode stay)."""
    for key in (*MULTI_KEYS, "oblast", "raion", "aa", "q", "location"):
        set_value(key, DEFAULTS[key])


def choose_oblast(code: str) -> None:
    """Callback for drill-down: a map click or a button sets the oblast, dropping a stale raion and location."""
    set_value("oblast", code)
    set_value("raion", "")
    set_value("aa", "")
    set_value("location", "")


def close_location() -> None:
    """Callback: back from a location to the oblast or raion it was opened in."""
    set_value("location", "")


def choose_filter(key: str, code: str) -> None:
    """Callback: filter by exactly one value (a clicked bar)."""
    set_value(key, [code])


def remove_filter(key: str, value: str = "") -> None:
    """Callback of a filter chip: take one value out of a filter (the search as a whole)."""
    current = store()[key]
    set_value(key, [v for v in current if v != value] if isinstance(current, list) else DEFAULTS[key])


def choose_raion(code: str) -> None:
    """Callback: drill into a raion (its oblast follows), or back out of it to its oblast with ""."""
    data = st.session_state[_VIEW].data
    if code and data.raions is not None and code in data.raions.oblast_of:
        set_value("oblast", data.raions.oblast_of[code])
    set_value("raion", code)
    set_value("aa", "")
    set_value("location", "")


def choose_ayil_aimak(code: str) -> None:
    """Callback: into an ayil aimak or town (its raion and oblast follow), or back out to its raion with ""."""
    data = st.session_state[_VIEW].data
    if code and data.ayil_aimaks is not None and _valid("aa", code, data):
        raion = data.ayil_aimaks.raion_of(code)
        set_value("oblast", data.raions.oblast_of[raion])
        set_value("raion", raion)
    set_value("aa", code)
    set_value("location", "")


def open_location(data: Dataset, location_id: str) -> None:
    """Open a location, drilling to its oblast and raion first when the view is elsewhere: a circle
    clicked beyond the current oblast or raion must show what it was clicked for."""
    place = data.records.locations.set_index("location_id").loc[location_id]
    state = store()
    if state["oblast"] and state["oblast"] != place["oblast_code"]:
        choose_oblast(place["oblast_code"])
    if state["raion"] and state["raion"] != place["raion_code"]:
        set_value("raion", place["raion_code"])
    if state["aa"] and state["aa"] != place["ayil_aimak_code"]:
        set_value("aa", "")
    set_value("location", location_id)
    st.session_state[_PLACE_CLICKED] = True


def place_just_clicked() -> bool:
    """Whether the map's last click opened a place, so the page brings its initiatives into view (asked once):
    below the map they were out of sight at 1366x768 and on every phone, and the click looked dead (issue 31)."""
    return bool(st.session_state.pop(_PLACE_CLICKED, False))


def _from_widget(name: str, choose: Callable[[str], None]) -> None:
    choose(str(st.session_state[widget_key(name)] or ""))


def click_target(value: dict | None, oblast_codes: Collection[str], location_ids: Collection[str],
                 raion_codes: Collection[str] = (), is_ayil_aimak: Callable[[str], bool] = lambda _c: False,
                 ) -> tuple[str, str] | None:
    """What a map click points at: ("oblast", code), ("raion", code), ("aa", code), ("location", id), or None.
    A location's circle lies over its ayil aimak: only one of them is in a click's properties."""
    feature = value.get("last_active_drawing") if isinstance(value, dict) else None
    props = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(props, dict):  # the browser sends what the map drew; anything else is not a click
        return None
    code, location, raion = props.get("iso_code"), props.get("location_id"), props.get("raion_code")
    unit = props.get("aa_code")
    if isinstance(unit, str) and is_ayil_aimak(unit):
        return "aa", unit
    if isinstance(raion, str) and raion in raion_codes:
        return "raion", raion
    if isinstance(code, str) and code in oblast_codes:
        return "oblast", code
    if isinstance(location, str) and location in location_ids:
        return "location", location
    return None


def map_widget_key(oblast: str, raion: str = "", ayil_aimak: str = "") -> str:
    """The map's widget key: a new one per drill-down level, so a click on the same oblast after
    going back to the country is a new value (and a new frame draws the new view)."""
    return f"map_{oblast or 'country'}" + (f"_{raion}" if raion else "") + (f"_{ayil_aimak}" if ayil_aimak else "")


def chart_choice(dimension: str, value: object) -> tuple[str, str] | None:
    """What a click on a chart points at, from st.plotly_chart's selection state: (filter key, code) for a
    theme, target group or grant type bar; ("oblast" | "raion", code) for a place bar; ("location", id) or
    ("oblast", code) for a segment of the hierarchy (id "KG-O/L07/..."). None for anything else.
    Codes are checked by the caller against the data."""
    selection = value.get("selection") if isinstance(value, dict) else None
    points = selection.get("points") if isinstance(selection, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        return None
    point = points[0]
    if dimension == "hierarchy":
        path = point.get("id")
        if not isinstance(path, str) or not path:
            return None
        parts = path.split("/")
        return ("location", parts[1]) if len(parts) > 1 else ("oblast", parts[0])
    code = point.get("customdata")
    if isinstance(code, list) and code:  # Plotly sends a list when customdata rows have several values
        code = code[0]
    return (dimension, code) if isinstance(code, str) and code else None


def on_chart_select(key: str, dimension: str) -> None:
    """Callback of a chart: a bar sets its filter or drills into its oblast or raion; a segment of the
    hierarchy drills into its oblast, or opens its location on the map."""
    data = st.session_state[_VIEW].data
    target = chart_choice(dimension, st.session_state.get(key))
    if target is None:
        return
    kind, code = target
    if kind in MULTI_KEYS and code in MULTI_KEYS[kind]().codes:
        choose_filter(kind, code)
    elif kind == "oblast" and code in data.oblast_codes:
        choose_oblast(code)
    elif kind == "raion" and data.raions is not None and data.raions.oblast_of.get(code) in data.oblast_codes:
        choose_raion(code)
    elif kind == "location" and code in data.location_ids:
        place = data.records.locations.set_index("location_id").loc[code]
        choose_oblast(str(place["oblast_code"]))
        set_value("location", code)
        st.session_state[_TO_MAP] = True


def to_map_page() -> bool:
    """Whether a chart has just opened a location, so the map page should show it (asked once)."""
    return bool(st.session_state.pop(_TO_MAP, False))


def map_first(view: View) -> bool:
    """Whether the map page draws only what is above the map and the map, this run: a session's first map
    (not on a projector, which has nothing else) comes before the sidebar, the pickers and the bars, which the
    browser would otherwise draw first on the thread the map's frame waits on (issue 15). They follow on the
    rerun the drawn map asks for, or the map page's timer's (`stop_waiting_for_map`)."""
    return not view.present and not st.session_state.get(MAP_SHOWN, False)


def stop_waiting_for_map() -> None:
    st.session_state[MAP_SHOWN] = True


def on_map_click(key: str) -> None:
    """Callback of the map: drill into the clicked oblast, or open the clicked location; or, sent once by a
    session's first map, that it is drawn (see map_first)."""
    if st.session_state.get(key) == MAP_PAINTED:
        stop_waiting_for_map()
        return
    data = st.session_state[_VIEW].data  # the view the clicked map was drawn from
    raions = data.raions.oblast_of if data.raions is not None else ()
    target = click_target(st.session_state.get(key), data.oblast_codes, data.location_ids, raions,
                          lambda code: _valid("aa", code, data))
    if target and target[0] == "aa":
        choose_ayil_aimak(target[1])
    elif target and target[0] == "raion":
        choose_raion(target[1])
    elif target and target[0] == "oblast":
        choose_oblast(target[1])
    elif target:
        open_location(data, target[1])


def draw_sidebar(data: Dataset) -> None:
    """Language, the shared filters and the way into presentation mode, each drawn from the store (so it
    does not matter that the page is drawn first)."""
    state = store()
    lang = str(state["lang"])
    sidebar = st.sidebar
    typing = t("choose_placeholder", lang)  # shown while a reader clears a box to type: Streamlit's is English
    sidebar.selectbox(t("language", lang), LANGUAGES, index=LANGUAGES.index(lang), format_func=LANGUAGE_NAMES.get,
                      placeholder=typing, **bound("lang"))
    sidebar.header(t("filters", lang))
    oblasts = vocab.oblasts()
    choices = ["", *[c for c in oblasts.codes if c in data.oblast_codes]]
    sidebar.selectbox(t("oblast", lang), choices, index=choices.index(state["oblast"]),
                      format_func=lambda c: oblasts.label(c, lang) if c else t("all_kyrgyzstan", lang),
                      placeholder=typing, key=widget_key("oblast"), on_change=_from_widget,
                      args=("oblast", choose_oblast))
    if data.raions is not None:
        raions = data.raions
        units = ["", *[c for c in raions.codes_in(str(state["oblast"])) if _valid("raion", c, data)]]
        in_oblast = bool(state["oblast"])

        def unit_label(code: str) -> str:
            if not code:
                return t("all_raions", lang)
            name = raions.label(code, lang)
            return name if in_oblast else f"{name} · {oblasts.label(raions.oblast_of[code], lang)}"

        sidebar.selectbox(t("raion", lang), units, index=units.index(state["raion"]), format_func=unit_label,
                          placeholder=typing, key=widget_key("raion"), on_change=_from_widget,
                          args=("raion", choose_raion))
    if data.ayil_aimaks is not None and state["raion"]:  # the raion's ayil aimaks and towns, once one is chosen
        ayil_aimaks = data.ayil_aimaks
        codes = ["", *ayil_aimaks.codes_in(str(state["raion"]))]
        chosen = state["aa"] if state["aa"] in codes else ""
        sidebar.selectbox(t("ayil_aimak", lang), codes, index=codes.index(chosen),
                          format_func=lambda c: ayil_aimaks.label(c, lang) if c else t("all_ayil_aimaks", lang),
                          placeholder=typing, key=widget_key("aa"), on_change=_from_widget,
                          args=("aa", choose_ayil_aimak))
    for key, vocabulary in MULTI_KEYS.items():
        voc = vocabulary()
        # No "Select all" (English in ky/ru, and every theme chosen is not "no filter": the LSG grants have no
        # published theme, so it showed 25 initiatives where no filter shows 50).
        sidebar.multiselect(t(key, lang), voc.codes, default=drawn_default(key, []), placeholder=t("filter_all", lang),
                            format_func=lambda c, voc=voc: voc.label(c, lang), select_all=False, **bound(key))
    sidebar.text_input(t("search", lang), value=str(drawn_default("q", "")), max_chars=MAX_QUERY_CHARS, **bound("q"))
    sidebar.button(t("clear_filters", lang), on_click=clear_filters, width="stretch")
    sidebar.toggle(t("presentation_mode", lang), value=bool(state["present"]), **bound("present"))
    st.session_state[_FILTERS_DRAWN] = True


def view_of(state: Mapping[str, object], data: Dataset) -> View:
    """The view a store's values define (every value already valid)."""
    oblast, raion, ayil_aimak = str(state["oblast"]), str(state["raion"]), str(state["aa"])
    filters = Filters(
        oblasts=(oblast,) if oblast else (),
        raions=(raion,) if raion else (),
        ayil_aimaks=(ayil_aimak,) if ayil_aimak else (),
        themes=tuple(state["theme"]),
        grant_types=tuple(state["grant_type"]),
        target_groups=tuple(state["target_group"]),
        statuses=tuple(state["status"]),
        text=str(state["q"])[:MAX_QUERY_CHARS],
    )
    rows = apply_filters(data.records.table, filters, data.haystack)
    return View(data, filters, rows, str(state["lang"]), oblast, bool(state["present"]), raion, ayil_aimak)


def view_of_query(params: Mapping[str, list[str]], data: Dataset) -> tuple[View, str]:
    """The view, and what the map is shaded by, that a session opened at this URL query shows on its first
    run; without a session (the first HTML response draws its map, ui.preview)."""
    state = {**DEFAULTS, **url_values(params, data)}
    state["oblast"], state["raion"], state["aa"], _ = settled_places(str(state["oblast"]), str(state["raion"]),
                                                                     str(state["aa"]), data)
    return view_of(state, data), str(state["shade"])


def build_view(data: Dataset) -> View:
    """The view the URL and the store define. Its filters are drawn afterwards, by draw_sidebar."""
    st.session_state[_FILTERS_BEFORE] = st.session_state.pop(_FILTERS_DRAWN, False)
    _sync_from_url(data)
    dropped = _drop_what_is_gone(data)
    state = store()
    lang = str(state["lang"])
    if dropped:
        values = ", ".join(_shown(key, value, lang) for key, value in dropped)
        st.toast(markdown_text(t("view_value_gone", lang, values=values)), icon=":material/info:")
    _sync_to_url()
    view = view_of(state, data)
    st.session_state[_VIEW] = view
    return view


def enter_pages() -> None:
    """dashboard.py: the page about to run is being run by the entry point."""
    _ENTRY_POINT_RUN.active = True


def leave_pages() -> None:
    _ENTRY_POINT_RUN.active = False


def current_view() -> View:
    """The view dashboard.py built in this run.

    Streamlit answers a fresh server's first request in its legacy pages/ mode, which runs the page
    file itself without dashboard.py. Such a page hands over to the entry point, which draws it
    (with data, filters and navigation) through st.navigation, and stops there.
    """
    if not getattr(_ENTRY_POINT_RUN, "active", False):
        runpy.run_path(str(ENTRY_POINT), run_name="__main__")
        st.stop()
    return st.session_state[_VIEW]
