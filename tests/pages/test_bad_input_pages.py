"""The dashboard started on each malformed input shows a readable page, never a traceback."""

import json
import shutil

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geodata.layers import GEODATA_DIR
from initiatives import vocab
from tests.conftest import fingerprint
from tests.fixtures.bad_records import CASES
from tests.pages.conftest import metrics, run_app

BROKEN = [c for c in CASES if not c.recoverable]
RECOVERABLE = [c for c in CASES if c.recoverable]
TITLES = {"records": "The records could not be loaded", "vocabulary": "A vocabulary file could not be loaded",
          "programme": "The programme facts file could not be loaded"}


def error_rows(at, title: str = "The records could not be loaded") -> list[str]:
    assert at.title[0].value == title
    assert not metrics(at), "no numbers are shown from data that failed"
    table = at.dataframe[0].value
    return [f"{r.File}:{r.Row}: {r.Field}" for r in table.itertuples()]


@pytest.mark.parametrize("case", BROKEN, ids=[c.name for c in BROKEN])
def test_every_broken_records_input_gets_an_error_page(case, records_copy, monkeypatch):
    target = case.plant(records_copy)
    before = fingerprint(target)
    monkeypatch.setenv("YJ_RECORDS", str(target))
    monkeypatch.setattr(vocab, "DATA_DIR", records_copy)
    rows = error_rows(run_app(), TITLES[case.kind])
    assert any(row.startswith(case.expect) or case.expect in row for row in rows), rows
    assert fingerprint(target) == before


@pytest.mark.parametrize("case", RECOVERABLE, ids=[c.name for c in RECOVERABLE])
def test_recovered_input_loads_and_the_sidebar_says_what_was_recovered(case, records_copy, monkeypatch):
    target = case.plant(records_copy)
    monkeypatch.setenv("YJ_RECORDS", str(target))
    monkeypatch.setattr(vocab, "DATA_DIR", records_copy)
    at = run_app()
    assert metrics(at)["Initiatives"] == "50"
    if case.silent:
        assert "Recovered while reading" not in [w.value for w in at.sidebar.warning]
        return
    assert "Recovered while reading" in [w.value for w in at.sidebar.warning]
    assert at.sidebar.text, "each recovery is listed"


def layers_copy(tmp_path):
    target = tmp_path / "geodata"
    target.mkdir()
    for name in ("kg_oblasts.geojson", "kg_context.geojson"):
        shutil.copy(GEODATA_DIR / name, target / name)
    return target


BOWTIE = Polygon([(70, 40), (71, 41), (71, 40), (70, 41)])


@pytest.mark.parametrize("name, plant, expect", [
    ("oblast layer is not GeoJSON", lambda d: (d / "kg_oblasts.geojson").write_text("<html>oops</html>"),
     "kg_oblasts.geojson:0: (file)"),
    ("oblast layer lost its codes",
     lambda d: (d / "kg_oblasts.geojson").write_text(
         (d / "kg_oblasts.geojson").read_text(encoding="utf-8").replace('"iso_code"', '"code"'), encoding="utf-8"),
     "kg_oblasts.geojson:1: iso_code"),
    ("ayil-aimak layer with a self-intersecting unit",
     lambda d: gpd.GeoDataFrame({"unit_code": ["A"], "unit_name": ["A"]}, geometry=[BOWTIE], crs=4326)
     .to_file(d / "kg_ayil_aimak.geojson", driver="GeoJSON"),
     "kg_ayil_aimak.geojson:1: geometry"),
    ("context layer is an empty collection",
     lambda d: (d / "kg_context.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": []})),
     "kg_context.geojson:0: (file)"),
])
def test_broken_boundary_layers_get_an_error_page(name, plant, expect, tmp_path, monkeypatch):
    layers = layers_copy(tmp_path)
    plant(layers)
    before = fingerprint(layers)
    monkeypatch.setenv("YJ_GEODATA_DIR", str(layers))
    monkeypatch.setenv("YJ_LAYERS_DIR", str(layers))  # imported layers (the ayil-aimak one) are read there
    rows = error_rows(run_app(), "A boundary layer could not be loaded")
    assert any(expect in row for row in rows), rows
    assert fingerprint(layers) == before
