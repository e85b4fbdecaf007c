"""Record text that looks like a Jinja template stays text on the map and in its export.

branca compiles every rendered map script as a template a second time; unescaped, a place named
`{{ ... }}` would be evaluated on the server when the map is exported, and `{% ...` breaks the map.
"""

import html
import re

import pandas as pd

from geodata.layers import CONTEXT_FILE, read_oblasts
from initiatives import load_records
from initiatives.export import to_csv
from tests.pages.conftest import map_layers, run_app
from ui.data import geojson_dict
from ui.maps import build_map, standalone_html

# Evaluated, each part leaves a trace that the literal text does not contain.
TEMPLATE = '{{ "ev" ~ "aluated" }} {% if %} {# comment #}'
TEXTS = {"initiatives": "Initiatives", "approximate": "approximate", "places": "places",
         "click_to_open": "click to open"}


def tooltips(script: str) -> list[str]:
    return [html.unescape(t.encode().decode("unicode_escape")) for t in re.findall(r'"tooltip": "(.*?)"', script)]


def test_the_map_page_shows_template_code_in_a_place_name_as_text(tmp_path, monkeypatch):
    table = load_records().table
    for field in ("place_as_printed", "settlement_ky", "ayil_aimak_ky"):  # what a place's name is made of
        table[field] = table[field] + " " + TEMPLATE
    records = tmp_path / "template.csv"
    records.write_text(to_csv(table), encoding="utf-8")
    monkeypatch.setenv("YJ_RECORDS", str(records))
    at = run_app()
    layer = map_layers(at)
    assert "evaluated" not in layer
    assert sum(TEMPLATE in t for t in tooltips(layer)) == 25


def test_the_html_export_keeps_template_code_as_text():
    records = load_records()
    locations = records.locations.assign(place=records.locations["place"] + " " + TEMPLATE)
    counts = records.table["location_id"].value_counts()
    page = standalone_html(build_map(read_oblasts(), geojson_dict(str(CONTEXT_FILE)), locations,
                                     records.table["oblast_code"].value_counts(), counts, selected="", lang="ky",
                                     texts=TEXTS))
    assert "evaluated" not in page
    assert sum(TEMPLATE in t for t in tooltips(page)) == len(pd.unique(locations["location_id"]))
