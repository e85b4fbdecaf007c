"""The programme, where the data comes from, how places were joined, and what the source lacks."""

import pandas as pd
import streamlit as st

from initiatives import vocab
from ui.state import current_view
from ui.text import markdown_text

view = current_view()
lang = view.lang
programme = view.data.programme  # checked when the data was loaded

st.title(view.t("page_about"))
st.header(view.t("about_programme"))
st.markdown(f"**{markdown_text(programme['name']['ky'])}** — {markdown_text(programme['name'][lang])}")
st.text(f"{view.t('goal')}: {programme['goal'][lang]}")
st.text(f"{view.t('partners')}: " + "; ".join(p[lang] for p in programme["partners"]))
st.text(f"{view.t('donor')}: {programme['donor'][lang]}")
st.text(f"{view.t('duration')}: {programme['start']} – {programme['end']}")
st.subheader(view.t("activities"))
for number, activity in enumerate(programme["activities"], start=1):
    st.text(f"{number}. {activity[lang]}")
st.caption(markdown_text(programme["source"]))

st.header(view.t("sources_licences"))
st.markdown(
    "- Initiatives: the programme newsletter for December 2021 – February 2022 (Kyrgyz), "
    "`shared/seeds/000_a4c9b521b5731473.txt`; translations and theme tags by the data editors.\n"
    "- Oblast boundaries and neighbours: Natural Earth 1:10m admin-1 and admin-0, v4.1.0, public domain, "
    "via Debian's `qgis-common` (`geodata/build.py`).\n"
    "- Coordinates: see each location's `coordinates_source` in `initiatives/data/locations.csv`.\n"
    "- Map software: Leaflet 1.9.3 (BSD-2-Clause) and jQuery 3.7.1 (MIT), served from this app."
)

if view.data.raions is None:
    st.caption(view.t("about_add_raions"))
else:
    st.caption(view.t("coverage_sources"))

st.header(view.t("join_report"))
st.dataframe(pd.DataFrame([{
    view.t("location"): f"{m.location_id} {m.place}",
    view.t("unit"): vocab.oblasts().label(m.unit_code, lang) if m.unit_code else "—",
    view.t("method"): m.method, "": m.detail} for m in view.data.join]), hide_index=True, width="stretch")

st.header(view.t("missing"))
for gap in programme["known_gaps"]:
    st.text(f"• {gap[lang]}")
st.subheader(view.t("ambiguous_places"))
locations = view.data.records.locations
uncertain = locations[locations["location_precision"].isin(("oblast", "district"))
                      | locations["reading_note"].str.contains("uncertain", case=False)]
st.dataframe(uncertain[["location_id", "place_as_printed", "oblast", "location_precision", "reading_note"]],
             hide_index=True, width="stretch")
