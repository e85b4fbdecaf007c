"""For a programme manager: the programme, where the data comes from, what is and is not known, and how
each place was put on the map. The maintainers' detail (files, columns, reading notes) is folded away."""

import pandas as pd
import streamlit as st

from initiatives import headline, vocab
from initiatives.records import place_names
from ui.data import current_version, editable, store
from ui.state import current_view
from ui.text import markdown_text

view = current_view()
lang = view.lang
programme = view.data.programme  # checked when the data was loaded
records = view.data.records
locations = records.locations

st.title(view.t("page_about"))
st.header(view.t("about_programme"))
# The programme's own name, in Kyrgyz, and its name in the reader's language where that is another one.
own, translated = programme["name"]["ky"], programme["name"][lang]
st.markdown(f"**{markdown_text(own)}**" + (f" — {markdown_text(translated)}" if translated != own else ""))
st.text(f"{view.t('goal')}: {programme['goal'][lang]}")
st.text(f"{view.t('partners')}: " + "; ".join(p[lang] for p in programme["partners"]))
st.text(f"{view.t('donor')}: {programme['donor'][lang]}")
st.text(f"{view.t('duration')}: {programme['start']} – {programme['end']}")
st.subheader(view.t("activities"))
for number, activity in enumerate(programme["activities"], start=1):
    st.text(f"{number}. {activity[lang]}")

st.header(view.t("about_sources"))
st.text(f"• {view.t('about_source_initiatives')}")
st.text(f"• {view.t('about_source_map')}")
if view.data.raions is not None:
    st.text(f"• {view.t('coverage_sources')}")
if editable():  # the records come from the store: its current version says when they last changed
    version = store().version(current_version())
    st.text(f"• {view.t('about_data_changed', when=version.when, number=version.number)}")

st.header(view.t("missing"))
whole = headline(records.table)
approximate = int(locations["location_precision"].isin(("oblast", "district")).sum())
st.text(f"• {view.t('about_known', cso=whole.cso, lsg=whole.lsg, places=whole.locations, approximate=approximate)}")
for gap in programme["known_gaps"]:
    st.text(f"• {gap[lang]}")

st.header(view.t("join_report"))
if view.data.raions is not None:
    st.text(view.t("about_ayil_aimak_moves"))
names = dict(zip(locations["location_id"], place_names(locations, lang), strict=True))
precision = dict(zip(locations["location_id"], locations["location_precision"], strict=True))
st.dataframe(pd.DataFrame([{
    view.t("location"): f"{names.get(m.location_id, m.place)} ({m.location_id})",
    view.t("oblast"): vocab.oblasts().label(m.unit_code, lang) if m.unit_code else "—",
    view.t("precision"): view.t(f"precision_{precision[m.location_id]}") if m.location_id in precision else "—",
    view.t("method"): view.t(f"join_method_{m.method}")} for m in view.data.join]),
    hide_index=True, width="stretch")

with st.expander(view.t("about_for_maintainers")):
    # For whoever keeps the data: files, columns and the English reading notes, as recorded.
    st.markdown(
        "- Initiatives: `shared/seeds/000_a4c9b521b5731473.txt`, "
        f"section of {markdown_text(programme['source'])}; records in `initiatives/data/initiatives.csv` and "
        "`locations.csv` (each location's `coordinates_source` and `reading_note`).\n"
        "- Oblast boundaries and neighbours: Natural Earth 1:10m admin-1 and admin-0, v4.1.0, public domain, "
        "via Debian's `qgis-common` (`geodata/build.py`).\n"
        "- Map software: Leaflet 1.9.3 (BSD-2-Clause) and jQuery 3.7.1 (MIT), served from this app.")
    if view.data.raions is None:
        st.caption(view.t("about_add_raions"))
    else:
        st.markdown(
            "- Raion boundaries: OCHA COD-AB Kyrgyzstan, admin 2, valid from 2018-11-19, CC BY-IGO (\"OCHA ROCCA; "
            "Ministry of Emergency Situations of the Kyrgyz Republic\"), simplified (`geodata/kg_raion.geojson`); "
            "population 2021 and poverty 2020: WFP PRISM Kyrgyzstan (MLSD 2020; NSC 2021) "
            "(`geodata/kg_raion_indicators.csv`); see `geodata/SOURCES.md`. An officer's newer import in "
            "`local-layers/` is used instead.")
    st.dataframe(pd.DataFrame([{"location_id": m.location_id, "place": m.place, "unit_code": m.unit_code,
                                "method": m.method, "detail": m.detail} for m in view.data.join]),
                 hide_index=True, width="stretch")
    st.dataframe(records.table.drop_duplicates("location_id")[["location_id", "raion_code", "raion_name",
                                                               "ayil_aimak_code", "ayil_aimak_name",
                                                               "ayil_aimak_source"]],
                 hide_index=True, width="stretch")
    st.dataframe(locations[["location_id", "place_as_printed", "oblast", "location_precision", "reading_note"]],
                 hide_index=True, width="stretch")
