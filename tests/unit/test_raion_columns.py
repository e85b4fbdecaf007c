"""Each initiative's raion as a column, a filter and a place on the map's water (issue 11, items 3 and 5)."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import shapely

from geodata.checks import check_records
from geodata.lakes import LAKES, lakes_of
from geodata.layers import OBLASTS_FILE, unit_label
from initiatives import Filters, apply_filters, count_by, load_records
from initiatives.__main__ import main as initiatives_main
from tests.unit.test_raions import CHECKED


def test_every_initiative_carries_the_raion_its_location_joined(local_layers):
    table = check_records(None, local_layers=local_layers).table
    assert dict(zip(table["location_id"], table["raion_code"], strict=True)) == {
        loc: unit or "" for loc, (unit, _) in CHECKED.items()}
    nookat = table[table["raion_code"] == "KG06242000000"]
    assert set(nookat["raion_name"]) == {"Nookat"} and set(nookat["location_id"]) == {"L07", "L11"}
    assert set(table.loc[table["raion_code"] == "", "raion_name"]) == {""}, "unplaced: no name either"


def test_without_any_raion_layer_the_columns_are_empty(tmp_path):
    oblasts_only = tmp_path / "kg_oblasts.geojson"  # a folder of other oblast layers, no raion layer beside them
    shutil.copy(OBLASTS_FILE, oblasts_only)
    table = check_records(None, oblasts_file=oblasts_only, local_layers=tmp_path).table
    assert set(table["raion_code"]) == {""} and set(table["raion_name"]) == {""}


def test_out_of_the_box_every_initiative_carries_its_raion_from_the_shipped_layer(tmp_path):
    table = check_records(None, local_layers=tmp_path / "no-local-layers").table
    assert dict(zip(table["location_id"], table["raion_code"], strict=True)) == {
        loc: unit or "" for loc, (unit, _) in CHECKED.items()}


def test_the_raion_filter_keeps_that_raions_initiatives_on_both_paths(local_layers):
    table = check_records(None, local_layers=local_layers).table
    wanted = {loc for loc, (unit, _) in CHECKED.items() if unit in ("KG06242000000", "KG03225000000")}
    filters = Filters(raions=("KG06242000000", "KG03225000000"))
    for vectorised in (False, True):
        rows = apply_filters(table, filters, vectorised=vectorised)
        assert set(rows["location_id"]) == wanted and len(rows) == table["location_id"].isin(wanted).sum()
    assert not Filters(raions=("KG06242000000",)).is_empty()


def test_counting_by_raion_agrees_on_both_paths(local_layers):
    table = check_records(None, local_layers=local_layers).table
    small = count_by(table, "raion", split_by="grant_type", vectorised=False)
    large = count_by(table, "raion", split_by="grant_type", vectorised=True)
    pd.testing.assert_frame_equal(small.sort_values(["raion", "grant_type"], ignore_index=True),
                                  large.sort_values(["raion", "grant_type"], ignore_index=True))
    assert small["initiatives"].sum() == len(table)


def export(args: list[str], capsys) -> str:
    assert initiatives_main(["export", *args]) == 0
    return capsys.readouterr().out


def test_exports_carry_the_raion_and_load_back(local_layers, tmp_path, capsys):
    layers = ["--layers", str(local_layers)]
    text = export(["--format", "csv", *layers], capsys)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["location_id"]: r["raion_code"] for r in rows} == {loc: u or "" for loc, (u, _) in CHECKED.items()}
    exported = tmp_path / "export.csv"
    exported.write_text(text, encoding="utf-8")
    back = load_records(exported).table
    assert len(back) == len(rows) and set(back["raion_code"]) == {""}, "joined columns are recomputed, not trusted"
    assert '"raion_code": "KG06242000000"' in export(["--format", "json", *layers], capsys)
    assert '"raion_name": "Nookat"' in export(["--format", "geojson", *layers], capsys)


def test_out_of_the_box_the_export_has_the_raion_columns(capsys, tmp_path):
    rows = list(csv.DictReader(io.StringIO(export(["--format", "csv", "--layers", str(tmp_path)], capsys))))
    assert {r["location_id"]: r["raion_code"] for r in rows} == {loc: unit or "" for loc, (unit, _) in CHECKED.items()}


def test_each_lake_is_a_hole_of_the_layer_holding_its_point(raions):
    lakes = lakes_of(raions)
    assert list(lakes["en"]) == [lake.names["en"] for lake in LAKES] == ["Ysyk-Köl", "Song-Köl"]
    area_km2 = lakes.to_crs("EPSG:32643").area / 1e6
    assert 6000 < area_km2.iloc[0] < 6500 and 200 < area_km2.iloc[1] < 350  # published: ~6,236 and ~270 km²
    union = shapely.union_all(raions.geometry.values)
    for shape in lakes.geometry:
        assert not shape.intersects(union.buffer(-0.001)), "water, not land of a raion"


def test_holes_that_are_cities_or_enclaves_are_not_water(raions):
    osh_city, sokh = shapely.Point(72.80, 40.53), shapely.Point(71.07, 40.04)  # both holes of the layer
    assert not any(shape.contains(p) for shape in lakes_of(raions).geometry for p in (osh_city, sokh))


def test_unit_names_read_as_raions_and_cities():
    assert unit_label("Ноокатский", "raion", "ru") == "Ноокатский район"
    assert unit_label("Ноокат", "raion", "ky") == "Ноокат району"
    assert unit_label("Nookat", "raion", "en") == "Nookat"
    assert unit_label("г.Узген", "city", "ru") == "г. Узген" and unit_label("Өзгөн ш.", "city", "ky") == "Өзгөн ш."
