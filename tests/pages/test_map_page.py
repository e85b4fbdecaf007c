"""The landing page: numbers, the map's content and assets, drill-down by URL, filters."""

import re

import pandas as pd
import pytest

from geodata.layers import read_oblasts
from tests.conftest import raw_initiatives
from tests.pages.conftest import map_args, map_layers, metrics, run_app
from ui.charts import bars_html
from ui.state import click_target


def test_headline_numbers_for_the_whole_programme():
    assert metrics(run_app()) == {"Initiatives": "50", "Locations": "25", "Oblasts": "7",
                                  "CSO / LSG grants": "25 / 25"}


def test_map_draws_8_oblasts_and_25_locations_from_local_assets_only():
    at = run_app()
    args = map_args(at)
    assert len(re.findall(r'"iso_code":', map_layers(at))) == 8
    assert len(re.findall(r'"location_id":', map_layers(at))) == 25
    assert '"iso_code":' not in args["script"], "the data layer is swapped in, not baked into the frame"
    for link in args["js_links"] + args["css_links"]:
        assert link.startswith("/app/static/vendor/"), link
    assert args["returned_objects"] == ["last_active_drawing"]


def test_oblast_in_the_url_drills_down():
    at = run_app({"oblast": "KG-O"})
    assert metrics(at)["Initiatives"] == "10"
    assert metrics(at)["Oblasts"] == "1"
    assert any("Osh Oblast" in s.value for s in at.subheader)
    assert at.sidebar.selectbox(key="w_oblast").value == "KG-O"
    fit = re.search(r"fitBounds\(\s*\[\[([\d.]+), ([\d.]+)\], \[([\d.]+), ([\d.]+)\]\]", map_args(at)["script"])
    south, west, north, east = map(float, fit.groups())
    minx, miny, maxx, maxy = read_oblasts().query("iso_code == 'KG-O'").total_bounds
    assert (south, west, north, east) == pytest.approx((miny, minx, maxy, maxx), abs=1e-4)


def test_back_button_returns_to_the_whole_country():
    at = run_app({"oblast": "KG-T"})
    at.button[0].click().run()
    assert metrics(at)["Initiatives"] == "50"
    assert "oblast" not in at.query_params


def test_unknown_values_in_the_url_are_ignored():
    at = run_app({"oblast": "KG-X", "theme": "youth,nonsense", "lang": "xx"})
    assert at.sidebar.selectbox(key="w_oblast").value == ""
    assert at.sidebar.multiselect(key="w_theme").value == ["youth"]


def test_theme_filter_changes_numbers_and_the_url():
    youth = sum("youth" in r["themes"].split(";") for r in raw_initiatives())
    at = run_app()
    at.sidebar.multiselect(key="w_theme").select("youth").run()
    assert metrics(at)["Initiatives"] == str(youth)
    assert metrics(at)["CSO / LSG grants"] == f"{youth} / 0"
    assert at.query_params["theme"] in ("youth", ["youth"])  # ?theme=youth


def test_location_in_the_url_opens_its_initiatives():
    at = run_app({"location": "L13"})
    texts = [t.value for t in at.text]
    assert any("Тынчтык" in t for t in texts)
    assert any("not published in the source" in t for t in texts)  # its LSG grant


def test_a_map_click_on_an_oblast_or_a_circle_is_understood():
    oblasts, locations = {"KG-O", "KG-C"}, {"L01"}
    click = {"last_active_drawing": {"properties": {"iso_code": "KG-O", "count": 10}}}
    assert click_target(click, oblasts, locations) == ("oblast", "KG-O")
    click = {"last_active_drawing": {"properties": {"location_id": "L01"}}}
    assert click_target(click, oblasts, locations) == ("location", "L01")
    assert click_target({"last_active_drawing": None}, oblasts, locations) is None
    assert click_target({"last_active_drawing": {"properties": {"iso_code": "KG-GB"}}}, oblasts, locations) is None


def test_russian_labels_and_oblast_names():
    at = run_app({"lang": "ru", "oblast": "KG-Y"})
    assert "Инициативы" in metrics(at)
    assert at.sidebar.selectbox(key="w_oblast").label == "Область"
    # Headings are Markdown: the label arrives escaped (data is never markup) and shows as written.
    assert any("Иссык-Кульская область" in s.value.replace("\\", "") for s in at.subheader)


def test_map_page_chart_follows_the_drilled_oblast():
    def pairs(oblast: str | None) -> int:
        rows = [r for r in raw_initiatives() if oblast in (None, r["oblast_code"])]
        return sum(max(1, len([c for c in r["themes"].split(";") if c])) for r in rows)

    for query, oblast in (({}, None), ({"oblast": "KG-O"}, "KG-O")):
        at = run_app(query)
        (chart,) = [h.proto.body for h in at.get("html") if "Initiatives by theme" in h.proto.body]
        numbers = [int(n) for n in re.findall(r'<td style="text-align:right[^"]*">(\d+)</td>', chart)]
        assert sum(numbers) == pairs(oblast)
        assert chart.count('<th scope="row"') == len(set(re.findall(r'<th scope="row"[^>]*>([^<]*)<', chart)))
    assert not at.get("plotly_chart"), "no chart library on the landing page (it held the map back)"


def test_a_filter_change_swaps_the_data_layer_in_the_same_map_frame():
    youth_places = {r["location_id"] for r in raw_initiatives() if "youth" in r["themes"].split(";")}
    at = run_app()
    before = map_args(at)
    at.sidebar.multiselect(key="w_theme").select("youth").run()
    after = map_args(at)
    assert after["script"] == before["script"] and after["key"] == before["key"], "same frame"
    assert len(re.findall(r'"location_id":', after["feature_group"])) == len(youth_places) < 25


def test_drilling_down_draws_a_new_frame_zoomed_to_the_oblast():
    at = run_app()
    country = map_args(at)
    drilled = map_args(run_app({"oblast": "KG-T"}))
    assert drilled["key"] != country["key"] and drilled["script"] != country["script"]


def test_a_filter_that_matches_nothing_leaves_an_empty_map_not_an_error():
    at = run_app({"q": "no such initiative anywhere"})
    assert metrics(at)["Initiatives"] == "0"
    assert len(re.findall(r'"iso_code":', map_layers(at))) == 8
    assert '"location_id":' not in map_layers(at)
    assert any("No initiative" in i.value or "no initiative" in i.value.lower() for i in at.info)


def test_the_landing_page_bars_escape_their_labels_and_keep_every_number():
    data = pd.DataFrame({"Theme": ["<b>x</b>", "<b>x</b>", "y"], "Grant type": ["CSO grant", "LSG small grant",
                                                                              "CSO grant"],
                         "Initiatives": [3, 2, 4]})
    page = bars_html(data, "Title & <i>", "en")
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page and "Title &amp; &lt;i&gt;" in page
    rows = re.findall(r"<tr><th scope=\"row\"[^>]*>(.*?)</th>.*?</tr>", page)
    assert rows == ["&lt;b&gt;x&lt;/b&gt;", "y"], "biggest total first"
    assert re.findall(r'<td style="text-align:right[^"]*">(\d+)</td>', page) == ["3", "2", "4", "0"]
