"""The stack's limit, as references the dashboard is measured against (issue 15).

- a one-line Streamlit page: the least any Streamlit page costs from open to text shown;
- the same map as one static Leaflet file opened from `file://`: the least the map costs to draw;
- a one-line Streamlit page with one Plotly bar chart: the least a chart page costs.

The first two added are the fastest this map can reach a viewer through Streamlit ("the limit").
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from geodata.layers import OBLASTS_FILE
from initiatives import vocab

ONE_LINE_TEXT = "Ынтымактуу Жашоо"
ONE_LINE_APP = f'import streamlit as st\n\nst.write("{ONE_LINE_TEXT}")\n'
ONE_LINE_PLOTLY_APP = (
    "import plotly.express as px\nimport streamlit as st\n\n"
    'st.plotly_chart(px.bar(x=["KG-B", "KG-C", "KG-J", "KG-O"], y=[6, 4, 12, 10]))\n'
)


def write_app(folder: Path, source: str, config: Path) -> Path:
    """A one-file app in its own folder, with the dashboard's server config (so both are served alike)."""
    folder.mkdir(parents=True)
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "config.toml").write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    script = folder / "app.py"
    script.write_text(source, encoding="utf-8")
    return script


def locations() -> list[tuple[float, float]]:
    with (vocab.DATA_DIR / "locations.csv").open(encoding="utf-8") as f:
        return [(float(r["latitude"]), float(r["longitude"])) for r in csv.DictReader(f)]


def static_map(out: Path) -> tuple[Path, int]:
    """The landing map's oblast layer and 25 places in one HTML file, Leaflet from the XStatic package's
    own files; returns the file and how many interactive paths it draws."""
    import xstatic.pkg.leaflet as leaflet

    leaflet_dir = Path(leaflet.BASE_DIR)
    oblasts = json.loads(OBLASTS_FILE.read_text(encoding="utf-8"))
    points = locations()
    html = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>static map</title>
<link rel="stylesheet" href="{(leaflet_dir / "leaflet.css").as_uri()}">
<script src="{(leaflet_dir / "leaflet.js").as_uri()}"></script>
<style>html, body, #map {{ height: 100%; margin: 0; }}</style></head>
<body><div id="map"></div><script>
const map = L.map("map", {{zoomSnap: 0.25}}).fitBounds([[39.15, 69.25], [43.3, 80.3]]);
L.geoJSON({json.dumps(oblasts)}, {{style: {{color: "#555", weight: 1, fillColor: "#fdd0a2", fillOpacity: 0.8}}}})
  .bindTooltip(layer => layer.feature.properties.name_en).addTo(map);
for (const [lat, lon] of {json.dumps(points)}) {{
  L.circleMarker([lat, lon], {{radius: 8, color: "#d94801", fillOpacity: 0.9}}).addTo(map);
}}
</script></body></html>
"""
    out.write_text(html, encoding="utf-8")
    return out, len(oblasts["features"]) + len(points)
