"""The benchmark's baseline: one streamlit-folium map (same oblast layer, 25 markers) and one bar chart.

Nothing else: no navigation, no state store, no translations. Assets are served locally the same
way as the dashboard's (XStatic files under static/ beside this script). bench/run.py runs it from a
scratch folder holding this file, a static/ folder and the dashboard's .streamlit/config.toml.
"""

import csv
import json
from pathlib import Path

import folium
import plotly.express as px
import streamlit as st
from streamlit_folium import st_folium

from geodata.layers import OBLASTS_FILE
from initiatives import vocab
from ui.assets import OfflineMap, ensure_static_assets

DATA = vocab.DATA_DIR

ensure_static_assets(Path(__file__).parent / "static" / "vendor")


@st.cache_data
def load() -> tuple[dict, list[dict], dict]:
    with (DATA / "locations.csv").open(encoding="utf-8") as f:
        places = {r["location_id"]: r for r in csv.DictReader(f)}
    with (DATA / "initiatives.csv").open(encoding="utf-8") as f:
        rows = [{**r, "oblast_code": places[r["location_id"]]["oblast_code"]} for r in csv.DictReader(f)]
    return json.loads(OBLASTS_FILE.read_text(encoding="utf-8")), rows, places


oblasts, rows, places = load()
themes = st.multiselect("Themes", vocab.themes().codes)
if themes:
    rows = [r for r in rows if set(r["themes"].split(";")) & set(themes)]
fmap = OfflineMap(location=[41.4, 74.7], zoom_start=6, tiles=None)
folium.GeoJson(oblasts, tooltip=folium.GeoJsonTooltip(fields=["name_en"])).add_to(fmap)
for location_id in sorted({r["location_id"] for r in rows}):
    place = places[location_id]
    folium.CircleMarker([float(place["latitude"]), float(place["longitude"])], radius=8,
                        tooltip=place["place_as_printed"], fill=True).add_to(fmap)
fmap.fit_bounds([[39.15, 69.25], [43.3, 80.3]])
st_folium(fmap, key="map", returned_objects=[], height=540, use_container_width=True)
counts: dict[str, int] = {}
for r in rows:
    counts[r["oblast_code"]] = counts.get(r["oblast_code"], 0) + 1
st.plotly_chart(px.bar(x=list(counts), y=list(counts.values()), title="Initiatives by oblast"))
