"""At thousands of initiatives the pages stay bounded: summary circles, a capped table, a compact chart."""

import csv
import re

import pytest

from bench import synth
from initiatives import vocab
from initiatives.__main__ import main as initiatives_main
from tests.pages.conftest import map_layers, metrics, run_app
from ui.maps import MARKER_LIMIT

PLACES = 450
INITIATIVES = 3000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return synth.write(tmp_path_factory.mktemp("synth"), INITIATIVES, PLACES)


@pytest.fixture
def on_synthetic(synthetic, monkeypatch):
    monkeypatch.setenv("YJ_RECORDS", str(synthetic))
    return synthetic


def places_per_oblast(directory) -> dict[str, int]:
    with (directory / "locations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["oblast_code"]] = counts.get(row["oblast_code"], 0) + 1
    return counts


def test_synthetic_records_pass_the_same_check_as_real_ones(synthetic, capsys):
    assert initiatives_main(["check", "--records", str(synthetic)]) == 0
    assert capsys.readouterr().out.startswith(f"{INITIATIVES} initiatives, {PLACES} locations, 7 oblasts")


def test_country_view_draws_one_circle_per_oblast_not_every_place(on_synthetic):
    at = run_app()
    assert metrics(at)["Initiatives"] == str(INITIATIVES)
    script = map_layers(at)
    assert len(re.findall(r'"location_id":', script)) == 0
    assert len(re.findall(r'"summary": true', script)) == 7
    assert len(script.encode()) < 150_000


def test_drilled_in_oblast_draws_its_own_places_and_summarises_the_rest(on_synthetic):
    expected = places_per_oblast(on_synthetic)["KG-O"]
    assert PLACES > MARKER_LIMIT
    script = map_layers(run_app({"oblast": "KG-O"}))
    assert len(re.findall(r'"location_id":', script)) == expected
    assert len(re.findall(r'"summary": true', script)) == 6


def test_explorer_table_is_capped_but_says_how_many_rows_there_are(on_synthetic):
    at = run_app(page="pages/explorer.py")
    assert len(at.dataframe[0].value) == 2000
    assert any(f"{INITIATIVES}" in c.value and "2000" in c.value for c in at.caption)


def test_hierarchy_counts_grant_types_per_place_when_there_are_many_rows(on_synthetic):
    at = run_app(page="pages/themes.py")
    sunburst = next(c for c in at.get("plotly_chart") if '"sunburst"' in c.proto.spec)
    labels = re.findall(r'"labels":\[(.*?)\]', sunburst.proto.spec)[0]
    assert "SYN-" not in labels, "no single initiatives in the outer ring"
    assert vocab.grant_types().label("cso", "en") in labels and "S0001" in labels
