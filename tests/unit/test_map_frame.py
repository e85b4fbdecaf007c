"""The map's data layer is built without compiling the scripts it renders (ui.map_frame.LazyTemplate)."""

from __future__ import annotations

import re

import folium
import jinja2
import streamlit_folium

from geodata.layers import read_oblasts
from initiatives import load_records
from ui.map_frame import LazyTemplate
from ui.maps import data_layer

TEXTS = {"initiatives": "Initiatives", "approximate": "approximate", "places": "places",
         "click_to_open": "click to open"}
JINJA_SYNTAX = re.compile(r"\{\{|\{%|\{#")


def test_building_the_data_layer_compiles_only_real_templates(monkeypatch):
    records = load_records()
    layer = data_layer(read_oblasts(), records.locations, records.table["oblast_code"].value_counts(),
                       records.table["location_id"].value_counts(), selected="", lang="ky", texts=TEXTS,
                       oblast_label_px=14)
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def recording(self, source, *args, **kwargs):
        compiled.append(str(source))
        return compile_source(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", recording)
    script = streamlit_folium._get_feature_group_string(layer, map=folium.Map(tiles=None))
    assert script.count('"location_id"') >= 25
    # What branca compiled before: each rendered script (plain JavaScript, no Jinja in it), ~36 of them.
    assert [source[:80] for source in compiled if not JINJA_SYNTAX.search(source)] == []


def test_a_lazy_template_renders_and_exposes_its_macros_as_jinja_does():
    source = "{% macro script(this) %}var x = {{ this }};{% endmacro %}{{ greeting }}, {{ name }}!"
    lazy = LazyTemplate(source)
    assert lazy.render(greeting="Салам", name="Ош") == jinja2.Template(source).render(greeting="Салам", name="Ош")
    assert lazy.module.script(7) == "var x = 7;"
