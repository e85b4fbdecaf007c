"""The official raion layer (OCHA COD-AB, read from ../shared/boundaries) imported and joined (issue 11, items 1-2)."""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from geodata.__main__ import main as geodata_main
from geodata.checks import check_records
from geodata.join import join_raions, raion_problems
from geodata.layers import LOCAL_LAYERS_DIR, admin_layer_file
from initiatives import RecordsError, load_records
from tests.conftest import OFFICIAL_RAIONS as OFFICIAL
from tests.conftest import ROOT, fingerprint
from tests.fixtures.bad_records import set_cell

# COD-AB admin-1 P-codes and the units under each (shared/boundaries/README.md, "Units per oblast").
UNITS_PER_OBLAST = {"KG03000000000": 13, "KG08000000000": 9, "KG02000000000": 7, "KG06000000000": 7,
                    "KG04000000000": 6, "KG05000000000": 6, "KG07000000000": 5}


def test_the_import_keeps_every_unit_its_three_names_and_its_codes(raions):
    assert len(raions) == 53
    assert Counter(raions["parent_code"]) == UNITS_PER_OBLAST
    assert Counter(raions["unit_type"]) == {"raion": 40, "city": 13}
    nookat = raions.set_index("unit_code").loc["KG06242000000"]
    assert (nookat["name_ky"], nookat["name_ru"], nookat["name_en"]) == ("Ноокат", "Ноокатский", "Nookat")
    at_bashy = raions.set_index("unit_code").loc["KG04220000000"]
    assert (at_bashy["name_en"], at_bashy["name_ky"]) == ("At-Bashy", "Ат-Башы"), "the source's 'Ak-Bashy' slip"


def test_the_command_needs_no_flags_and_writes_to_the_git_ignored_local_folder(tmp_path, monkeypatch):
    import geodata.__main__

    assert LOCAL_LAYERS_DIR == ROOT / "local-layers"
    ignored = subprocess.run(["git", "check-ignore", "-q", str(LOCAL_LAYERS_DIR / "kg_raion.geojson")], cwd=ROOT)
    assert ignored.returncode == 0, "an imported layer must never be committable"
    monkeypatch.setattr(geodata.__main__, "LOCAL_LAYERS_DIR", tmp_path / "local-layers")  # not the real one
    shipped = fingerprint(ROOT / "geodata")
    assert geodata_main(["import-boundaries", str(OFFICIAL), "--level", "raion"]) == 0
    assert admin_layer_file("raion", tmp_path / "local-layers").is_file()
    assert fingerprint(ROOT / "geodata") == shipped, "nothing is written beside the shipped layers"


def test_the_official_file_is_only_read(tmp_path):
    before = fingerprint(OFFICIAL)
    assert geodata_main(["import-boundaries", str(OFFICIAL), "--level", "raion", "--out", str(tmp_path)]) == 0
    assert fingerprint(OFFICIAL) == before


# Checked by hand against the evidence: the record's stated district, the official polygons, and
# the Who's On First gazetteer (shared/boundaries). L19's town lies outside the source's 1 km²
# "Kara-Kul (city)" patch, so the record carries the unit's code; L11, L22 and L23 are at district
# precision (their point is the district centre), so the district they name decides: L23's point lies
# in the Batken city unit, but Suu-Bashy ayil aimak is in Batken raion.
CHECKED = {
    "L01": ("KG08400000010", "point"), "L02": ("KG08219000000", "point"), "L03": (None, "miss"),
    "L04": ("KG08203000000", "point"),
    "L05": ("KG02420000010", "point"), "L06": ("KG02225000000", "point"), "L07": ("KG06242000000", "point"),
    "L08": ("KG06211000000", "point"), "L09": ("KG06246000000", "point"), "L10": ("KG06255000000", "point"),
    "L11": ("KG06242000000", "stated district"), "L12": ("KG04235000000", "point"),
    "L13": ("KG04400000010", "point"), "L14": ("KG03420000010", "point"), "L15": ("KG03230000000", "point"),
    "L16": ("KG03225000000", "point"), "L17": ("KG03430000010", "point"), "L18": ("KG03225000000", "point"),
    "L19": ("KG03440000010", "code"), "L20": ("KG03223000000", "point"), "L21": ("KG05236000000", "point"),
    "L22": ("KG05258000000", "stated district"), "L23": ("KG05214000000", "stated district"),
    "L24": ("KG07225000000", "point"), "L25": ("KG07215000000", "point"),
}


def test_the_join_report_matches_the_checked_table(raions):
    matches = join_raions(load_records().locations, raions)
    assert {m.location_id: (m.unit_code, m.method) for m in matches} == CHECKED
    unplaced = [m for m in matches if m.method == "miss"]
    assert all(m.detail == "unplaced: the record is known only to its oblast" for m in unplaced)
    by_id = {m.location_id: m for m in matches}
    assert "falls in Toktogul" in by_id["L19"].detail and "falls in Batken (city)" in by_id["L23"].detail


def test_the_records_agree_with_the_polygons(raions):
    records = load_records()
    assert raion_problems(join_raions(records.locations, raions), records.where) == []


def test_an_unexplained_disagreement_fails_the_check(local_layers, records_copy, capsys):
    # L15 as it was recorded before: Chatkal district, with a point that lies in Ala-Buka.
    set_cell("locations.csv", 16, "latitude", "41.53")(records_copy)
    set_cell("locations.csv", 16, "longitude", "71.22")(records_copy)
    with pytest.raises(RecordsError) as caught:
        check_records(records_copy, local_layers=local_layers)
    problem, ayil_aimak = caught.value.problems  # and so its ayil aimak is not one of that raion's
    assert str(problem).startswith("locations.csv:16: district: location L15 (Терек-Сай) is recorded in Чаткал "
                                   "району but its coordinates fall in Ala-Buka (KG03204000000)")
    assert str(ayil_aimak).startswith("locations.csv:16: ayil_aimak_ky: location L15 (Терек-Сай): 'Терек-Сай' is "
                                      "not a unit of its raion; the oblast has Terek-Say (KG03230847000)")
    with pytest.raises(RecordsError) as shipped:  # out of the box too: the shipped layer is the same units
        check_records(records_copy, local_layers=local_layers.parent / "none")
    assert [str(p) for p in shipped.value.problems] == [str(problem), str(ayil_aimak)]


def test_a_code_with_its_source_explains_a_disagreement(local_layers, records_copy):
    set_cell("locations.csv", 20, "raion_pcode", "")(records_copy)
    set_cell("locations.csv", 20, "raion_source", "")(records_copy)
    with pytest.raises(RecordsError) as caught:
        check_records(records_copy, local_layers=local_layers)
    assert [p.row for p in caught.value.problems] == [20], "without its code, L19's town point disagrees"


def test_a_raion_code_needs_its_source(records_copy):
    set_cell("locations.csv", 20, "raion_source", "")(records_copy)
    with pytest.raises(RecordsError) as caught:
        load_records(records_copy)
    assert [str(p).split(": ")[0] for p in caught.value.problems] == ["locations.csv:20"]


def test_the_raion_report_command(local_layers, capsys):
    assert geodata_main(["join-report", "--level", "raion", "--layers", str(local_layers)]) == 0
    tally = capsys.readouterr().out.splitlines()[-1].removeprefix("methods: ").split(", ")
    assert sorted(tally) == sorted(f"{method} {n}" for method, n in Counter(m for _, m in CHECKED.values()).items())
    assert geodata_main(["join-report", "--level", "raion", "--layers", str(local_layers.parent / "none")]) == 0
    assert capsys.readouterr().out.splitlines()[-1].removeprefix("methods: ").split(", ") == tally, "the shipped one"
