"""Importing an official admin layer: validation, simplification, and the join report."""

import json
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from geodata.__main__ import main
from geodata.importer import SIZE_BUDGET_BYTES, import_boundaries
from geodata.join import join_locations, normalise_name
from geodata.layers import read_admin_layer
from initiatives import RecordsError, load_records
from tests.conftest import fingerprint

LOCATIONS = load_records().locations


def ayil_aimak_layer() -> gpd.GeoDataFrame:
    """Three units: one around Naryn town, one named for Kochkor far from its point, one misspelt."""
    naryn = LOCATIONS.set_index("location_id").loc["L13"]
    return gpd.GeoDataFrame(
        {"ADM3_PCODE": ["KG-T1", "KG-T2", "KG-T3"],
         "ADM3_EN": ["Naryn town", "Kochkor aiyl aimagy", "Kyzyl-Adir"]},
        geometry=[Point(naryn["longitude"], naryn["latitude"]).buffer(0.1),
                  box(74.4, 40.7, 74.6, 40.9), box(74.8, 40.7, 75.0, 40.9)],  # in Naryn, far from every location
        crs="EPSG:4326",
    )


def test_import_writes_the_layer_and_reports_every_location(tmp_path, capsys):
    source = tmp_path / "adm3.geojson"
    ayil_aimak_layer().to_file(source, driver="GeoJSON")
    before = fingerprint(source)
    assert main(["import-boundaries", str(source), "--level", "ayil_aimak", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    written = gpd.read_file(tmp_path / "out" / "kg_ayil_aimak.geojson")
    assert list(written["unit_name"]) == ["Naryn town", "Kochkor aiyl aimagy", "Kyzyl-Adir"]
    assert fingerprint(source) == before
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("L")}
    assert len(lines) == 25
    assert "KG-T1" in lines["L13"] and "[point]" in lines["L13"]
    assert "KG-T2" in lines["L12"] and "[exact name]" in lines["L12"]
    assert "KG-T3" in lines["L25"] and "[fuzzy name]" in lines["L25"]
    assert "[miss]" in lines["L01"]
    assert "3 of 25 locations joined; 22 missed" in out


def test_code_carried_by_the_record_wins_over_point_and_name():
    locations = LOCATIONS.assign(ayil_aimak_code="")
    locations.loc[locations["location_id"] == "L13", "ayil_aimak_code"] = "KG-T3"
    matches = {m.location_id: m for m in join_locations(
        locations, ayil_aimak_layer().rename(columns={"ADM3_PCODE": "code", "ADM3_EN": "name"}),
        code_field="code", name_field="name", location_code_column="ayil_aimak_code",
        location_name_columns=("ayil_aimak_ky",))}
    assert (matches["L13"].unit_code, matches["L13"].method) == ("KG-T3", "code")


def test_names_compare_across_scripts_and_unit_words():
    assert normalise_name("Кочкор айыл аймагы") == normalise_name("Kochkor aiyl aimagy") == "kochkor"
    assert normalise_name("Жаңы-Жол") == normalise_name("Jangy-Jol AA")


def test_simplification_keeps_a_large_layer_within_budget(tmp_path):
    ring = [(70 + 8 * (i / 4000), 40 + 0.3 * ((i * 7919) % 13) / 13) for i in range(4000)]
    jagged = Polygon([*ring, (78, 43), (70, 43)])
    layer = gpd.GeoDataFrame({"ADM2_EN": ["Big raion"]}, geometry=[jagged], crs="EPSG:4326")
    source = tmp_path / "big.geojson"
    layer.to_file(source, driver="GeoJSON")
    result = import_boundaries(source, "raion", LOCATIONS, out_dir=tmp_path)
    assert result.size_bytes <= 400_000
    assert result.tolerance_deg > 0


def write(path, frame, driver):
    frame.to_file(path, driver=driver)
    return path


BOWTIE = Polygon([(70, 40), (71, 41), (71, 40), (70, 41)])


@pytest.mark.parametrize("name, make, expect", [
    ("self-intersecting geometry",
     lambda d: write(d / "bow.geojson", gpd.GeoDataFrame({"ADM3_EN": ["A"]}, geometry=[BOWTIE], crs=4326),
                     "GeoJSON"), "bow.geojson:1: geometry: invalid: Self-intersection"),
    ("missing CRS",
     lambda d: write(d / "nocrs.shp", gpd.GeoDataFrame({"ADM3_EN": ["A"]}, geometry=[box(70, 40, 71, 41)]),
                     "ESRI Shapefile"), "nocrs.shp:0: (crs)"),
    ("wrong CRS: degrees declared as metres",
     lambda d: write(d / "wrong.gpkg", gpd.GeoDataFrame({"ADM3_EN": ["A"]}, geometry=[box(70, 40, 71, 41)],
                                                         crs=3857), "GPKG"), "wrong.gpkg:0: (crs)"),
    ("empty collection",
     lambda d: (d / "empty.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []}))
     and d / "empty.geojson", "empty.geojson:0: (file)"),
    ("not GeoJSON at all",
     lambda d: (d / "notes.geojson").write_text("these are not boundaries") and d / "notes.geojson",
     "notes.geojson:0: (file)"),
    ("a layer with no name field",
     lambda d: write(d / "noname.geojson", gpd.GeoDataFrame({"population": [1]}, geometry=[box(70, 40, 71, 41)],
                                                             crs=4326), "GeoJSON"),
     "noname.geojson:1: (--name-field)"),
    ("points instead of polygons",
     lambda d: write(d / "points.geojson", gpd.GeoDataFrame({"ADM3_EN": ["A"]}, geometry=[Point(74, 42)],
                                                            crs=4326), "GeoJSON"),
     "points.geojson:1: geometry: Point, expected a polygon"),
    ("a unit without a name",
     lambda d: write(d / "blank.geojson", gpd.GeoDataFrame({"ADM3_EN": ["A", ""]},
                                                           geometry=[box(70, 40, 71, 41), box(72, 40, 73, 41)],
                                                           crs=4326), "GeoJSON"),
     "blank.geojson:2: ADM3_EN: unit has no name"),
])
def test_bad_boundary_files_get_a_clear_error(name, make, expect, tmp_path, capsys):
    source = make(tmp_path)
    before = fingerprint(source)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert main(["import-boundaries", str(source), "--level", "ayil_aimak", "--out", str(out_dir)]) == 1
    assert expect in capsys.readouterr().err
    assert fingerprint(source) == before
    assert not list(out_dir.iterdir()), "nothing is written for a rejected file"


def test_unknown_name_field_lists_the_fields(tmp_path, capsys):
    source = write(tmp_path / "a.geojson", ayil_aimak_layer(), "GeoJSON")
    assert main(["import-boundaries", str(source), "--level", "raion", "--name-field", "NAME_2",
                 "--out", str(tmp_path)]) == 1
    assert "a.geojson:1: NAME_2: no such name field (fields: ADM3_PCODE, ADM3_EN)" in capsys.readouterr().err


def test_join_report_command(capsys):
    assert main(["join-report"]) == 0
    out = capsys.readouterr().out
    assert "methods: point 24, nearest 1" in out
    assert pd.Series(out.splitlines()).str.startswith("L").sum() == 25


def squares(size_deg: float, count: int = 4, names: list[str] | None = None) -> gpd.GeoDataFrame:
    """`count` square units of `size_deg` side along 42° N, apart from each other."""
    return gpd.GeoDataFrame({"ADM2_EN": names or [f"Unit {i}" for i in range(count)]},
                            geometry=[box(74 + i, 42, 74 + i + size_deg, 42 + size_deg) for i in range(count)],
                            crs="EPSG:4326")


def test_a_unit_the_simplification_drops_keeps_its_own_shape(tmp_path, monkeypatch):
    # A dropped unit became "geometry": null in the written layer, and every page of the app then broke.
    import geodata.importer

    real = shapely.coverage_simplify

    def drops_the_first(geometries, tolerance):
        simplified = real(geometries, tolerance)
        simplified[0] = None
        return simplified

    monkeypatch.setattr(geodata.importer.shapely, "coverage_simplify", drops_the_first)
    source = write(tmp_path / "tiny.geojson", squares(0.0003), "GeoJSON")
    result = import_boundaries(source, "raion", LOCATIONS, out_dir=tmp_path / "out")
    written = read_admin_layer("raion", tmp_path / "out")  # as the dashboard reads it: checked
    assert len(written) == 4 and not written.geometry.is_empty.any()
    assert result.units == 4 and all(m.method == "miss" for m in result.matches)


def test_a_unit_too_small_to_draw_is_refused_and_nothing_is_written(tmp_path, capsys):
    source = write(tmp_path / "micro.geojson", squares(0.000001, 1), "GeoJSON")
    out_dir = tmp_path / "out"
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(out_dir)]) == 1
    assert "micro.geojson:1: geometry: unit 'Unit 0' vanishes when rounded" in capsys.readouterr().err
    assert not out_dir.exists() or not list(out_dir.iterdir())


def test_a_failed_import_leaves_the_working_layer_in_place(tmp_path):
    out_dir = tmp_path / "out"
    good = write(tmp_path / "good.geojson", squares(0.5), "GeoJSON")
    import_boundaries(good, "raion", LOCATIONS, out_dir=out_dir)
    before = fingerprint(out_dir)
    for bad in (squares(0.000001, 1), squares(0.5, 2, ["A", "B" * 500])):
        with pytest.raises(RecordsError):
            import_boundaries(write(tmp_path / "bad.geojson", bad, "GeoJSON"), "raion", LOCATIONS, out_dir=out_dir)
    assert fingerprint(out_dir) == before, "the working layer is untouched and no scratch file is left"


def test_a_layer_over_its_size_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(SIZE_BUDGET_BYTES, "raion", 300)
    source = write(tmp_path / "fat.geojson", squares(0.5), "GeoJSON")
    with pytest.raises(RecordsError) as caught:
        import_boundaries(source, "raion", LOCATIONS, out_dir=tmp_path / "out")
    assert "fat.geojson:0: (size): even simplified at 0.05 degrees" in str(caught.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, make, expect", [
    ("a CSV table", lambda d: (d / "units.csv").write_text("ADM2_EN,x\nA,1\n") and d / "units.csv",
     "units.csv:0: geometry: the file has no shapes (a table, such as a CSV?)"),
    ("a folder", lambda d: d, ":0: (file): is a folder; give the path of the layer's file"),
    ("a named pipe", lambda d: os.mkfifo(d / "pipe.geojson") or d / "pipe.geojson",
     "pipe.geojson:0: (file): a named pipe (FIFO), not a file"),
    ("overlapping units", lambda d: write(d / "ov.geojson", gpd.GeoDataFrame(
        {"ADM2_EN": ["A", "B"]}, geometry=[box(74, 42, 75, 43), box(74.5, 42, 75.5, 43)], crs=4326), "GeoJSON"),
     "ov.geojson:2: geometry: overlaps unit 1 (A) by 50%"),
    ("a 5 MB name", lambda d: write(d / "long.geojson", squares(0.5, 1, ["N" * 5_000_000]), "GeoJSON"),
     "long.geojson:1: ADM2_EN: the name is 5,000,000 characters long"),
])
def test_inputs_that_are_not_boundary_layers(name, make, expect, tmp_path, capsys):
    source = make(tmp_path)
    out_dir = tmp_path / "out"
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(out_dir)]) == 1
    err = capsys.readouterr().err
    assert expect in err and "Traceback" not in err, err
    assert not out_dir.exists()


def test_a_crs_without_an_epsg_code_is_reprojected_and_said(tmp_path, capsys):
    custom = squares(0.5, 1).to_crs("+proj=lcc +lat_1=40 +lat_2=44 +lon_0=74 +ellps=WGS84")
    source = write(tmp_path / "lcc.gpkg", custom, "GPKG")
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(tmp_path / "out")]) == 0
    assert "note: lcc.gpkg: the coordinate reference system is not a known EPSG code" in capsys.readouterr().err
    bounds = read_admin_layer("raion", tmp_path / "out").total_bounds
    assert bounds == pytest.approx([74, 42, 74.5, 42.5], abs=1e-4)


def test_the_official_raion_layer_passes_the_new_checks(tmp_path):
    official = Path(__file__).resolve().parents[3] / "shared" / "boundaries" / "kgz_admbnda_adm2_moes_20181119.json"
    assert official.is_file(), f"the official COD-AB raion layer must be at {official}"
    result = import_boundaries(official, "raion", LOCATIONS, out_dir=tmp_path)
    assert result.units == 53 and result.size_bytes <= SIZE_BUDGET_BYTES["raion"]
    assert len(read_admin_layer("raion", tmp_path)) == 53


# Issue 32, item 10: importers on a full disk and with heavy or misplaced inputs.
@pytest.fixture
def full_disk(tmp_path):
    """A 1 MiB tmpfs mounted for the test (CI runs as root), unmounted after; `fill()` takes its last byte."""
    import errno
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], check=True)

    def fill() -> None:
        with (mount / "filler").open("wb", buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * 4096)
            except OSError as err:
                assert err.errno == errno.ENOSPC

    try:
        yield mount, fill
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_import_indicators_on_a_full_disk_keeps_the_working_table(full_disk, capsys):
    from tests.conftest import INDICATORS

    disk, fill = full_disk
    assert main(["import-indicators", str(INDICATORS), "--out", str(disk)]) == 0
    before = fingerprint(disk / "kg_raion_indicators.csv")
    fill()
    assert main(["import-indicators", str(INDICATORS), "--out", str(disk)]) == 1
    err = capsys.readouterr().err
    assert "kg_raion_indicators.csv:0: (file): the disk is full" in err and "Traceback" not in err
    assert fingerprint(disk / "kg_raion_indicators.csv") == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "kg_raion_indicators.csv"], "no scratch file left"


def test_import_boundaries_on_a_full_disk_says_so_and_keeps_the_layer(full_disk, tmp_path, capsys):
    disk, fill = full_disk
    source = write(tmp_path / "good.geojson", squares(0.5), "GeoJSON")
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(disk)]) == 0
    before = fingerprint(disk / "kg_raion.geojson")
    fill()
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(disk)]) == 1
    err = capsys.readouterr().err
    assert "kg_raion.geojson:0: (file): the disk is full" in err
    assert fingerprint(disk / "kg_raion.geojson") == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "kg_raion.geojson"]


def test_a_layer_of_far_too_many_units_is_refused_before_any_heavy_work(tmp_path, monkeypatch, capsys):
    import geodata.importer

    def never(*args, **kwargs):
        raise AssertionError("the layer was simplified before its unit count was checked")

    monkeypatch.setattr(geodata.importer.shapely, "coverage_simplify", never)
    monkeypatch.setattr(geodata.importer, "geometry_problems", never)
    tiny = gpd.GeoDataFrame({"ADM2_EN": [f"U{i}" for i in range(2_000)]},
                            geometry=[box(74 + i * 1e-3, 42, 74 + i * 1e-3 + 5e-4, 42.0005) for i in range(2_000)],
                            crs="EPSG:4326")
    source = write(tmp_path / "tiny.geojson", tiny, "GeoJSON")
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "tiny.geojson:0: (file): the layer has 2,000 units; a raion layer of Kyrgyzstan has at most 500" in err
    assert "long names" not in err


def test_a_layer_of_another_country_with_one_unit_here_is_refused(tmp_path, capsys):
    layer = gpd.GeoDataFrame({"ADM2_EN": ["Almaty", "Taraz", "Naryn"]},
                             geometry=[box(76.8, 43.6, 77.2, 44.0), box(71.2, 43.5, 71.6, 43.9),
                                       box(75.8, 41.3, 76.2, 41.6)], crs="EPSG:4326")
    source = write(tmp_path / "kz.geojson", layer, "GeoJSON")
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "kz.geojson:1: geometry: unit 'Almaty' lies outside Kyrgyzstan" in err
    assert "kz.geojson:2: geometry: unit 'Taraz' lies outside Kyrgyzstan" in err and "kz.geojson:3:" not in err


def test_a_coordinate_that_is_no_longitude_is_named_as_such(tmp_path, capsys):
    layer = gpd.GeoDataFrame({"ADM2_EN": ["A", "B"]},
                             geometry=[box(74, 42, 74.5, 42.5), Polygon([(75, 42), (1e308, 42), (75, 42.5)])],
                             crs="EPSG:4326")
    source = write(tmp_path / "huge.geojson", layer, "GeoJSON")
    assert main(["import-boundaries", str(source), "--level", "raion", "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "huge.geojson:2: geometry: a coordinate is not a longitude and latitude" in err
    assert "too small" not in err
