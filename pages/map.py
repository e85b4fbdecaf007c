"""Landing page: headline numbers, the map, drill-down into an oblast or a location."""

from dataclasses import replace
from functools import partial

import streamlit as st

from geodata.layers import CONTEXT_FILE
from initiatives import apply_filters, vocab
from initiatives.export import view_file_name
from ui.data import digest, geodata_dir, geojson_dict
from ui.map_frame import map_frame
from ui.maps import (
    RAION_SOURCE,
    AyilAimakMarks,
    RaionShading,
    ayil_aimak_legend_html,
    base_map,
    build_map,
    data_layer,
    legend_html,
    location_popups,
    poverty_legend_html,
    standalone_html,
    standalone_panel,
    summarised,
)
from ui.present import language_buttons
from ui.state import (
    MAP_FIRST_KEY,
    bound,
    choose_ayil_aimak,
    choose_oblast,
    choose_raion,
    close_location,
    current_view,
    map_first,
    map_widget_key,
    on_map_click,
    place_just_clicked,
    set_value,
    shade_choices,
    store,
)
from ui.text import markdown_text
from ui.venue import link_button, link_dialog
from ui.widgets import (
    breadcrumb,
    bring_into_view,
    clickable_bars,
    filter_summary,
    headline_numbers,
    initiative_card,
    location_choices,
    map_wait_timer,
    tour_oblasts,
)

view = current_view()
data = view.data
table = data.records.table
raion_layer = data.raions
units = data.ayil_aimaks if view.raion else None  # drilled into a raion: its ayil aimaks and towns
oblast_name = vocab.oblasts().label(view.oblast, view.lang) if view.oblast else ""
raion_name = raion_layer.label(view.raion, view.lang) if view.raion and raion_layer is not None else ""
place_heading = " › ".join(part for part in (oblast_name, raion_name, units.label(view.ayil_aimak, view.lang)
                                             if units is not None and view.ayil_aimak else "") if part)
SHADE_CHOICES = shade_choices(data)
waiting = map_first(view)  # this run ends with the map; the rest follows once the browser has drawn it
shade = store()["shade"]  # chosen under the map's legend (below)
PLACE_KEY = "yj-place"  # the chosen place's initiatives, brought into view when a click on the map opened it
MAP_HEIGHT = 500  # with the numbers above it, the whole map above the fold at 1366x900


st.title(view.t("app_title"))
if view.present:
    language_buttons(view)
    # Projector: the map filling the screen's height beside a column of big numbers, the oblast tour and
    # the way out; a clicked place opens in a dialog over the map, so it is never below the screen.
    map_area, numbers = st.columns([3, 1])
    with numbers:
        if view.oblast:
            st.subheader(markdown_text(place_heading), anchor=False)
        headline_numbers(view, stacked=True)
        tour = tour_oblasts(view)
        st.button(view.t("previous_oblast"), on_click=choose_oblast, args=(tour.previous,), width="stretch")
        st.button(view.t("next_oblast"), on_click=choose_oblast, args=(tour.next,), width="stretch")
        if view.oblast:  # the short form: a projector column is narrow
            st.button(f"← {view.t('all_kyrgyzstan')}", on_click=choose_oblast, args=("",), width="stretch")
        link_button(view.t("venue_button"))  # the room opens this view on its phones
        st.button(view.t("exit_presentation"), on_click=set_value, args=("present", False), width="stretch",
                  key="exit_presentation", type="primary")
else:
    st.caption(view.t("app_subtitle"))
    breadcrumb(view)
    headline_numbers(view)
    if view.oblast:
        left, right = st.columns([3, 1])
        left.subheader(view.t("showing_oblast", oblast=markdown_text(place_heading)), anchor=False)
        if view.ayil_aimak:
            right.button(view.t("back_to_raion", raion=raion_name), on_click=choose_ayil_aimak, args=("",),
                         width="stretch")
        elif view.raion:
            right.button(view.t("back_to_oblast", oblast=oblast_name), on_click=choose_raion, args=("",),
                         width="stretch")
        else:
            right.button(view.t("back_to_country"), on_click=choose_oblast, args=("",), width="stretch")
    hint = st.container(key=MAP_FIRST_KEY if waiting else None)  # the map-first mark (ui.state.map_first)
    map_area = st.container()
# The map keeps the whole country in view (zoomed to the chosen oblast), so it counts every oblast.
map_rows = (apply_filters(table, replace(view.filters, oblasts=(), raions=(), ayil_aimaks=()), data.haystack)
            if view.oblast else view.rows)
if shade in ("cso", "lsg"):
    map_rows = map_rows[map_rows["grant_type"] == shade]
counted = f"shade_{shade}" if shade in ("cso", "lsg") else "metric_initiatives"  # what the shading counts
texts = {"initiatives": view.t(counted), "approximate": view.t("approximate_position"),
         "places": view.t("map_places"), "click_to_open": view.t("map_click_to_open"),
         "poverty": view.t("coverage_poverty"), "other_oblast": view.t("map_other_oblast"),
         "nothing": view.t("map_nothing")}
oblast_counts = map_rows["oblast_code"].value_counts()
location_counts = map_rows["location_id"].value_counts()
counts = (oblast_counts, location_counts)
# Drilled into an oblast: its raions and cities, shaded by the initiatives in view; or, as context for the
# whole country or an oblast, every raion shaded by poverty. Built only when the layer is (see map_frame).
with_raions = raion_layer is not None and bool(view.oblast or shade == "poverty")
raion_counts = None
if with_raions:  # on the oblast's own scale: its busiest raion is the darkest
    in_oblast = map_rows[map_rows["oblast_code"] == view.oblast] if view.oblast else map_rows
    raion_counts = in_oblast["raion_code"].value_counts()
poverty_shading = with_raions and shade == "poverty" and raion_layer.indicators is not None
unit_counts = None
if units is not None:
    unit_counts = map_rows.loc[map_rows["raion_code"] == view.raion, "ayil_aimak_code"].value_counts()


def raion_shading() -> RaionShading | None:
    if not with_raions:
        return None
    units = raion_layer.units_in(view.oblast)
    poverty = raion_layer.indicators["poverty_pct_2020"].to_dict() if poverty_shading else None
    return RaionShading(units, {c: raion_layer.label(c, view.lang) for c in units["unit_code"]}, raion_counts,
                        view.raion, poverty, raion_layer.lakes_in(view.oblast, view.lang))


def ayil_aimak_marks() -> AyilAimakMarks | None:
    if units is None:
        return None
    codes = units.codes_in(view.raion)
    return AyilAimakMarks(units.shapes_in(view.raion), {c: units.label(c, view.lang) for c in codes},
                          {c: view.t(f"aa_kind_{units.kind(c)}") for c in codes}, unit_counts,
                          units.drawn == "polygons", view.ayil_aimak)


label_px = (17 if view.present else 13) if view.oblast else 0  # the whole country's 53 names would hide it
oblast_label_px = 0 if view.oblast else 19 if view.present else 14  # the country's oblasts, named
place_label_px = 19 if view.present and view.oblast else 0  # a projector names a drilled oblast's places


def context():
    return geojson_dict(str(geodata_dir() / CONTEXT_FILE.name))


def raion_bounds():
    """Drilled into an ayil aimak drawn as a polygon, its extent; else the raion's."""
    if not view.raion or raion_layer is None:
        return None
    unit = units.bounds_of(view.ayil_aimak) if units is not None and view.ayil_aimak else None
    if unit is not None:
        return unit
    return raion_layer.units.loc[raion_layer.units["unit_code"] == view.raion].total_bounds


def basemap():
    """Fresh folium objects each time (folium duplicates layers when one object is rendered twice);
    built only the first time a view is shown (see ui.map_frame)."""
    return base_map(data.oblasts, context(), selected=view.oblast, lang=view.lang, bounds=raion_bounds(),
                    fill_frame=view.present)


def mapped_places():
    """Every place, but drilled into a raion only its oblast's: zoomed that far the other oblasts' grey circles
    are off the map, and they took the map data of a raion with its ayil aimaks over its budget (issue 28)."""
    places = data.records.locations
    return places[places["oblast_code"] == view.oblast] if view.raion else places


def initiatives_layer():
    return data_layer(data.oblasts, mapped_places(), *counts, selected=view.oblast, lang=view.lang,
                      texts=texts, raions=raion_shading(), label_px=label_px, oblast_label_px=oblast_label_px,
                      ayil_aimaks=ayil_aimak_marks(), place_label_px=place_label_px)


def whole_map_html() -> str:
    """The map as one file that stands alone when e-mailed: title, the view, legend, sources, popups."""
    source = view.t("map_source") + (f"; {RAION_SOURCE}" if with_raions else "")
    panel = standalone_panel(view.t("app_title"), filter_summary(view), legend, source)
    popups = location_popups(map_rows, view.lang, view.t("card_not_listed"))
    return standalone_html(build_map(data.oblasts, context(), mapped_places(), *counts, selected=view.oblast,
                                     lang=view.lang, texts=texts, ayil_aimaks=ayil_aimak_marks(),
                                     raions=raion_shading(), bounds=raion_bounds(), label_px=label_px,
                                     oblast_label_px=oblast_label_px, popups=popups, panel=panel))


def located_legend() -> str:
    """What a circle's size means: "the bigger, the more", or, where every place in view has as many initiatives
    (each of the 25 has two), that number: a size that never varies promised a difference there is not."""
    sizes = set(location_counts[location_counts > 0])
    return view.t("legend_location_each", n=int(sizes.pop())) if len(sizes) == 1 else view.t("legend_location")


# One map frame per drill-down level: a filter change swaps the data layer inside the same frame.
map_key = map_widget_key(view.oblast, view.raion, view.ayil_aimak)
with map_area:
    if not view.present:
        hint.caption(view.t(f"map_hint_ayil_aimak{'_polygons' if units.drawn == 'polygons' else 's'}"
                            if units is not None else
                            "map_hint_raions" if with_raions and view.oblast else "map_hint"))
    # The language too: the frame's + and − are titled in it (ui.maps.ZoomButtons).
    map_frame(frame=digest(data.version, view.oblast, view.raion, view.ayil_aimak, view.present, view.lang),
              build_frame=basemap,
              layer=digest(data.version, view.oblast, view.raion, view.ayil_aimak, view.lang, shade, label_px,
                           oblast_label_px, place_label_px, tuple(oblast_counts.items()),
                           tuple(location_counts.items()),
                           () if raion_counts is None else tuple(raion_counts.items()),
                           () if unit_counts is None else tuple(unit_counts.items())),
              build_layer=initiatives_layer, key=map_key, on_change=partial(on_map_click, map_key),
              height=560 if view.present else MAP_HEIGHT)
    # The legend directly under the map (beside the numbers on a projector).
    if poverty_shading:
        legend = poverty_legend_html(view.t("legend_poverty"), view.t("legend_no_figure"),
                                     view.t("legend_poverty_source"), view.t("coverage_mark_none"))
    else:
        per_raion = raion_counts is not None
        shown_counts = raion_counts if per_raion else oblast_counts
        top = int(shown_counts.max()) if len(shown_counts) else 0
        legend = legend_html(top, view.t(f"legend_{'raion' if per_raion else 'oblast'}_{shade}"),
                             located_legend(), view.t("approximate_position"),
                             view.t("map_summary") if summarised(location_counts) else "",
                             view.t("legend_other_oblasts") if view.oblast and not view.raion else "")
    if units is not None:  # which of the two the ayil aimaks are drawn as
        drawn = units.drawn
        legend += ayil_aimak_legend_html(drawn == "polygons", view.t(f"legend_aa_{drawn}"),
                                         view.t("legend_aa_reached"), view.t("legend_aa_none"))
    st.html(legend)
locations = data.records.locations
in_view, names = location_choices(view)
options = ["", *in_view]
if store()["location"] not in options:
    set_value("location", "")
chosen = str(store()["location"])


def location_details() -> None:
    """The chosen place's initiatives, each a card."""
    loc = locations.loc[locations["location_id"] == chosen].iloc[0]
    if loc["reading_note"] and view.lang == "en":  # maintainers' notes, in English (see initiative_card)
        st.text(f"{view.t('reading_note')}: {loc['reading_note']}")
    for _, row in view.rows[view.rows["location_id"] == chosen].iterrows():
        initiative_card(row, view)


if view.present:
    if not chosen:
        link_dialog(view.t, view.t("venue_title"))
    if chosen:
        st.dialog(view.t("initiatives_at", place=markdown_text(names[chosen])), width="large",
                  on_dismiss=close_location)(location_details)()
    st.stop()  # the projector view ends with the map: no downloads, pickers or bars to scroll to
if waiting:
    map_wait_timer()
    st.stop()  # and with it the sidebar (drawn after the page, see dashboard.py)

# The shading choice under the legend it changes, not above the map: a session's first run ends with the map
# (map_first), and a radio above it was one more kind of element whose code came before the map (issue 15).
st.radio(view.t("shade_by"), SHADE_CHOICES, index=SHADE_CHOICES.index(shade), horizontal=True,
         format_func=lambda s: view.t(f"shade_{s}"), **bound("shade"))
st.download_button(view.t("download_map"), whole_map_html, view_file_name(view.filters, "html", "map"),
                   "text/html", key="download_map", on_click="ignore")
st.selectbox(view.t("choose_location"), options, index=options.index(chosen),
             format_func=lambda lid: names[lid] if lid else view.t("no_location"),
             placeholder=view.t("choose_placeholder"), **bound("location"))
if chosen:
    with st.container(key=PLACE_KEY):
        st.subheader(view.t("initiatives_at", place=markdown_text(names[chosen])), anchor=False)
        location_details()
    if place_just_clicked():
        bring_into_view(PLACE_KEY)
elif view.rows.empty:
    st.info(view.t("no_rows"))
if not view.rows.empty:
    # What is done in the view the map shows (the whole country or the chosen oblast).
    clickable_bars(view, "theme", "chart_by_theme")
