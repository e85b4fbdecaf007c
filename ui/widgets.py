"""Pieces several pages share: headline numbers, an initiative's card, charts, the breadcrumb."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

from initiatives import export, headline, vocab
from initiatives.outputs import KINDS as OUTPUT_KINDS
from initiatives.outputs import outputs_per_row, outputs_text
from initiatives.query import Headline
from initiatives.records import place_names, split_codes
from ui.charts import (
    Bar,
    bar_background,
    bar_list,
    grant_colours,
    hierarchy,
    labelled_counts,
    published,
    stacked_bar,
    table_html,
    unpublished_note,
)
from ui.data import digest
from ui.state import (
    MULTI_KEYS,
    View,
    choose_ayil_aimak,
    choose_filter,
    choose_oblast,
    choose_raion,
    close_location,
    on_chart_select,
    remove_filter,
    stop_waiting_for_map,
    store,
)
from ui.text import markdown_text


def _view_key(view: View, *parts: object) -> str:
    """Names one view of the data (its rows follow from the dataset and the filters) for the caches below."""
    return digest(view.data.version, view.filters, view.lang, *parts)


@dataclass(frozen=True)
class Chart:
    """One chart of one view: its data table, figure, and the line for what it cannot show."""

    table: pd.DataFrame
    figure: go.Figure
    note: str


@st.cache_resource(max_entries=512, show_spinner=False)
def _chart(key: str, _view: View, dimension: str, title: str) -> Chart:
    """A chart for one view; many viewers ask for the same few views.

    `key` names the view (the dataset, the filters, ...), which fixes its rows: cheaper than hashing them.
    Shared between sessions and never modified after building (Streamlit only reads them).
    """
    data, missing = published(labelled_counts(_view.rows, dimension, _view.lang, dimension_label(_view, dimension)))
    table = data.iloc[:, :3].set_index(data.columns[0])
    return Chart(table, stacked_bar(data, title, _view.lang, large=_view.present),
                 unpublished_note(missing, dimension, _view.lang))


def dimension_label(view: View, dimension: str) -> Callable[[str], str] | None:
    """How a chart names the codes of `dimension`: raions by the imported layer, the rest by vocabulary."""
    raions = view.data.raions
    if dimension == "raion" and raions is not None:
        return lambda code: raions.label(code, view.lang)
    return None


@st.cache_resource(max_entries=512, show_spinner=False)
def _hierarchy(key: str, _view: View) -> go.Figure:
    """The sunburst of one view, shared as _chart is: built afresh it took 80-110 ms of every Themes run
    (issue 15); now of the first run of each view only."""
    return hierarchy(_view.rows, _view.lang)


def hierarchy_chart(view: View) -> None:
    """The sunburst oblast -> location -> initiative; a click on a segment drills into it."""
    clickable_chart(view, "hierarchy", _hierarchy(_view_key(view), view))


def clickable_chart(view: View, name: str, figure: go.Figure, **config: object) -> None:
    """A Plotly chart whose click (a selected point) is read by on_chart_select as a choice of `name`."""
    key = chart_key(view, name)
    st.plotly_chart(figure, key=key, on_select=partial(on_chart_select, key, name), selection_mode="points",
                    config={"displaylogo": False, **config})


def chart_key(view: View, name: str) -> str:
    """A chart's widget key, new for each view: a click (a selection) belongs to the view it was made in,
    so the next view starts unselected and the same bar can be clicked again later."""
    return f"chart_{name}_{_view_key(view, view.raion)[:12]}"


def chart_with_table(view: View, dimension: str, title_key: str) -> None:
    """A bar chart of the current view split by grant type, clickable (a bar filters or drills), its data
    table under it, PNG via the modebar; what the source leaves unsaid is a note, not a bar."""
    title = view.t(title_key)
    chart = _chart(_view_key(view, view.present, dimension, title), view, dimension, title)
    if chart.table.empty:  # e.g. themes of LSG grants only: the source gives none, so there is nothing to draw
        st.markdown(f"**{markdown_text(title)}**")
        st.caption(chart.note)
        return
    clickable_chart(view, dimension, chart.figure, toImageButtonOptions={"filename": dimension})
    if chart.note:
        st.caption(chart.note)
    with st.expander(view.t("chart_data")):
        # A plain HTML table: readable by screen readers, no data-grid code to load, labels escaped.
        st.html(table_html(chart.table))


@st.cache_resource(max_entries=512, show_spinner=False)
def _bar_list(key: str, _view: View, dimension: str) -> tuple[list[Bar], str]:
    """The clickable bars and the unpublished note for one view (see _chart for the key)."""
    data, missing = published(labelled_counts(_view.rows, dimension, _view.lang))
    return bar_list(data, _view.lang), unpublished_note(missing, dimension, _view.lang)


def clickable_bars(view: View, dimension: str, title_key: str) -> None:
    """The current view by `dimension` as a list of bars (split by grant type): a click filters by that value
    without reloading the page. One pills widget whose options are drawn as the bars, not a button per bar
    (each button held the landing page's map back by ~15 ms, issue 15), and no chart library (Plotly's bundle
    held it back by seconds)."""
    bars, note = _bar_list(_view_key(view, dimension), view, dimension)
    colours = grant_colours(view.lang)
    drawn = {name for bar in bars for name, n in bar.per_grant.items() if n}  # no swatch for a colour not drawn
    swatches = " ".join(f'<span style="display:inline-block;width:.9em;height:.9em;background:{colour};'
                        f'vertical-align:middle;margin:0 .3em 0 .8em"></span>{html.escape(name)}'
                        for name, colour in colours.items() if name in drawn)
    title = view.t(title_key)
    st.html(f'<div style="font-weight:600;padding:.3em 0">{html.escape(title)}'
            f'<span style="font-weight:normal;font-size:.85rem">{swatches}</span></div>')
    top = max((bar.total for bar in bars), default=0)
    key = f"bars_{dimension}"
    labels = {bar.code: f"{markdown_text(bar.label)} · **{bar.total}**" for bar in bars}
    st.pills(title, list(labels), format_func=labels.__getitem__, key=key, on_change=_bar_chosen,
             args=(key, dimension), label_visibility="collapsed", width="stretch")
    rules = [BAR_CSS.replace("KEY", key)]
    rules += [f".st-key-{key} button:nth-of-type({i}){{background-image:{bar_background(bar, top, view.lang)}}}"
              for i, bar in enumerate(bars, start=1)]
    st.html(f"<style>{''.join(rules)}</style>")
    if note:
        st.caption(note)


def _bar_chosen(key: str, dimension: str) -> None:
    """A bar is an action, not a lasting choice: filter by it and leave the bars unselected."""
    code = st.session_state.get(key)
    st.session_state[key] = None
    if code:
        choose_filter(dimension, code)


# The pills stacked, each drawn as its bar: its label left, its bar a band under the label across the width.
BAR_CSS = (".st-key-KEY [role=radiogroup]{flex-direction:column;align-items:stretch;gap:0}"
           ".st-key-KEY button{width:100%;max-width:none;justify-content:flex-start;border:0;border-radius:2px;"
           "min-height:0;padding:.15em .3em .8em;background-color:transparent;background-repeat:no-repeat;"
           "background-size:100% .65em;background-position:left bottom}"
           ".st-key-KEY button>div{width:100%;justify-content:flex-start}"
           ".st-key-KEY button p{font-size:1rem;text-align:left}"
           ".st-key-KEY button:hover,.st-key-KEY button:focus-visible{background-color:#eef1f6}")


def breadcrumb(view: View) -> None:
    """Where the view is (All Kyrgyzstan › oblast › raion › location), each step a way back, and the
    active filters as chips that each remove themselves."""
    steps = breadcrumb_steps(view, str(store()["location"]))
    chips = active_filters(view)
    # Always one element here, drawn or not: what follows keeps its place on the page, so the first filter
    # does not make Streamlit rebuild the map's frame below (a reload of its scripts, ~300 ms; bench.trace).
    slot = st.empty()
    if len(steps) == 1 and not chips:  # the whole country, unfiltered: nothing to walk back to
        return
    with slot.container(horizontal=True, gap="small", vertical_alignment="center", key="breadcrumb"):
        for i, (label, back, args) in enumerate(steps):
            last = i == len(steps) - 1
            # Button labels are Markdown: place names and labels are data, so every sign is escaped.
            st.button(("› " if i else "") + markdown_text(label), key=f"crumb_{i}", type="tertiary",
                      disabled=last, on_click=None if last else back, args=args)
        for key, code, label in chips:
            st.button(f"{markdown_text(label)} ✕", key=f"chip_{key}_{code}", help=view.t("remove_filter"),
                      on_click=remove_filter, args=(key, code))


def breadcrumb_steps(view: View, location: str) -> list[tuple[str, Callable[..., None] | None, tuple]]:
    """The breadcrumb's steps (label, the way back to it, with what), the last being where the view is: for
    the page's breadcrumb and the preview's drawing of it."""
    steps: list[tuple[str, Callable[..., None] | None, tuple]] = [
        (view.t("all_kyrgyzstan"), choose_oblast, ("",))]
    if view.oblast:
        steps.append((vocab.oblasts().label(view.oblast, view.lang), choose_raion, ("",)))
    if view.raion and view.data.raions is not None:
        steps.append((view.data.raions.label(view.raion, view.lang),
                      choose_ayil_aimak if view.ayil_aimak else close_location, ("",) if view.ayil_aimak else ()))
    if view.ayil_aimak and view.data.ayil_aimaks is not None:
        steps.append((view.data.ayil_aimaks.label(view.ayil_aimak, view.lang), close_location, ()))
    if location:
        locations = view.data.records.locations
        place = place_names(locations[locations["location_id"] == location], view.lang).iloc[0]
        steps.append((str(place), None, ()))
    return steps


def filter_summary(view: View) -> str:
    """The view in one line, as its reader names it: "Osh Oblast › Nookat · Youth participation, CSO grant"."""
    place = view.t("all_kyrgyzstan")
    if view.oblast:
        place = vocab.oblasts().label(view.oblast, view.lang)
        if view.raion and view.data.raions is not None:
            place += f" › {view.data.raions.label(view.raion, view.lang)}"
        if view.ayil_aimak and view.data.ayil_aimaks is not None:
            place += f" › {view.data.ayil_aimaks.label(view.ayil_aimak, view.lang)}"
    chosen = [label for _, _, label in active_filters(view)]
    return f"{place} · {', '.join(chosen) or view.t('filter_all')}"


def active_filters(view: View) -> list[tuple[str, str, str]]:
    """Each chosen filter value as (key, code, label in the view's language); the search as ("q", "", “text”).
    Read from the view, not the session: the preview draws them too."""
    chosen = [(key, code, MULTI_KEYS[key]().label(code, view.lang))
              for key, field in FILTER_FIELDS.items() for code in getattr(view.filters, field)]
    if view.filters.text:
        chosen.append(("q", "", f"“{view.filters.text}”"))
    return chosen


FILTER_FIELDS = {"theme": "themes", "grant_type": "grant_types", "target_group": "target_groups",
                 "status": "statuses"}  # each filter's store key, and its field of Filters


@st.cache_resource(max_entries=512, show_spinner=False)
def _headline(key: str, _view: View) -> Headline:
    """One view's numbers (see _chart for the key): counted once, not on every rerun of every viewer."""
    return headline(_view.rows)


def headline_numbers(view: View, stacked: bool = False) -> None:
    """Initiatives, locations, oblasts, CSO / LSG in a row; stacked beside the map (projector), the three
    that matter in a room, so they stay big and on a 720-pixel-high screen."""
    h = _headline(_view_key(view), view)
    if stacked:
        st.metric(view.t("metric_initiatives"), h.initiatives)
        st.metric(view.t("metric_locations"), h.locations)
        st.metric(view.t("metric_cso_lsg"), f"{h.cso} / {h.lsg}")
        return
    numbers_row(headline_cells(view, h))


def headline_cells(view: View, h: Headline) -> list[tuple[str, object]]:
    """The row of numbers above the map (also measured by the first response's map, ui.preview)."""
    return [(view.t("metric_initiatives"), h.initiatives), (view.t("metric_locations"), h.locations),
            (view.t("metric_oblasts"), h.oblasts), (view.t("metric_cso_lsg"), f"{h.cso} / {h.lsg}")]


NUMBERS_CLASS = "yj-numbers"  # styled in ui.present.PAGE_CSS like Streamlit's metrics


# Runs in the component's frame, which Streamlit serves from this app's origin: it scrolls the page's element of
# class st-key-KEY to the top of the window, and keeps it there for three seconds while the page is still drawing
# (a new map frame, or the rest of a slow rerun, pushed it back down and the click looked dead), unless the viewer
# scrolls, taps or types meanwhile. The parent window remembers the last click it scrolled for, so a frame that
# React draws again runs its script again without scrolling a second time.
_INTO_VIEW = """<script>
(function () {
  var win = window.parent, doc = win.document, click = CLICK;
  if ((win.__yjIntoView || 0) >= click) { return; }
  win.__yjIntoView = click;
  var kinds = ['wheel', 'touchstart', 'keydown', 'pointerdown'], moved = false, found = 0, start = Date.now();
  function byViewer() { moved = true; }
  function done() { kinds.forEach(function (k) { doc.removeEventListener(k, byViewer, true); }); }
  kinds.forEach(function (k) { doc.addEventListener(k, byViewer, {capture: true, passive: true}); });
  function step() {
    if (moved) { return done(); }
    var target = doc.querySelector('.st-key-KEY'), now = Date.now();
    if (target && !found) {
      found = now;
      target.scrollIntoView({behavior: 'smooth', block: 'start'});
    } else if (target && now - found >= 800 && Math.abs(target.getBoundingClientRect().top) > 8) {
      target.scrollIntoView({behavior: 'auto', block: 'start'});  // moved since: once more, at once
    }
    if (now - (found || start) < 3000) { setTimeout(step, found ? 200 : 100); } else { done(); }
  }
  step();
})();
</script>"""
_CLICKS = "_into_view"  # how many clicks asked the page to bring something into view, this session


def bring_into_view(key: str, clicked: bool) -> None:
    """Scroll the page to the container with this key (a fixed key of ours, never data) when `clicked`. The frame
    is drawn again, unchanged, on the reruns after the click: Streamlit keeps an unchanged frame as it is, so a
    second rerun that came before its script ran no longer takes it away; a new click changes the frame."""
    count = st.session_state.get(_CLICKS, 0) + clicked
    st.session_state[_CLICKS] = count
    if count:
        script = _INTO_VIEW.replace("KEY", re.sub(r"[^\w-]", "", key)).replace("CLICK", str(int(count)))
        components.html(script, height=0)


def numbers_row(numbers: list[tuple[str, object]]) -> None:
    """Labelled numbers side by side, as one element of HTML rather than a row of st.metric in columns: the
    metrics' code is one more kind the browser fetches and runs before the map beside them (issue 15)."""
    st.html(numbers_html(numbers))


def numbers_html(numbers: list[tuple[str, object]]) -> str:
    cells = "".join(f"<div><dt>{html.escape(label)}</dt><dd>{html.escape(str(value))}</dd></div>"
                    for label, value in numbers)
    return f'<dl class="{NUMBERS_CLASS}">{cells}</dl>'


def numbers_in(body: str) -> dict[str, str]:
    """What numbers_row drew, read back from its HTML (label -> value): for the page tests and bench.load."""
    if f'<dl class="{NUMBERS_CLASS}">' not in body:
        return {}
    return {html.unescape(label): html.unescape(value)
            for label, value in re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", body)}


@st.cache_resource(max_entries=512, show_spinner=False)
def _places_in_view(key: str, _view: View) -> tuple[str, ...]:
    ids = set(_view.rows["location_id"])
    return tuple(lid for lid in _view.data.records.locations["location_id"] if lid in ids)


@st.cache_resource(max_entries=16, show_spinner=False)
def _place_labels(version: str, lang: str, _locations: pd.DataFrame) -> dict[str, str]:
    names = {code: vocab.oblasts().label(code, lang) for code in _locations["oblast_code"].unique()}
    return dict(zip(_locations["location_id"], place_names(_locations, lang) + " — "
                    + _locations["oblast_code"].map(names), strict=True))


def location_choices(view: View) -> tuple[tuple[str, ...], dict[str, str]]:
    """The places of the view in the records' order, and every place's label for the location picker
    ("place — oblast", in the view's language); shared between viewers, cached per view and language."""
    data = view.data
    return _places_in_view(_view_key(view), view), _place_labels(data.version, view.lang, data.records.locations)


@dataclass(frozen=True)
class Tour:
    """Where the previous and next steps of the oblast tour lead ("" is the whole country)."""

    previous: str
    next: str


def tour_oblasts(view: View) -> Tour:
    """Step through the oblasts that have initiatives, then back to the whole country."""
    present = view.data.oblast_codes
    steps = ["", *[c for c in vocab.oblasts().codes if c in present]]
    here = steps.index(view.oblast) if view.oblast in steps else 0
    return Tour(previous=steps[here - 1], next=steps[(here + 1) % len(steps)])


def translated(row: pd.Series, field: str, lang: str, view: View) -> str:
    """The field in the chosen language, or the Kyrgyz original, labelled as such."""
    if lang != "ky" and row.get(f"{field}_{lang}"):
        return row[f"{field}_{lang}"]
    original = row.get(f"{field}_ky", "")
    return original if lang == "ky" or not original else f"{original} ({view.t('original_ky')})"


def translated_column(rows: pd.DataFrame, field: str, lang: str, view: View) -> pd.Series:
    """`translated` for a whole column at once (the explorer may hold thousands of rows)."""
    original = rows[f"{field}_ky"]
    if lang == "ky":
        return original
    labelled = original.where(original == "", original + f" ({view.t('original_ky')})")
    chosen = rows[f"{field}_{lang}"]
    return chosen.where(chosen != "", labelled)


def raion_columns(rows: pd.DataFrame, view: View) -> dict[str, pd.Series]:
    """The raion's name and P-code, where a raion layer has been imported; nothing otherwise."""
    raions = view.data.raions
    if raions is None:
        return {}
    unplaced = view.t("raion_unplaced")
    names = rows["raion_code"].map({c: raions.label(c, view.lang) if c else unplaced
                                    for c in rows["raion_code"].unique()})
    columns = {view.t("raion"): names, view.t("raion_pcode"): rows["raion_code"]}
    units = view.data.ayil_aimaks
    if units is not None:  # and the ayil aimak or town, where the join settled one
        unsettled = view.t("aa_unsettled")
        columns[view.t("ayil_aimak")] = rows["ayil_aimak_code"].map(
            {c: units.label(c, view.lang) if c else unsettled for c in rows["ayil_aimak_code"].unique()})
        columns[view.t("aa_pcode")] = rows["ayil_aimak_code"]
    return columns


# What a table cell carries at most: 1,900 records with 10,000-character titles sent 36 MB each time the
# Explorer loaded. The full text stays in the initiative's card and in the downloads.
MAX_CELL_CHARS = 300


def bounded(column: pd.Series) -> pd.Series:
    """Text cut to MAX_CELL_CHARS, a cut marked with an ellipsis."""
    long = column.str.len() > MAX_CELL_CHARS
    return column.where(~long, column.str.slice(0, MAX_CELL_CHARS - 1) + "…") if long.any() else column


def explorer_table(rows: pd.DataFrame, view: View) -> pd.DataFrame:
    """The explorer's columns, labelled in the chosen language; record text stays plain data, each cell
    bounded."""
    lang = view.lang
    missing = view.t("not_published")

    def code_labels(column: pd.Series, vocabulary: vocab.Vocabulary) -> pd.Series:
        return export.code_labels(column, vocabulary, lang, ", ", missing)

    # Who did what where first, all of it on a 1366-px screen beside the sidebar; the codes last.
    units = raion_columns(rows, view)
    codes = {name: units.pop(name) for name in (view.t("raion_pcode"), view.t("aa_pcode")) if name in units}
    table = pd.DataFrame({
        view.t("initiative_id"): rows["id"],  # the header in the reader's language; the ids stay as published
        view.t("title"): translated_column(rows, "title", lang, view).replace("", missing),
        # In English the romanised names (the Cyrillic stays searchable and in the card and exports).
        view.t("grantee"): (rows["grantee_latin"] if lang == "en" else rows["grantee"]).where(rows["grantee"] != "",
                                                                                           missing),
        view.t("place"): place_names(rows, lang),
        view.t("oblast"): code_labels(rows["oblast_code"], vocab.oblasts()),
        **units,
        view.t("grant_type"): code_labels(rows["grant_type"], vocab.grant_types()),
        view.t("themes_label"): code_labels(rows["themes"], vocab.themes()),
        view.t("target_groups_label"): code_labels(rows["target_groups"], vocab.target_groups()),
        view.t("status"): export.code_labels(rows["status"], vocab.activity_statuses(), lang,
                                             missing=vocab.status_choices().label(vocab.UNSTATED, lang)),
        view.t("outputs_planned_column"): outputs_per_row(view.data.records.outputs, rows["id"], "planned", lang),
        **codes,
    })
    return table.apply(bounded)


def status_text(row: pd.Series, view: View) -> str:
    """How far the initiative had got, and as of when; or that the source does not say."""
    if not row["status"]:
        return view.t("status_unstated")
    label = vocab.activity_statuses().label(row["status"], view.lang)
    return view.t("status_line", status=label, date=row["status_as_of"])


def initiative_card(row: pd.Series, view: View) -> None:
    """One initiative: who, where, what, for whom. Record text only ever goes through st.text (no Markdown).

    A grant the source announces but does not list says so once, in the chosen language, instead of
    "not published" on every line. The records' own notes are English reading notes for maintainers:
    shown in English only (they stay in every export).
    """
    lang = view.lang
    missing = view.t("not_published")
    grant = vocab.grant_types().label(row["grant_type"], lang)
    where = (f"{view.t('place')}: {place_names(row.to_frame().T, lang).iloc[0]}, "
             f"{vocab.oblasts().label(row['oblast_code'], lang)}; "
             f"{view.t('precision')}: {view.t('precision_' + row['location_precision'])}")
    status = status_text(row, view)
    with st.container(border=True):
        st.text(f"{row['id']} · {grant}")
        if row["source_status"] == "not_published":
            st.text(view.t("card_not_listed"))
            st.text(where)
            st.text(status)
            return
        grantee = row["grantee"] or missing
        romanised = lang == "en" and row["grantee"] and row["grantee_latin"] != row["grantee"]
        latin = f" ({row['grantee_latin']})" if romanised else ""  # for English readers only
        st.text(f"{view.t('grantee')}: {grantee}{latin}")
        st.text(f"{view.t('title')}: {translated(row, 'title', lang, view) or missing}")
        st.text(f"{view.t('summary')}: {translated(row, 'summary', lang, view) or missing}")
        themes = [vocab.themes().label(c, lang) for c in split_codes(row["themes"])]
        groups = [vocab.target_groups().label(c, lang) for c in split_codes(row["target_groups"])]
        st.text(f"{view.t('themes_label')}: {', '.join(themes) or missing}")
        st.text(f"{view.t('target_groups_label')}: {', '.join(groups) or missing}")
        st.text(where)
        st.text(status)
        if lang == "en":  # the readings are English notes for maintainers, as the records' notes
            st.text(row["status_note"])
        for kind in OUTPUT_KINDS:  # planned and reported apart; nothing reported is not 0
            shown = outputs_text(view.data.records.outputs, kind, lang).get(row["id"])
            st.text(view.t(f"outputs_{kind}", outputs=shown) if shown else view.t(f"outputs_{kind}_none"))
        if row["note"] and lang == "en":
            st.text(row["note"])


MAP_WAIT_SECONDS = 2


@st.fragment(run_every=MAP_WAIT_SECONDS)
def map_wait_timer() -> None:
    """Drawn while the map page waits for its map (ui.state.map_first): if the map never says it is drawn
    (its frame failed to load, a browser that blocks its script), the rest of the page comes anyway."""
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.fragment_ids_this_run:  # the timer's run, not the page's
        stop_waiting_for_map()
        st.rerun()
