"""The raion level through the pages, with the official layer imported (issue 11, items 3 and 5)."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.conftest import raw_initiatives
from tests.pages.conftest import map_args, map_layers, metrics, run_app
from tests.unit.test_raions import CHECKED
from ui.maps import WATER
from ui.state import click_target

NOOKAT = "KG06242000000"
OSH_UNITS = 7  # COD-AB: Alai, Aravan, Chong-Alai, Kara-Kulja, Kara-Suu, Nookat, Uzgen
MAP_DATA_BUDGET = 150_000  # bytes of map data (frame script + data layer) for a drilled view


@pytest.fixture
def with_raions(local_layers, monkeypatch):
    monkeypatch.setenv("YJ_LAYERS_DIR", str(local_layers))


def in_units(*units: str) -> list[dict]:
    places = {loc for loc, (unit, _) in CHECKED.items() if unit in units}
    return [r for r in raw_initiatives() if r["location_id"] in places]


def map_labels(at) -> list[str]:
    """The texts of the map's labels (Leaflet divIcons), as the browser shows them."""
    return [html.unescape(re.sub(r"<[^>]+>", "", json.loads(text)))
            for text in re.findall(r'"html": ("(?:[^"\\]|\\.)*"),\s+"iconSize"', map_layers(at))]


def test_a_raion_link_drills_into_it_and_its_oblast(with_raions):
    at = run_app({"raion": NOOKAT})
    nookat = in_units(NOOKAT)
    assert metrics(at)["Initiatives"] == str(len(nookat)) == "4"
    assert metrics(at)["Locations"] == "2"
    assert at.sidebar.selectbox(key="w_oblast").value == "KG-O", "the raion's oblast follows"
    assert at.sidebar.selectbox(key="w_raion").value == NOOKAT
    assert at.query_params["raion"] in (NOOKAT, [NOOKAT]) and at.query_params["oblast"] in ("KG-O", ["KG-O"])
    assert any("Osh Oblast › Nookat" in s.value for s in at.subheader)


def test_drilled_into_an_oblast_the_map_shades_and_names_its_raions(with_raions):
    for lang, nookat in (("en", "Nookat · 4"), ("ru", "Ноокатский район · 4"), ("ky", "Ноокат району · 4")):
        at = run_app({"oblast": "KG-O", "lang": lang})
        layer = map_layers(at)
        assert layer.count('"raion_code": "KG06') == OSH_UNITS, "every raion and city of Osh, no other"
        labels = map_labels(at)
        assert nookat in labels and len(labels) == OSH_UNITS, "each raion named with its count, in the language"
    country = map_labels(run_app({"lang": "ru"}))
    assert len(country) == 7 and all(label.split(" · ")[0].endswith("область") for label in country), \
        "the whole country: its oblasts named, no raion names crowding it"


def test_raion_counts_follow_the_filters(with_raions):
    at = run_app({"oblast": "KG-O", "grant_type": "cso"})
    layer = map_layers(at)
    found = {unit: n for n, unit in re.findall(r'\{"count": (\d+), "fill": "#\w+", "raion_code": "(KG\d+)"', layer)}
    expected = {}
    for r in in_units(*found):
        if r["grant_type"] == "cso":
            unit = CHECKED[r["location_id"]][0]
            expected[unit] = expected.get(unit, 0) + 1
    assert {u: int(n) for u, n in found.items() if int(n)} == expected and len(found) == OSH_UNITS
    assert sum(int(n) == 0 for n in found.values()) >= 3, "raions with none are drawn too"


def test_a_click_on_a_raion_means_the_raion_and_back_returns_to_the_oblast(with_raions):
    click = {"last_active_drawing": {"properties": {"raion_code": NOOKAT, "count": 4}}}
    assert click_target(click, {"KG-O"}, {"L07"}, {NOOKAT}) == ("raion", NOOKAT)
    assert click_target(click, {"KG-O"}, {"L07"}) is None, "no raion layer, no raion click"
    at = run_app({"raion": NOOKAT})
    (back,) = [b for b in at.button if b.label.startswith("←")]
    assert back.label == "← Back to Osh Oblast"
    back.click().run()
    assert metrics(at)["Initiatives"] == "10" and "raion" not in at.query_params
    assert at.sidebar.selectbox(key="w_oblast").value == "KG-O"


def test_the_sidebar_raion_filter_lists_the_oblasts_units_and_sets_the_url(with_raions):
    at = run_app({"oblast": "KG-O"})
    box = at.sidebar.selectbox(key="w_raion")
    assert len(box.options) == OSH_UNITS + 1 and box.options[0] == "All raions"
    box.select(NOOKAT).run()
    assert metrics(at)["Initiatives"] == "4" and at.query_params["raion"] in (NOOKAT, [NOOKAT])
    at.sidebar.selectbox(key="w_oblast").select("KG-T").run()
    assert at.sidebar.selectbox(key="w_raion").value == "", "another oblast: the raion goes"
    assert "raion" not in at.query_params and metrics(at)["Initiatives"] == str(
        sum(r["oblast_code"] == "KG-T" for r in raw_initiatives()))


def test_a_raion_of_another_oblast_in_the_url_is_dropped(with_raions):
    at = run_app({"oblast": "KG-T", "raion": NOOKAT})
    assert at.sidebar.selectbox(key="w_raion").value == "" and at.sidebar.selectbox(key="w_oblast").value == "KG-T"
    assert any("Nookat" in t.proto.body or "KG06242000000" in t.proto.body for t in at.toast)


def test_the_drilled_map_stays_within_its_data_budget(with_raions):
    for oblast in ("KG-J", "KG-C", "KG-Y", "KG-O", "KG-N", "KG-B", "KG-T"):
        args = map_args(run_app({"oblast": oblast}))
        size = len(args["script"].encode()) + len((args["feature_group"] or "").encode())
        assert size <= MAP_DATA_BUDGET, f"{oblast}: {size:,} bytes of map data"


def test_lakes_show_as_water_in_their_oblasts(with_raions):
    assert "Ысык-Көл" in map_labels(run_app({"oblast": "KG-Y", "lang": "ky"}))
    assert "Song-Köl" in map_labels(run_app({"oblast": "KG-N"}))
    assert "Song-Köl" not in map_labels(run_app({"oblast": "KG-T"}))
    assert WATER in map_layers(run_app({"oblast": "KG-Y"})) and WATER not in map_layers(run_app({"oblast": "KG-T"}))


def test_poverty_shading_is_offered_with_its_legend_and_source(with_raions):
    at = run_app({"oblast": "KG-O", "shade": "poverty"})
    assert "Poverty (raions)" in at.radio(key="w_shade").options
    legend = " ".join(h.proto.body for h in at.get("html") if "poverty line" in h.proto.body)
    assert "2020" in legend and "Ministry of Labour and Social Development" in legend and "COD-AB" in legend
    assert "Poverty, % (2020)" in map_layers(at), "each raion's share in its tooltip"


def test_the_explorer_shows_raion_name_and_code(with_raions):
    at = run_app({"lang": "ru", "oblast": "KG-O"}, page="pages/explorer.py")
    table = at.dataframe[0].value
    rows = dict(zip(table["Код"], zip(table["Район или город"], table["P-код района"], strict=True), strict=True))
    nookat = {r["id"] for r in in_units(NOOKAT)}
    assert {rows[i] for i in nookat} == {("Ноокатский район", NOOKAT)}


def test_the_themes_page_counts_by_raion_inside_an_oblast(with_raions):
    at = run_app({"oblast": "KG-O"}, page="pages/themes.py")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in at.get("plotly_chart")]
    assert "Initiatives by raion and grant type" in titles and "Initiatives by oblast and grant type" not in titles
    (spec,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
               if json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ").endswith(
                   "by raion and grant type")]
    per_raion = {}
    for trace in spec["data"]:
        for name, n in zip(trace["y"], trace["x"], strict=True):
            per_raion[name] = per_raion.get(name, 0) + n
    assert per_raion["Nookat"] == 4 and sum(per_raion.values()) == 10


def test_without_any_raion_layer_there_is_no_trace_of_raions(no_raion_layer):
    at = run_app({"oblast": "KG-O", "raion": NOOKAT})
    assert "raion" not in at.query_params
    assert [s.label for s in at.sidebar.selectbox] == ["Language", "Oblast"]
    assert '"raion_code"' not in map_layers(at) and len(at.radio(key="w_shade").options) == 3
    explorer = run_app({"oblast": "KG-O"}, page="pages/explorer.py").dataframe[0].value
    assert not [c for c in explorer.columns if "aion" in c]


def test_drilled_the_other_oblasts_places_are_marked_and_the_legend_says_so():
    at = run_app({"oblast": "KG-N", "theme": "youth", "grant_type": "cso"})
    layer = map_layers(at)
    inside = re.findall(r'"location_id": "(L\d+)", "outside": false', layer)
    outside = re.findall(r'"location_id": "(L\d+)", "outside": true', layer)
    assert len(inside) == int(metrics(at)["Locations"]), "the numbers count the chosen oblast's circles"
    assert outside, "matching places elsewhere stay as context"
    legend = " ".join(h.proto.body for h in at.get("html") if "approximate position" in h.proto.body)
    assert "places in other oblasts (same filters)" in legend


def test_an_empty_map_says_why_on_the_map():
    labels = map_labels(run_app({"q": "no such initiative anywhere", "lang": "ru"}))
    assert "Ни одна инициатива не соответствует фильтрам" in labels
    assert [label for label in labels if " · " in label and not label.endswith(" · 0")] == [], "every oblast at 0"


HOSTILE_RAION = '<a href="http://198.51.100.7/">Click me</a><span style=font-size:90px>big</span>'


def test_raion_names_from_an_imported_file_reach_the_charts_as_text(local_layers, tmp_path, monkeypatch):
    """Issue 32, item 9: a name from an official file that an officer imports is data, never Plotly markup."""
    import shutil

    layers = tmp_path / "layers"
    shutil.copytree(local_layers, layers)
    layer = json.loads((layers / "kg_raion.geojson").read_text(encoding="utf-8"))
    reached = next(unit for unit, _ in CHECKED.values() if unit and unit.startswith("KG03"))  # in Jalal-Abad
    feature = next(f for f in layer["features"] if f["properties"]["unit_code"] == reached)
    feature["properties"]["name_ru"] = HOSTILE_RAION  # the Kyrgyz name stays: the records' check reads it
    (layers / "kg_raion.geojson").write_text(json.dumps(layer, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("YJ_LAYERS_DIR", str(layers))
    at = run_app({"oblast": "KG-J", "lang": "ru"}, page="pages/themes.py")
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    labels = [str(label) for spec in specs for trace in spec["data"] for label in trace.get("y") or []]
    assert any(html.escape(HOSTILE_RAION, quote=False) in label for label in labels), "the raion in a chart, as text"
    assert not [label for label in labels if "<a" in label or "<span" in label]
