"""The raion layers the product ships (issue 28, item 1): made from the official files in ../shared/boundaries,
rebuilt here and compared byte for byte, and read by default, an officer's own import winning over them."""

from __future__ import annotations

import json

from geodata.__main__ import main
from geodata.coverage import INDICATORS_FILE, read_indicators
from geodata.layers import (
    AYIL_AIMAK_POINTS_FILE,
    GEODATA_DIR,
    admin_layer_file,
    read_admin_layer,
    read_ayil_aimak_points,
)
from geodata.shipped import BOUNDARIES_DIR, POINTS_SOURCE, RAION_SOURCE
from tests.conftest import INDICATORS, OFFICIAL_RAIONS

SHIPPED_RAIONS = admin_layer_file("raion", GEODATA_DIR)
SHIPPED_INDICATORS = GEODATA_DIR / INDICATORS_FILE


def test_the_shipped_layers_are_what_the_build_makes_from_the_official_files(tmp_path, capsys):
    assert (BOUNDARIES_DIR / RAION_SOURCE).samefile(OFFICIAL_RAIONS)
    assert main(["build-admin-layers", "--out", str(tmp_path)]) == 0
    assert (tmp_path / SHIPPED_RAIONS.name).read_bytes() == SHIPPED_RAIONS.read_bytes()
    assert (tmp_path / INDICATORS_FILE).read_bytes() == SHIPPED_INDICATORS.read_bytes()
    assert (tmp_path / AYIL_AIMAK_POINTS_FILE.name).read_bytes() == AYIL_AIMAK_POINTS_FILE.read_bytes()


def test_the_shipped_ayil_aimak_points_are_the_official_units():
    official = json.loads((BOUNDARIES_DIR / POINTS_SOURCE).read_text(encoding="utf-8"))["features"]
    points = read_ayil_aimak_points()
    assert list(points["unit_code"]) == [f["properties"]["adm3_pcode"] for f in official]
    assert list(points["parent_code"]) == [f["properties"]["adm2_pcode"] for f in official]
    assert points["kind"].value_counts().to_dict() == {"ayil_aimak": 436, "town": 14, "urban_type_settlement": 8,
                                                       "other": 2}


def test_the_shipped_raion_layer_holds_every_official_unit_with_its_names():
    official = json.loads(OFFICIAL_RAIONS.read_text(encoding="utf-8"))["features"]
    units = read_admin_layer("raion", GEODATA_DIR / "no-such-folder")
    assert sorted(units["unit_code"]) == sorted(f["properties"]["ADM2_PCODE"] for f in official)
    by_code = {f["properties"]["ADM2_PCODE"]: f["properties"] for f in official}
    for row in units.itertuples():
        assert (row.name_ky, row.name_ru) == (by_code[row.unit_code]["ADM2_KY"], by_code[row.unit_code]["ADM2_RU"])
        assert row.parent_code == by_code[row.unit_code]["ADM1_PCODE"]
    assert SHIPPED_RAIONS.stat().st_size <= 400_000, "simplified within its budget"


def test_the_shipped_indicators_are_the_official_rows():
    rows = json.loads(INDICATORS.read_text(encoding="utf-8"))["DataList"]
    shipped = read_indicators(GEODATA_DIR / "no-such-folder")
    assert len(shipped) == len(rows) == 40
    by_soate = {f"KG{str(r['Adm2_Code'])[3:]}000000": r for r in rows}
    for code, row in shipped.iterrows():
        assert (row["population_2021"], row["poverty_pct_2020"]) == (by_soate[code]["Population_2021"],
                                                                     by_soate[code]["poverty"])


def test_an_officers_import_wins_over_the_shipped_layer(tmp_path):
    from geodata.importer import import_boundaries
    from initiatives import load_records
    from tests.unit.test_import_boundaries import squares, write

    source = write(tmp_path / "newer.geojson", squares(0.5), "GeoJSON")
    import_boundaries(source, "raion", load_records().locations, out_dir=tmp_path / "local")
    assert list(read_admin_layer("raion", tmp_path / "local")["unit_name"]) == [f"Unit {i}" for i in range(4)]
    assert len(read_admin_layer("raion", tmp_path / "empty")) == 53
