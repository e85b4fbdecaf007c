"""The landing page: numbers, the map's content and assets, drill-down by URL, filters."""

import json
import re

import pandas as pd
import pytest

from geodata.layers import read_oblasts
from initiatives import load_records, vocab
from tests.conftest import ROOT, raw_initiatives
from tests.pages.conftest import map_args, map_layers, metrics, run_app
from ui.charts import bar_background, bar_list, labelled_counts, published
from ui.state import MAP_FIRST_ID_END, MAP_PAINTED, MAP_SHOWN, click_target, on_map_click


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
        assert link.startswith("/app/static/"), link
    # One script file (the frame loads each in turn): Leaflet, the first-click fix before any map is made, jQuery.
    assert args["js_links"] == ["/app/static/vendor/map-scripts.js"]
    scripts = (ROOT / "static" / "vendor" / "map-scripts.js").read_text(encoding="utf-8")
    leaflet, fixes, jquery = (scripts.index(s) for s in ("Leaflet 1.9.3", "L.Map.Keyboard.prototype._onMouseDown",
                                                           "jQuery v3.7.1"))
    assert leaflet < fixes < jquery
    # The clicked feature, and the click count that makes a second click on it a new value; no pan or zoom.
    assert args["returned_objects"] == ["last_active_drawing", "last_object_clicked_count"]


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


def test_a_filter_chosen_in_its_widget_leaves_the_widget_as_the_browser_has_it():
    """Redrawn with a default that followed its value, the widget was described anew after each choice and the
    browser drew it, and its open list, once more (issue 15). After a run that drew no sidebar, the view's values."""
    at = run_app()
    described = {}
    for key, code in (("w_theme", "youth"), ("w_grant_type", "cso"), ("w_theme", "water")):
        at.sidebar.multiselect(key=key).select(code).run()
        now = {k: at.sidebar.multiselect(key=k).proto.SerializeToString() for k in ("w_theme", "w_grant_type")}
        assert now == (described or now), f"choosing {code} described the filters anew"
        described = now
    assert at.sidebar.multiselect(key="w_theme").value == ["youth", "water"]
    at.switch_page("pages/themes.py").run()
    assert at.sidebar.multiselect(key="w_theme").proto.SerializeToString() == described["w_theme"]
    at.switch_page("pages/map.py").run()
    at.sidebar.toggle(key="w_present").set_value(True).run()  # a run with no sidebar: its widgets lose their state
    at.button(key="exit_presentation").click().run()
    drawn = at.sidebar.multiselect(key="w_theme")
    assert drawn.value == ["youth", "water"]
    assert [drawn.options[i] for i in drawn.proto.default] == [drawn.format_func(c) for c in ("youth", "water")]


def test_a_projector_draws_no_sidebar_widgets_yet_keeps_the_view_they_set():
    youth = sum("youth" in r["themes"].split(";") for r in raw_initiatives())
    at = run_app({"theme": "youth", "lang": "ru"})
    at.sidebar.toggle(key="w_present").set_value(True).run()
    assert not at.sidebar.selectbox and not at.sidebar.multiselect and not at.sidebar.text_input
    assert not at.sidebar.toggle and not at.sidebar.button
    assert metrics(at)["Инициативы"] == str(youth), "the filters still apply, in the chosen language"


def test_location_in_the_url_opens_its_initiatives():
    at = run_app({"location": "L13"})
    texts = [t.value for t in at.text]
    assert any("Тынчтык" in t for t in texts)
    assert sum("not listed there" in t for t in texts) == 1, "its LSG grant says once that it is not listed"


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


def landing_bars(at) -> dict[str, int]:
    """The landing page's theme bars: label -> total, from the buttons' labels ("Label · **N**")."""
    found = {}
    for option in at.pills(key="bars_theme").options:
        label, total = option.rsplit(" · ", 1)
        found[label] = int(total.strip("*"))
    return found


def test_map_page_bars_follow_the_drilled_oblast_and_keep_unpublished_themes_apart():
    for query, oblast in (({}, None), ({"oblast": "KG-O"}, "KG-O")):
        rows = [r for r in raw_initiatives() if oblast in (None, r["oblast_code"])]
        at = run_app(query)
        bars = landing_bars(at)
        assert sum(bars.values()) == sum(len([c for c in r["themes"].split(";") if c]) for r in rows)
        assert "not published in the source" not in bars, "an unknown theme is not a bar"
        themeless = sum(1 for r in rows if not r["themes"])
        (note,) = [c.value for c in at.caption if c.value.startswith("Theme not published")]
        assert note.endswith(f"LSG small grant: {themeless}")
    assert not at.get("plotly_chart"), "no chart library on the landing page (it held the map back)"


def test_a_landing_bar_click_filters_the_whole_page():
    at = run_app()
    bars = landing_bars(at)
    top_label = max(bars, key=bars.get)
    at.pills(key="bars_theme").set_value("youth").run()
    assert at.sidebar.multiselect(key="w_theme").value == ["youth"]
    assert metrics(at)["Initiatives"] == str(bars[top_label])
    assert at.query_params["theme"] in ("youth", ["youth"])  # one value or a list, as the proxy keeps it
    assert at.pills(key="bars_theme").value is None, "a bar is an action: none stays chosen"


def test_bar_list_orders_by_total_and_draws_each_grant_type_to_scale():
    data = pd.DataFrame({"Theme": ["x", "x", "y", ""], "Grant type": ["CSO grant", "LSG small grant", "CSO grant",
                                                                    "LSG small grant"],
                         "Initiatives": [3, 1, 2, 25], "_code": ["cx", "cx", "cy", ""],
                         "_grant": ["cso", "lsg", "cso", "lsg"]})
    shown, missing = published(data)
    assert missing == {"lsg": 25}
    bars = bar_list(shown, "en")
    assert [(b.code, b.total) for b in bars] == [("cx", 4), ("cy", 2)]
    assert bar_background(bars[0], 4, "en") == ("linear-gradient(to right, #0072B2 0.00% 75.00%, "
                                                "#E69F00 75.00% 100.00%, transparent 100.00%)")
    assert bar_background(bars[1], 4, "en") == "linear-gradient(to right, #0072B2 0.00% 50.00%, transparent 50.00%)"


def test_published_leaves_out_only_what_the_source_does_not_give():
    from initiatives import load_records
    table = load_records().table
    shown, missing = published(labelled_counts(table, "target_group", "en"))
    assert missing == {"lsg": 25} and (shown["_grant"] == "cso").all()
    assert "" not in set(shown["_code"])


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


def test_the_location_picker_lists_the_views_places_in_order_named_in_its_language():
    records = load_records()
    table, locations = records.table, records.locations
    with_water = set(table.loc[table["themes"].str.split(";").map(lambda codes: "water" in codes), "location_id"])
    in_order = [lid for lid in locations["location_id"] if lid in with_water]
    assert 1 < len(in_order) < len(locations)
    at = run_app({"theme": "water", "lang": "en"})
    picker = at.selectbox(key="w_location")
    assert picker.options[1:] == [
        f"{place} — {vocab.oblasts().label(oblast, 'en')}"
        for place, oblast in locations.set_index("location_id").loc[in_order, ["place_latin", "oblast_code"]].values]
    # The same session in Russian, then with every theme: labels and places follow (nothing kept from before).
    at.sidebar.selectbox(key="w_lang").select("ru").run()
    russian = at.selectbox(key="w_location").options[1:]
    assert [label.rsplit(" — ", 1)[1] for label in russian] == [
        vocab.oblasts().label(code, "ru") for code in locations.set_index("location_id").loc[in_order, "oblast_code"]]
    at.multiselect(key="w_theme").set_value([]).run()
    assert len(at.selectbox(key="w_location").options) == len(locations) + 1


def waiting_for_the_map(at) -> bool:
    """Whether the page holds the container static/map/map-first.js looks for (by its class, st-key-<key>)."""
    def blocks(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from blocks(child)
    return any(getattr(block.proto, "id", "").endswith(MAP_FIRST_ID_END) for block in blocks(at.main)
               if getattr(block, "proto", None) is not None)


def test_a_sessions_first_map_page_ends_with_the_map_and_the_next_run_draws_the_rest():
    """Issue 15: the browser gets the map, the numbers and what is above them first; the sidebar, the location
    picker and the bars come on the rerun the drawn map asks for (static/map/map-first.js)."""
    at = run_app({"lang": "ru"}, map_drawn=False)
    first_map = map_args(at)
    assert metrics(at)["Инициативы"] == "50"
    assert not at.sidebar.selectbox and not at.selectbox and not at.get("button_group"), "nothing below or beside"
    assert waiting_for_the_map(at), "the frame looks for this"
    # No HTML in Markdown before the map: the browser would fetch and run a 184 KB file (rehype-raw) first.
    assert not any(text.proto.allow_html for text in [*at.markdown, *at.caption])
    at.session_state[MAP_SHOWN] = True  # what the map's value {painted: true} does (next test)
    at.run()
    assert at.sidebar.selectbox and at.selectbox(key="w_location") and at.pills(key="bars_theme")
    assert not waiting_for_the_map(at)
    assert map_args(at) == first_map, "the same map: its frame is not drawn again"


@pytest.mark.parametrize("query", [{"present": "1"}, {}])
def test_pages_without_a_map_to_wait_for_draw_everything_at_once(query):
    at = run_app(query, page="pages/themes.py" if not query else None, map_drawn=False)
    assert not waiting_for_the_map(at)
    if query:  # the projector: its buttons, no sidebar (as always)
        assert at.button(key="exit_presentation")
    else:
        assert at.sidebar.selectbox


def test_the_maps_painted_value_ends_the_wait_and_is_not_a_click(monkeypatch):
    state: dict = {"map_country": dict(MAP_PAINTED)}
    monkeypatch.setattr("ui.state.st.session_state", state)
    on_map_click("map_country")  # would look up the clicked view's data if it took this for a click
    assert state[MAP_SHOWN] is True


def test_leaving_the_projector_view_brings_the_sidebar_back_in_the_same_session():
    """The projector's page ends with st.stop(); the next run must still be drawn by the entry point."""
    at = run_app({"present": "1"})
    assert not at.sidebar.selectbox
    at.button(key="exit_presentation").click().run()
    assert not at.exception
    assert at.sidebar.selectbox and at.selectbox(key="w_location")


def legend_text(at) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", h.proto.body) for h in at.get("html") if "yj-legend" in h.proto.body)


def test_the_legend_says_what_a_circles_size_means(records_copy, monkeypatch):
    """Each of the 25 places has as many initiatives (two): the legend says so instead of "the bigger, the more"
    for sizes that never differ (issue 31); where they differ, it says that."""
    from collections import Counter

    per_place = set(Counter(r["location_id"] for r in raw_initiatives()).values())
    assert len(per_place) == 1
    assert f"a place (initiatives at each: {per_place.pop()})" in legend_text(run_app({"lang": "en"}))
    rows = (records_copy / "initiatives.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (records_copy / "initiatives.csv").write_text("".join(rows[:-1]), encoding="utf-8")  # one place left with one
    monkeypatch.setenv("YJ_RECORDS", str(records_copy))
    assert "a place (the bigger, the more initiatives)" in legend_text(run_app({"lang": "en"}))


def test_the_maps_buttons_are_titled_in_the_language_chosen_last():
    """The frame is built once per view and kept; built first in English, it kept "Zoom in" in Russian."""
    at = run_app({"lang": "en"})
    assert '"zoomInTitle": "Zoom in"' in map_args(at)["script"]
    at.sidebar.selectbox(key="w_lang").select("ru").run()
    script = map_args(at)["script"]
    assert f'"zoomInTitle": {json.dumps("Приблизить")}' in script  # as Jinja's tojson writes it
    assert f'"zoomOutTitle": {json.dumps("Отдалить")}' in script
    assert "Zoom in" not in script
