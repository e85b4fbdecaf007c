"""The ayil aimaks and towns of a raion, their names, and how many the initiatives reach (issue 28, items 3–5).

Expected values come from the official file in ../shared/boundaries and the hand-checked join table, not from
the shipped layer the code reads."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from geodata.ayil_aimaks import AyilAimaks, raion_units_table, reached_per_oblast, reached_per_raion, unit_label
from geodata.checks import check_records
from geodata.layers import read_ayil_aimak_points
from initiatives import Filters, apply_filters, search_text
from tests.conftest import raw_initiatives
from tests.unit.test_ayil_aimaks import AA_CHECKED, POINTS

NOOKAT, PANFILOV = "KG06242000000", "KG08219000000"
KURAMA = "KG08219836000"


def official_units() -> list[dict]:
    return [f["properties"] for f in json.loads(POINTS.read_text(encoding="utf-8"))["features"]]


@pytest.fixture(scope="module")
def units() -> AyilAimaks:
    return AyilAimaks(read_ayil_aimak_points())


@pytest.fixture(scope="module")
def table():
    return check_records(None).table


def test_each_raion_lists_its_official_settled_units(units):
    official = official_units()
    for raion in {u["adm2_pcode"] for u in official}:
        expected = {u["adm3_pcode"] for u in official
                    if u["adm2_pcode"] == raion and not u["kind_from_code"].startswith("other")}
        assert set(units.codes_in(raion)) == expected, raion
        assert all(units.raion_of(code) == raion for code in expected)
    assert len(units.codes_in(NOOKAT)) == 14, "Nookat: 14 ayil aimaks in the official list"


def test_names_carry_the_mark_of_their_kind_in_kyrgyz_and_russian(units):
    assert unit_label("Курама", "Kurama", "ayil_aimak", "ru") == "Курама а/а"
    assert unit_label("Курама", "Kurama", "ayil_aimak", "ky") == "Курама а/а"
    assert unit_label("Өзгөн", "Uzgen (city)", "town", "ru") == "г. Өзгөн"
    assert unit_label("Өзгөн", "Uzgen (city)", "town", "ky") == "Өзгөн ш."
    assert unit_label("Кербен", "Kerben (city)", "town", "en") == "Kerben (city)"
    kurama = next(u for u in official_units() if u["adm3_pcode"] == KURAMA)
    assert units.label(KURAMA, "ky") == f"{kurama['name_ky']} а/а" and units.label(KURAMA, "en") == kurama["name_en"]
    assert units.label("KG00000000000", "en") == "KG00000000000", "an unknown code shows as itself"


def test_reached_counts_the_units_the_hand_checked_join_settled(units, table):
    settled = {code for code, _ in AA_CHECKED.values() if code}
    raions = sorted({u["adm2_pcode"] for u in official_units()})
    reach = reached_per_raion(units, raions, set(table["ayil_aimak_code"]) - {""})
    per_raion = Counter(units.raion_of(code) for code in settled)
    assert dict(zip(reach["raion_pcode"], reach["aa_reached"], strict=True)) == {r: per_raion.get(r, 0) for r in raions}
    assert reach["aa_units"].sum() == sum(not u["kind_from_code"].startswith("other") for u in official_units()) == 458
    by_oblast = reached_per_oblast(reach.assign(oblast_code=reach["raion_pcode"].str[:4]))
    assert by_oblast["aa_reached"].sum() == len(settled) and by_oblast.loc[by_oblast["oblast_code"] == "KG08",
                                                                           "aa_reached"].item() == 2  # Kurama, Lenin


def test_a_raion_lists_each_unit_with_its_initiatives_or_none(units, table):
    listed = raion_units_table(units, PANFILOV, table, "en")
    at_kurama = [r["id"] for r in raw_initiatives() if r["location_id"] == "L02"]
    rows = dict(zip(listed["unit_code"], listed["initiatives"], strict=True))
    assert rows.pop(KURAMA) == at_kurama and at_kurama
    assert rows and all(ids == [] for ids in rows.values()), "every other unit of Panfilov: none"


def test_the_ayil_aimak_filter_keeps_its_initiatives_on_both_paths(table):
    haystack = search_text(table)
    for filters in (Filters(ayil_aimaks=(KURAMA,)), Filters(ayil_aimaks=(KURAMA, "KG03223812000"))):
        places = {loc for loc, (code, _) in AA_CHECKED.items() if code in filters.ayil_aimaks}
        expected = [r["id"] for r in raw_initiatives() if r["location_id"] in places]
        for vectorised in (False, True):
            got = apply_filters(table, filters, haystack, vectorised=vectorised)
            assert sorted(got["id"]) == sorted(expected) and expected


def test_json_geojson_and_excel_exports_carry_the_ayil_aimak(table):
    import io

    import openpyxl

    from initiatives.export import to_geojson, to_json
    from tests.exports import coded_rows
    from ui.downloads import excel_bytes

    at_kurama = {r["id"] for r in raw_initiatives() if r["location_id"] == "L02"}
    records = {r["id"]: r for r in json.loads(to_json(table))}
    assert {i for i, r in records.items() if r["ayil_aimak_code"] == KURAMA} == at_kurama
    features = json.loads(to_geojson(table))["features"]
    assert {f["properties"]["id"] for f in features if f["properties"]["ayil_aimak_code"] == KURAMA} == at_kurama
    sheet = openpyxl.load_workbook(io.BytesIO(excel_bytes(table, "en"))).worksheets[0]
    rows = coded_rows(list(sheet.iter_rows(values_only=True)), "en")
    assert {r["id"] for r in rows if r["ayil_aimak_code"] == KURAMA and r["ayil_aimak_name"] == "Kurama"} == at_kurama
