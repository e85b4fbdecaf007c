"""Coverage beside need, per raion (issue 11, item 4): indicators import and the table, from ../shared."""

from __future__ import annotations

import json
from collections import Counter

import pandas as pd
import pytest

from geodata.__main__ import main as geodata_main
from geodata.coverage import (
    coverage_table,
    oblast_of_units,
    raion_pcode,
    read_indicator_source,
    read_indicators,
    unplaced_initiatives,
)
from geodata.join import join_raions
from geodata.layers import read_oblasts
from initiatives import RecordsError, load_records
from tests.conftest import INDICATORS, fingerprint, raw_initiatives
from tests.unit.test_raions import CHECKED, UNITS_PER_OBLAST


@pytest.fixture(scope="module")
def indicators(local_layers):
    return read_indicators(local_layers)


def test_soate_codes_become_raion_pcodes():
    assert raion_pcode("41702205") == "KG02205000000"  # Ak-Suu raion of Ysyk-Kol (shared/boundaries/README.md)
    assert raion_pcode("4170322040") is None and raion_pcode("KG02205000000") is None


def test_every_indicator_row_meets_one_raion_and_no_city(raions, indicators):
    units = raions.set_index("unit_code")
    assert len(indicators) == 40 and set(indicators.index) <= set(units.index)
    assert set(units.loc[indicators.index, "unit_type"]) == {"raion"}


def test_the_indicator_file_is_only_read_and_bad_rows_are_named(tmp_path, capsys):
    before = fingerprint(INDICATORS)
    assert geodata_main(["import-indicators", str(INDICATORS), "--out", str(tmp_path)]) == 0
    assert fingerprint(INDICATORS) == before
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"DataList": [{"Adm2_Code": "41702205", "Population_2021": 1, "poverty": 12,
                                             "flood_mudflow": 0},
                                            {"Adm2_Code": "123", "Population_2021": -5, "poverty": "many",
                                             "flood_mudflow": 1}]}))
    assert geodata_main(["import-indicators", str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    for expected in ("bad.json:2: Adm2_Code", "bad.json:2: Population_2021", "bad.json:2: poverty"):
        assert expected in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(RecordsError):
        read_indicator_source(tmp_path)  # a folder


def test_each_raion_is_given_its_oblast(raions):
    oblast_of = oblast_of_units(raions, read_oblasts())
    per_oblast = Counter(oblast_of[c] for c in raions["unit_code"])
    by_parent = Counter(raions["parent_code"])
    assert sorted(per_oblast.values()) == sorted(by_parent.values()) == sorted(UNITS_PER_OBLAST.values())
    assert oblast_of["KG06242000000"] == "KG-O" and oblast_of["KG04220000000"] == "KG-N"  # Nookat, At-Bashy


def test_the_table_counts_initiatives_and_need_as_the_raw_files_say(raions, indicators):
    rows = raw_initiatives()
    per_location = Counter(r["location_id"] for r in rows)
    expected = Counter()
    for location, (unit, _) in CHECKED.items():
        if unit:
            expected[unit] += per_location[location]
    records = load_records()
    matches = join_raions(records.locations, raions)
    table = coverage_table(raions, indicators, matches, pd.Series(per_location),
                           oblast_of_units(raions, read_oblasts())).set_index("raion_pcode")
    assert len(table) == 53
    assert table["initiatives"].to_dict() == {code: expected.get(code, 0) for code in table.index}
    nookat = table.loc["KG06242000000"]
    assert nookat["per_100k"] == round(expected["KG06242000000"] / indicators.loc["KG06242000000",
                                                                                  "population_2021"] * 1e5, 1)
    poverty = indicators["poverty_pct_2020"]
    poorest = set(poverty[poverty >= poverty.quantile(0.75)].index)
    assert set(table.index[table["high_poverty"]]) == poorest and len(poorest) >= 10
    assert set(table.index[table["no_initiative"]]) == set(table.index) - {c for c, n in expected.items() if n}
    cities = table[table["unit_type"] == "city"]
    assert cities["population"].isna().all() and not cities["high_poverty"].any()
    unplaced = {loc for loc, (unit, _) in CHECKED.items() if unit is None}
    assert unplaced_initiatives(matches, pd.Series(per_location)) == sum(per_location[loc] for loc in unplaced)


def test_an_edited_indicators_table_with_a_bad_number_is_named(local_layers, tmp_path):
    text = (local_layers / "kg_raion_indicators.csv").read_text(encoding="utf-8").splitlines()
    header, first, *rest = text
    cells = first.split(",")
    cells[2] = "many"  # poverty_pct_2020
    (tmp_path / "kg_raion_indicators.csv").write_text("\n".join([header, ",".join(cells), *rest]) + "\n")
    with pytest.raises(RecordsError) as caught:
        read_indicators(tmp_path)
    assert [str(p) for p in caught.value.problems] == \
        ["kg_raion_indicators.csv:2: poverty_pct_2020: 'many' is not a number"]
