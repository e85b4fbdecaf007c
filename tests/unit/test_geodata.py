"""The committed oblast layer: budget, codes, coverage, reproducibility, and the location join."""

from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geodata.build import build_oblasts, default_source, write_layers
from geodata.join import join_oblasts, oblast_problems
from geodata.layers import CONTEXT_FILE, OBLASTS_FILE, read_oblasts
from initiatives import load_records

SOURCE = default_source()


@pytest.fixture(scope="module")
def source() -> Path:
    assert SOURCE.is_file(), (f"Natural Earth source not found at {SOURCE}: install Debian's qgis-common or "
                              "set KG_WORLD_MAP_GPKG (scripts/test.sh does this)")
    return SOURCE


def test_oblast_layer_fits_the_budget_and_names_every_unit():
    assert OBLASTS_FILE.stat().st_size <= 100_000
    layer = read_oblasts()
    assert sorted(layer["iso_code"]) == ["KG-B", "KG-C", "KG-GB", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"]
    for col in ("name_ky", "name_ru", "name_en"):
        assert layer[col].str.len().gt(0).all()
    assert layer.crs.to_epsg() == 4326


def test_oblasts_form_a_valid_coverage_without_gaps_or_overlaps():
    layer = read_oblasts()
    assert layer.is_valid.all()
    assert shapely.coverage_is_valid(layer.geometry.values)


def test_simplified_borders_stay_within_1_5_km_of_the_source(source):
    raw = gpd.read_file(source, layer="states_provinces", where="adm0_a3 = 'KGZ'").sort_values("name")
    ours = read_oblasts().sort_values("natural_earth_name")
    for a, b in zip(raw.to_crs(32643).geometry, ours.to_crs(32643).geometry, strict=True):
        assert a.hausdorff_distance(b) <= 1500


def test_committed_layers_are_what_the_build_script_produces(source, tmp_path):
    written = write_layers(source, tmp_path)
    assert [p.read_bytes() for p in written] == [OBLASTS_FILE.read_bytes(), CONTEXT_FILE.read_bytes()]


def test_build_covers_the_whole_country(source):
    country = gpd.read_file(source, layer="countries").query("ISO_A3 == 'KGZ'").to_crs(32643).geometry.iloc[0]
    union = build_oblasts(source).to_crs(32643).union_all()
    assert country.symmetric_difference(union).area / country.area < 0.001


def test_every_location_lies_in_its_stated_oblast():
    records = load_records()
    assert oblast_problems(records.locations, join_oblasts(records.locations, read_oblasts()), records.where) == []


def test_border_town_joins_by_nearest_with_the_distance_reported():
    matches = {m.location_id: m for m in join_oblasts(load_records().locations, read_oblasts())}
    tokmok = matches["L01"]
    assert (tokmok.unit_code, tokmok.method) == ("KG-C", "nearest")
    assert "km outside" in tokmok.detail
    assert sum(m.method == "point" for m in matches.values()) == 24
