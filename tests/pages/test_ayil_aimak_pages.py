"""The ayil-aimak level through the pages: map points and labels, the ?aa= drill, an imported polygon layer,
Coverage's "reached" counts, the explorer's columns (issue 28, items 3–5).

Names and counts expected here come from the official file in ../shared/boundaries and the hand-checked join
table (tests/unit/test_ayil_aimaks.py), not from the shipped layer the app reads."""

from __future__ import annotations

import json
import re

import pytest
import shapely

from geodata.layers import GEODATA_DIR, read_admin_layer
from initiatives.translit import to_latin
from tests.conftest import raw_initiatives
from tests.fixtures.ayil_aimak_polygons import write_ayil_aimak_polygons
from tests.pages.conftest import map_args, map_layers, metrics, run_app
from tests.pages.test_raion_pages import MAP_DATA_BUDGET, NOOKAT, map_labels
from tests.unit.test_ayil_aimak_units import KURAMA, PANFILOV, official_units
from tests.unit.test_ayil_aimaks import AA_CHECKED
from ui.state import click_target

ALAMUDUN = "KG08203000000"
RU_MARK = {"aiyl_aimak": "{} а/а", "town": "г. {}", "urban_type_settlement": "пгт {}"}


def units_of(raion: str) -> list[dict]:
    return [u for u in official_units() if u["adm2_pcode"] == raion and not u["kind_from_code"].startswith("other")]


def initiatives_at(*codes: str) -> list[str]:
    places = {loc for loc, (code, _) in AA_CHECKED.items() if code in codes}
    return [r["id"] for r in raw_initiatives() if r["location_id"] in places]


def aa_features(at) -> list[str]:
    return re.findall(r'"aa_code": "(KG\d+)"', map_layers(at))


def aa_geometry_types(at) -> set[str]:
    """The geometry types of the map's ayil-aimak features, read from the GeoJSON the layer adds."""
    decoder = json.JSONDecoder()
    types = set()
    script = map_layers(at)
    for start in [m.end() for m in re.finditer(r"_add\(", script)]:
        collection, _ = decoder.raw_decode(script[start:])
        types |= {f["geometry"]["type"] for f in collection["features"] if "aa_code" in f["properties"]}
    return types


def test_drilled_into_a_raion_its_ayil_aimaks_are_named_in_each_language():
    nookat = units_of(NOOKAT)
    for lang, name in (("ky", lambda u: f"{u['name_ky']} а/а"), ("ru", lambda u: f"{u['name_ky']} а/а"),
                       ("en", lambda u: to_latin(u["name_ky"]))):  # our one romanisation, not the list's
        at = run_app({"raion": NOOKAT, "lang": lang})
        labels = map_labels(at)
        assert {name(u) for u in nookat} <= set(labels), lang
        assert not any(label.startswith(("Ноокат району", "Ноокатский", "Nookat ·")) for label in labels), \
            "the raion drilled into is named by its ayil aimaks, not over them"
        assert sorted(aa_features(at)) == sorted(u["adm3_pcode"] for u in nookat), "each unit once, no other"
        assert aa_geometry_types(at) == {"Point"}
    layer = map_layers(run_app({"raion": NOOKAT, "lang": "ru"}))
    tooltips = [json.loads(t) for t in re.findall(r'"tooltip": ("(?:[^"\\]|\\.)*")', layer)]
    assert sum("айылный аймак · KG06242" in t for t in tooltips) == 14, "hover: name, kind and P-code"
    assert layer.index('"aa_code"') < layer.index('"location_id"'), "the location circles are drawn on top"


def test_towns_read_with_the_russian_mark_of_their_kind():
    uzgen = "KG06255000000"
    town = next(u for u in units_of(uzgen) if u["kind_from_code"] == "town")
    assert RU_MARK["town"].format(town["name_ky"]) in map_labels(run_app({"raion": uzgen, "lang": "ru"}))


def test_the_legend_says_the_ayil_aimaks_are_points():
    at = run_app({"raion": NOOKAT})
    legend = " ".join(h.proto.body for h in at.get("html") if "yj-legend" in h.proto.body)
    assert "Ayil aimaks and towns (official centres, COD-AB)" in legend and "imported boundaries" not in legend


def test_an_ayil_aimak_link_opens_its_raion_and_oblast_and_filters_to_it():
    at = run_app({"aa": KURAMA})
    assert metrics(at)["Initiatives"] == str(len(initiatives_at(KURAMA))) == "2"
    assert at.sidebar.selectbox(key="w_oblast").value == "KG-C"
    assert at.sidebar.selectbox(key="w_raion").value == PANFILOV
    assert at.sidebar.selectbox(key="w_aa").value == KURAMA
    assert any("Kurama" in s.value for s in at.subheader)
    (back,) = [b for b in at.button if b.label.startswith("←")]
    assert "Panfilov" in back.label
    back.click().run()
    assert "aa" not in at.query_params and at.query_params["raion"] in (PANFILOV, [PANFILOV])
    assert metrics(at)["Initiatives"] == str(len(initiatives_at(*(u["adm3_pcode"] for u in units_of(PANFILOV)))))


def test_an_ayil_aimak_of_another_raion_is_dropped():
    at = run_app({"raion": NOOKAT, "aa": KURAMA})
    assert at.sidebar.selectbox(key="w_aa").value == "" and "aa" not in at.query_params
    assert metrics(at)["Initiatives"] == "4"


def test_the_sidebar_lists_the_raions_units_and_sets_the_url():
    at = run_app({"raion": PANFILOV, "lang": "ru"})
    box = at.sidebar.selectbox(key="w_aa")
    assert sorted(box.options[1:]) == sorted(RU_MARK[u["kind_from_code"]].format(u["name_ky"])
                                             for u in units_of(PANFILOV)), "the raion's units, named in Russian"
    box.select(KURAMA).run()
    assert at.query_params["aa"] in (KURAMA, [KURAMA]) and metrics(at)["Инициативы"] == "2"
    at.sidebar.selectbox(key="w_raion").select(ALAMUDUN).run()
    assert "aa" not in at.query_params, "another raion: the ayil aimak goes"


def test_a_click_on_an_ayil_aimak_point_drills_to_it():
    click = {"last_active_drawing": {"properties": {"aa_code": KURAMA, "count": 1}}}
    assert click_target(click, {"KG-C"}, {"L02"}, {PANFILOV}, lambda c: c == KURAMA) == ("aa", KURAMA)
    assert click_target(click, {"KG-C"}, {"L02"}, {PANFILOV}) is None, "an unknown unit is no click"


def test_a_drilled_raion_stays_within_the_map_data_budget():
    raions = read_admin_layer("raion", GEODATA_DIR)
    for code in raions["unit_code"]:
        for lang in ("ky", "ru"):
            args = map_args(run_app({"raion": code, "lang": lang}))
            size = len(args["script"].encode()) + len((args["feature_group"] or "").encode())
            assert size <= MAP_DATA_BUDGET, f"{code} ({lang}): {size:,} bytes of map data"


@pytest.fixture
def aa_polygons(tmp_path, monkeypatch):
    folder = tmp_path / "local-layers"
    layer = write_ayil_aimak_polygons(folder)
    monkeypatch.setenv("YJ_LAYERS_DIR", str(folder))
    return layer


def test_imported_polygons_replace_the_points_and_a_click_drills_to_the_unit(aa_polygons):
    at = run_app({"raion": NOOKAT})
    assert sorted(aa_features(at)) == sorted(aa_polygons["unit_code"])
    assert aa_geometry_types(at) <= {"Polygon", "MultiPolygon"} and aa_geometry_types(at)
    legend = " ".join(h.proto.body for h in at.get("html") if "yj-legend" in h.proto.body)
    assert "imported boundaries" in legend and "official centres" not in legend
    unit = aa_polygons.iloc[3]
    at = run_app({"aa": unit["unit_code"]})
    assert at.sidebar.selectbox(key="w_raion").value == NOOKAT and at.sidebar.selectbox(key="w_aa").value == \
        unit["unit_code"]
    script = map_args(at)["script"]
    fitted = re.search(r"fitBounds\(\s*\[\[([\d.]+), ([\d.]+)\], \[([\d.]+), ([\d.]+)\]\]", script)
    south, west, north, east = map(float, fitted.groups())
    assert shapely.box(west, south, east, north).equals_exact(shapely.box(*unit.geometry.bounds), 1e-6), \
        "the map zooms to the unit's polygon"
    code = unit["unit_code"]
    selected = re.search(rf'"aa_code": "{code}", "count": \d+, "fill": "#\w+", "selected": true', map_layers(at))
    assert selected, "and outlines it"


def test_coverage_counts_the_ayil_aimaks_reached_per_raion_and_oblast():
    settled = {code for code, _ in AA_CHECKED.values() if code}
    units = [u for u in official_units() if not u["kind_from_code"].startswith("other")]
    at = run_app(page="pages/coverage.py")
    assert metrics(at)["Ayil aimaks reached"] == f"{len(settled)} of {len(units)}"
    per_raion, per_oblast, panfilov = (d.value for d in at.dataframe)
    nookat_row = per_raion[per_raion["Raion or city"] == "Nookat"]
    assert nookat_row["Ayil aimaks reached"].item() == f"0 of {len(units_of(NOOKAT))}"
    chuy = per_oblast[per_oblast["Oblast"] == "Chüy Oblast"]["Ayil aimaks reached"].item()
    in_chuy = [u for u in units if u["adm1_pcode"] == "KG08000000000"]
    assert chuy == f"{sum(u['adm3_pcode'] in settled for u in in_chuy)} of {len(in_chuy)}" == f"2 of {len(in_chuy)}"
    at = run_app({"raion": PANFILOV, "lang": "en"}, page="pages/coverage.py")
    listed = at.dataframe[-1].value
    rows = dict(zip(listed["Ayil aimak P-code"], listed["Initiatives"], strict=True))
    assert rows.pop(KURAMA) == ", ".join(initiatives_at(KURAMA))
    assert set(rows.values()) == {"no initiative"} and len(rows) == len(units_of(PANFILOV)) - 1
    assert metrics(at)["Ayil aimaks reached"] == f"1 of {len(units_of(PANFILOV))}", "the view's raion alone"


def test_coverage_says_how_many_of_a_raions_initiatives_have_no_ayil_aimak():
    at = run_app({"raion": NOOKAT, "lang": "en"}, page="pages/coverage.py")
    assert set(at.dataframe[-1].value["Initiatives"]) == {"no initiative"}
    assert any("4 initiatives in this raion are settled to no ayil aimak" in c.value for c in at.caption)


def test_the_explorer_shows_the_ayil_aimak_name_and_code():
    at = run_app({"lang": "ru", "raion": PANFILOV}, page="pages/explorer.py")
    table = at.dataframe[0].value
    rows = dict(zip(table["Код"], zip(table["Айылный аймак или город"], table["P-код айылного аймака"],
                                     strict=True), strict=True))
    assert {rows[i] for i in initiatives_at(KURAMA)} == {("Курама а/а", KURAMA)}


def test_in_english_a_place_its_raion_and_its_town_are_spelled_alike():
    """Issue 31: "Uzgen" (COD-AB's English) and "Özgön" (our romanisation) sat side by side in one row."""
    at = run_app({"lang": "en", "oblast": "KG-O"}, page="pages/explorer.py")
    table = at.dataframe[0].value
    uzgen = table[table["Place"] == to_latin("Өзгөн")]
    assert len(uzgen) == 2 and set(uzgen["Raion or city"]) == {to_latin("Өзгөн")}
    assert set(uzgen["Ayil aimak or town"]) == {f"{to_latin('Өзгөн')} (city)"}
    shown = " ".join(table.astype(str).to_numpy().ravel())
    assert "Uzgen" not in shown and "Kara-Kul'dja" not in shown
