"""Landing page: headline numbers, the map, drill-down into an oblast or a location."""

from functools import partial

import streamlit as st

from initiatives.export import view_file_name
from ui.map_frame import map_frame
from ui.map_view import ViewMap, oblast_heading, way_back
from ui.maps import (
    RAION_SOURCE,
    ayil_aimak_legend_html,
    build_map,
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
    choose_oblast,
    close_location,
    current_view,
    map_first,
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
place_heading = oblast_heading(view)[2]
SHADE_CHOICES = shade_choices(data)
waiting = map_first(view)  # this run ends with the map; the rest follows once the browser has drawn it
shade = store()["shade"]  # chosen under the map's legend (below)
the_map = ViewMap(view, shade)
units = the_map.units
PLACE_KEY = "yj-place"  # the chosen place's initiatives, brought into view when a click on the map opened it


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
        back, go_back, args = way_back(view)
        right.button(markdown_text(back), on_click=go_back, args=args, width="stretch")  # names are data
    hint = st.container(key=MAP_FIRST_KEY if waiting else None)  # the map-first mark (ui.state.map_first)
    map_area = st.container()

def whole_map_html() -> str:
    """The map as one file that stands alone when e-mailed: title, the view, legend, sources, popups."""
    source = view.t("map_source") + (f"; {RAION_SOURCE}" if the_map.with_raions else "")
    panel = standalone_panel(view.t("app_title"), filter_summary(view), legend, source)
    popups = location_popups(the_map.map_rows, view.lang, view.t("card_not_listed"))
    return standalone_html(build_map(data.oblasts, the_map.context(), the_map.mapped_places(), the_map.oblast_counts,
                                     the_map.location_counts, selected=view.oblast, lang=view.lang,
                                     texts=the_map.texts, ayil_aimaks=the_map.ayil_aimak_marks(),
                                     raions=the_map.raion_shading(), bounds=the_map.raion_bounds(),
                                     label_px=the_map.label_px, oblast_label_px=the_map.oblast_label_px,
                                     popups=popups, panel=panel))


def located_legend() -> str:
    """What a circle's size means: "the bigger, the more", or, where every place in view has as many initiatives
    (each of the 25 has two), that number: a size that never varies promised a difference there is not."""
    counts = the_map.location_counts
    sizes = set(counts[counts > 0])
    return view.t("legend_location_each", n=int(sizes.pop())) if len(sizes) == 1 else view.t("legend_location")


with map_area:
    if not view.present:
        hint.caption(the_map.hint)
    map_frame(frame=the_map.frame_digest, build_frame=the_map.basemap, layer=the_map.layer_digest,
              build_layer=the_map.initiatives_layer, key=the_map.key, on_change=partial(on_map_click, the_map.key),
              height=the_map.height)
    # The legend directly under the map (beside the numbers on a projector).
    if the_map.poverty_shading:
        legend = poverty_legend_html(view.t("legend_poverty"), view.t("legend_no_figure"),
                                     view.t("legend_poverty_source"), view.t("coverage_mark_none"))
    else:
        per_raion = the_map.raion_counts is not None
        shown_counts = the_map.raion_counts if per_raion else the_map.oblast_counts
        top = int(shown_counts.max()) if len(shown_counts) else 0
        legend = legend_html(top, view.t(f"legend_{'raion' if per_raion else 'oblast'}_{shade}"),
                             located_legend(), view.t("approximate_position"),
                             view.t("map_summary") if summarised(the_map.location_counts) else "",
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
    bring_into_view(PLACE_KEY, clicked=place_just_clicked())
elif view.rows.empty:
    st.info(view.t("no_rows"))
if not view.rows.empty:
    # What is done in the view the map shows (the whole country or the chosen oblast).
    clickable_bars(view, "theme", "chart_by_theme")
